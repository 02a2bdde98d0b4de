"""pandera models of the hand-curated tables in ``data/raw``: one model per table.

The models are the single place where each column is described (``Field(description=...)``); the
report's data section and the codebook read the descriptions from here. Every model is strict (no
missing or unexpected columns) and coercing (cells arrive as text and are converted to the dtype).
Dates stay ISO strings during validation, so a malformed date is reported as such, and are converted
to ``datetime64`` by the loader afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ots_analysis import checks as _checks  # noqa: F401  (registers the custom checks)
from ots_analysis.verdicts import VERDICT_ORDER
from ots_analysis.vocab import (
    AGGREGATE_MEASURES,
    AGGREGATE_SCOPES,
    CLAIM_CATEGORIES,
    CLAIM_STANCES,
    COUNTRY_STATISTICS,
    DATE_PRECISIONS,
    DEFENSE_KINDS,
    EVENT_KINDS,
    MEMBERSHIP_STATUSES,
    ORGANIZATIONS,
    PUBLISHED_BASES,
    SOURCE_KINDS,
    STATISTIC_ORIGINS,
    SUMMIT_SERIES,
    TRADE_FLOWS,
    TRUE_FALSE,
)

EVIDENCE_MAX_WORDS = 25
EVIDENCE_MAX_CHARS = 300
"""Characters an evidence excerpt may have: 25 words of any language fit (the longest real one has
under 200), one 100,000-character "word" does not."""
TEXT_MAX_CHARS = 1000
"""Characters any other text cell may have (the longest, an address or a note, has about 500)."""
FIRST_YEAR = 1991  # the Turkic states' independence; most tables reach no further back
FIRST_DAY = f"{FIRST_YEAR}-01-01"  # the earliest date a table holds, unless it says otherwise
FIRST_MEMBERSHIP_DAY = "1949-04-04"  # NATO's founding, the oldest of the organisations
FIRST_EVENT_DAY = "1988-01-01"  # the first Soviet republics' declarations of sovereignty (1988-1990)
FIRST_DEFENSE_DAY = "2010-01-01"  # the defence-cooperation table covers 2010 onwards
CURRENT_YEAR = dt.date.today().year

_SOURCE_IDS = "One or more source_id of sources.csv, separated by ';'."
_EVIDENCE = (
    f"Verbatim excerpt of at most {EVIDENCE_MAX_WORDS} words from the first source that states "
    "the row's figure or date: a quotation, whose copyright stays with the source's publisher (the "
    "tables' CC BY 4.0 licence does not cover it)."
)


def _source_ids_field(nullable: bool = False) -> Any:
    return pa.Field(slug_list=(), distinct_items=(), nullable=nullable, description=_SOURCE_IDS)


def _evidence_field(nullable: bool = False) -> Any:
    return pa.Field(at_most_words={"max_words": EVIDENCE_MAX_WORDS}, nullable=nullable, description=_EVIDENCE)


def _date_field(description: str, nullable: bool = False, earliest: str = FIRST_DAY) -> Any:
    return pa.Field(
        iso_date=(),
        not_in_future=(),
        not_before={"earliest": earliest},
        nullable=nullable,
        description=description,
    )


def _precision_field(description: str, nullable: bool = False) -> Any:
    return pa.Field(isin=DATE_PRECISIONS, nullable=nullable, description=description)


# The columns every stated trade figure has (trade.csv, trade_world_totals.csv), defined once.


def _value_usd_field() -> Any:
    return pa.Field(ge=0, description="Value in current US dollars.")


def _period_field() -> Any:
    return pa.Field(month_period=(), description="full_year, or the months covered, e.g. jan-sep.")


def _months_field() -> Any:
    return pa.Field(ge=1, le=12, description="Number of months covered.")


def _origin_field() -> Any:
    return pa.Field(isin=STATISTIC_ORIGINS, description="Who produced the figure.")


def _figure_preferred_field() -> Any:
    return pa.Field(
        isin=TRUE_FALSE,
        description="false for a figure a curator set aside: one the evidence rejects in a dispute, or "
        "a lower bound ('more than X') that is not a figure; preferred_note says why.",
    )


def _figure_preferred_note_field() -> Any:
    return pa.Field(
        nullable=True,
        description="Why the figure was set aside, or how a dispute over it was settled; required when "
        "preferred is false.",
    )


class _RawTable(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = True


class Sources(_RawTable):
    """Every page a figure or date was read on (modelled on OWID's snapshot metadata)."""

    source_id: Series[str] = pa.Field(slug=(), unique=True, description="Short unique key (slug).")
    title: Series[str] = pa.Field(description="Headline or title of the page.")
    publisher: Series[str] = pa.Field(description="Organisation that published the page.")
    url: Series[str] = pa.Field(http_url=(), description="Address of the page that was read.")
    published: Series[str] = _date_field(
        "Publication date (YYYY-MM-DD); with published_basis not_before, the earliest date the page can "
        "have appeared (a lower bound, not its date); empty if unknown.",
        True,
    )
    published_basis: Series[str] = pa.Field(
        isin=PUBLISHED_BASES,
        nullable=True,
        description="How published is known: page (the page shows it), metadata (only the page's "
        "metadata holds it, e.g. article:published_time), url (only the address holds it), inferred "
        "(reasoned from the content or another copy), not_before (the date is unknown; published is the "
        "earliest it can be, e.g. 2022-11-01 for 'not before November 2022'); empty if undated.",
    )
    published_note: Series[str] = pa.Field(
        nullable=True,
        description="Required unless published_basis is page: which metadata field holds the date, how "
        "an address-only or inferred date was established, why only a lower bound is known, or what "
        "was checked for an undated page.",
    )
    accessed: Series[str] = _date_field("Date the page was read (YYYY-MM-DD).")
    language: Series[str] = pa.Field(iso639_1=(), description="ISO 639-1 code of the page's language.")
    kind: Series[str] = pa.Field(isin=SOURCE_KINDS, description="official, news, statistics, ...")


class Countries(_RawTable):
    """States that appear in any table, with the attributes the claims need."""

    iso3: Series[str] = pa.Field(
        iso3_code=(),
        unique=True,
        description="ISO 3166-1 alpha-3; XNC (user-assigned range) for Northern Cyprus.",
    )
    name: Series[str] = pa.Field(description="Common English short name.")
    regions: Series[str] = pa.Field(
        slug_list=(),
        distinct_items=(),
        nullable=True,
        description="Regions the country belongs to, as slugs separated by ';' (e.g. central-asia).",
    )
    turkic_majority: Series[str] = pa.Field(
        isin=TRUE_FALSE,
        nullable=True,
        description="true if the majority ethnic group is a Turkic people; empty if not sourced.",
    )
    source_ids: Series[str] = _source_ids_field(nullable=True)
    evidence: Series[str] = _evidence_field(nullable=True)


class Memberships(_RawTable):
    """Spells of membership or another status in an organisation, one row per spell."""

    iso3: Series[str] = pa.Field(iso3_code=(), description="Country (alpha-3).")
    organization: Series[str] = pa.Field(isin=ORGANIZATIONS, description="Organisation acronym.")
    status: Series[str] = pa.Field(isin=MEMBERSHIP_STATUSES, description="Status held.")
    founding: Series[str] = pa.Field(isin=TRUE_FALSE, description="true for a founding member.")
    start_date: Series[str] = _date_field("First day of the spell (YYYY-MM-DD).", True, FIRST_MEMBERSHIP_DAY)
    start_precision: Series[str] = _precision_field("Precision of start_date.", True)
    end_date: Series[str] = _date_field(
        "Last day of the spell; empty while it lasts.", True, FIRST_MEMBERSHIP_DAY
    )
    end_precision: Series[str] = _precision_field("Precision of end_date.", True)
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()
    preferred: Series[str] = pa.Field(
        isin=TRUE_FALSE,
        description="false for a row kept only because a source disagrees with the preferred row.",
    )

    class Config:
        unique = ["iso3", "organization", "status", "start_date"]


class Events(_RawTable):
    """The OTS timeline: summits, founding, renaming, admissions, and dated political events."""

    event_id: Series[str] = pa.Field(slug=(), unique=True, description="Unique key (slug).")
    date: Series[str] = _date_field(
        "Date (YYYY-MM-DD); the 1st of the period at coarser precision.", earliest=FIRST_EVENT_DAY
    )
    date_precision: Series[str] = _precision_field("day, month or year.")
    kind: Series[str] = pa.Field(isin=EVENT_KINDS, description="Kind of event.")
    title: Series[str] = pa.Field(description="Short title in the project's words.")
    series: Series[str] = pa.Field(
        isin=SUMMIT_SERIES, nullable=True, description="Summit series; empty for other events."
    )
    summit_number: Series[pd.Int64Dtype] = pa.Field(
        ge=1, nullable=True, description="Number of the summit within its series."
    )
    city: Series[str] = pa.Field(nullable=True, description="Host city.")
    country_iso3: Series[str] = pa.Field(iso3_code=(), nullable=True, description="Host country.")
    participants: Series[str] = pa.Field(
        iso3_list=(),
        distinct_items=(),
        nullable=True,
        description="Participating states, alpha-3 separated by ';'.",
    )
    documents: Series[str] = pa.Field(
        distinct_items=(), nullable=True, description="Main documents adopted, separated by ';'."
    )
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()
    preferred: Series[str] = pa.Field(
        isin=TRUE_FALSE,
        description="false for a row kept only because a source disagrees with the preferred row.",
    )


class Trade(_RawTable):
    """Bilateral trade figures as stated by one reporting side, one row per stated figure."""

    reporter_iso3: Series[str] = pa.Field(
        iso3_code=(), description="Country whose statistics or officials stated the figure."
    )
    partner_iso3: Series[str] = pa.Field(iso3_code=(), description="Trading partner.")
    year: Series[int] = pa.Field(ge=FIRST_YEAR, le=CURRENT_YEAR, description="Calendar year of the flow.")
    flow: Series[str] = pa.Field(
        isin=TRADE_FLOWS,
        description="exports (reporter to partner), imports (partner to reporter), turnover (sum).",
    )
    value_usd: Series[float] = _value_usd_field()
    period: Series[str] = _period_field()
    months: Series[int] = _months_field()
    statistic_origin: Series[str] = _origin_field()
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()
    preferred: Series[str] = _figure_preferred_field()
    preferred_note: Series[str] = _figure_preferred_note_field()

    class Config:
        unique = ["reporter_iso3", "partner_iso3", "year", "flow", "period", "source_ids"]


class TradeAggregates(_RawTable):
    """Stated totals of trade among OTS states (actual, expected or target), with who stated them."""

    aggregate_id: Series[str] = pa.Field(slug=(), unique=True, description="Unique key (slug).")
    year: Series[pd.Int64Dtype] = pa.Field(
        ge=FIRST_YEAR, le=CURRENT_YEAR + 30, nullable=True, description="Year meant; empty if not stated."
    )
    scope: Series[str] = pa.Field(isin=tuple(AGGREGATE_SCOPES), description="Which trade is summed.")
    measure: Series[str] = pa.Field(isin=AGGREGATE_MEASURES, description="actual, expected, target.")
    value_usd: Series[float] = pa.Field(ge=0, description="Value in current US dollars.")
    period: Series[str] = pa.Field(
        month_period=(),
        nullable=True,
        description="full_year or months covered; empty if not stated.",
    )
    stated_by: Series[str] = pa.Field(description="Person or body that stated the figure.")
    stated_on: Series[str] = _date_field("Date of the statement (YYYY-MM-DD).", True)
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()


class DefenseCooperation(_RawTable):
    """Dated defence-cooperation events among OTS states and with Turkey, 2010 onwards."""

    event_id: Series[str] = pa.Field(slug=(), unique=True, description="Unique key (slug).")
    date: Series[str] = _date_field(
        "Date (YYYY-MM-DD); the 1st of the period at coarser precision.", earliest=FIRST_DEFENSE_DAY
    )
    date_precision: Series[str] = _precision_field("day, month or year.")
    kind: Series[str] = pa.Field(isin=DEFENSE_KINDS, description="Kind of instrument or event.")
    title: Series[str] = pa.Field(description="Short title in the project's words.")
    parties: Series[str] = pa.Field(
        iso3_list=(), distinct_items=(), description="States involved, alpha-3 separated by ';'."
    )
    host_iso3: Series[str] = pa.Field(iso3_code=(), nullable=True, description="Where it happened.")
    system: Series[str] = pa.Field(nullable=True, description="Weapon system, e.g. Bayraktar TB2.")
    description: Series[str] = pa.Field(description="One sentence in the project's words.")
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()
    preferred: Series[str] = pa.Field(
        isin=TRUE_FALSE,
        description="false for a row kept only because a source disagrees with the preferred row.",
    )


class ArmsSuppliers(_RawTable):
    """Suppliers' shares of a country's arms imports over a period, as sources state them."""

    recipient_iso3: Series[str] = pa.Field(iso3_code=(), description="Importing country.")
    supplier_iso3: Series[str] = pa.Field(iso3_code=(), description="Supplying country.")
    period_start: Series[pd.Int64Dtype] = pa.Field(
        ge=1950, le=CURRENT_YEAR, nullable=True, description="First year; empty if the source gives none."
    )
    period_end: Series[pd.Int64Dtype] = pa.Field(
        ge=1950, le=CURRENT_YEAR, nullable=True, description="Last year; empty if the source gives none."
    )
    share_pct: Series[float] = pa.Field(ge=0, le=100, description="Share of imports, percent.")
    measure: Series[str] = pa.Field(description="What the share is of, e.g. SIPRI TIV.")
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()

    class Config:
        unique = ["recipient_iso3", "supplier_iso3", "period_start", "period_end", "source_ids"]


class TradeWorldTotals(_RawTable):
    """A country's total trade with the world (all partners), as a source states it: the total that
    a partner's share of its trade, or a partner's rank, is judged against."""

    reporter_iso3: Series[str] = pa.Field(
        iso3_code=(), description="Country whose total trade with the world the figure is."
    )
    year: Series[int] = pa.Field(ge=FIRST_YEAR, le=CURRENT_YEAR, description="Calendar year of the flow.")
    flow: Series[str] = pa.Field(
        isin=TRADE_FLOWS,
        description="exports (to the world), imports (from the world), turnover (their sum).",
    )
    value_usd: Series[float] = _value_usd_field()
    period: Series[str] = _period_field()
    months: Series[int] = _months_field()
    statistic_origin: Series[str] = _origin_field()
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()
    preferred: Series[str] = _figure_preferred_field()
    preferred_note: Series[str] = _figure_preferred_note_field()

    class Config:
        unique = ["reporter_iso3", "year", "flow", "period", "source_ids"]


class CountryStatistics(_RawTable):
    """A country's area or population as a source states it, one row per figure and source."""

    iso3: Series[str] = pa.Field(iso3_code=(), description="Country (alpha-3).")
    statistic: Series[str] = pa.Field(
        isin=tuple(COUNTRY_STATISTICS),
        description="area_km2 (total area, square kilometres) or population (people).",
    )
    value: Series[float] = pa.Field(ge=0, description="The figure, in the statistic's unit.")
    as_of: Series[str] = _date_field(
        "Date the figure refers to (YYYY-MM-DD; e.g. 2024-01-01 for a population at the start of "
        "2024); empty where the source gives none, as for most areas.",
        nullable=True,
        earliest="1900-01-01",
    )
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()
    preferred: Series[str] = pa.Field(
        isin=TRUE_FALSE,
        description="false for a row kept only because a source disagrees with the preferred row.",
    )

    class Config:
        unique = ["iso3", "statistic", "as_of", "source_ids"]


class EventThemes(_RawTable):
    """The theme under which an event (a summit) was held, as a source names it."""

    event_id: Series[str] = pa.Field(slug=(), description="Event (events.csv).")
    theme: Series[str] = pa.Field(description="The theme as the source words it (in English).")
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()

    class Config:
        unique = ["event_id", "source_ids"]


CLAIM_ID_PATTERN = r"^C[0-9]{2,3}$"  # ASCII digits: Python's \d also takes "C٠١"
PARAMETER_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
PATTERN_WORDS = {
    CLAIM_ID_PATTERN: "a claim id is C followed by two or three digits, e.g. C07; each article numbers "
    "its claims from C01 (the article is named by article_id)",
    PARAMETER_NAME_PATTERN: "a parameter name is snake_case: a lowercase letter, then lowercase letters, "
    "digits or underscores, e.g. stated_usd",
}
"""The form each ``str_matches`` pattern of the models asks for, in words (validation messages say
these, not the regular expression)."""


class Articles(_RawTable):
    """The articles whose claims are checked, one row per article."""

    article_id: Series[str] = pa.Field(slug=(), unique=True, description="Short unique key (slug).")
    headline: Series[str] = pa.Field(description="Headline as published.")
    gist: Series[str] = pa.Field(
        description="What the article argues or reports, in one phrase of the project's words that "
        "completes 'The article ... ' (e.g. 'argues that ...')."
    )
    publisher: Series[str] = pa.Field(description="Outlet that published the article.")
    author: Series[str] = pa.Field(nullable=True, description="Author as shown; empty if not shown.")
    published: Series[str] = _date_field("Publication date (YYYY-MM-DD).")
    published_note: Series[str] = pa.Field(
        nullable=True,
        description="How the publication date was established, where the page does not show it in full.",
    )
    url: Series[str] = pa.Field(http_url=(), description="Address of the article.")
    language: Series[str] = pa.Field(iso639_1=(), description="ISO 639-1 code of the article's language.")
    sections: Series[str] = pa.Field(
        distinct_items=(),
        description="The article's section names in order, separated by ';' (section 0 is the lead).",
    )
    part_read: Series[str] = pa.Field(description="Which part of the article's text was read for its claims.")
    organization: Series[str] = pa.Field(
        isin=ORGANIZATIONS, description="The organisation the article is about (its members are shown)."
    )
    region: Series[str] = pa.Field(
        slug=(), nullable=True, description="A region of countries.csv whose states the article discusses."
    )
    review_date: Series[str] = _date_field(
        "Date this project's review of the article was last revised; empty for an article listed but "
        "not reviewed yet, which then has no claims.",
        True,
    )
    is_default: Series[str] = pa.Field(
        isin=TRUE_FALSE,
        description="true for the one article the command line and the report use when none is named.",
    )


class Claims(_RawTable):
    """The claims register: each checkable statement of an article with its curated verdict."""

    article_id: Series[str] = pa.Field(slug=(), description="Article (articles.csv).")
    claim_id: Series[str] = pa.Field(
        str_matches=CLAIM_ID_PATTERN, description="C01, C02, ...: unique within the article."
    )
    section: Series[int] = pa.Field(ge=0, description="Index into the article's sections (0 = the lead).")
    claim: Series[str] = pa.Field(description="The claim in the project's own words.")
    category: Series[str] = pa.Field(isin=CLAIM_CATEGORIES, description="Kind of claim.")
    verdict: Series[str] = pa.Field(isin=VERDICT_ORDER, description="Curated verdict.")
    rationale: Series[str] = pa.Field(description="Why, in one or two sentences.")
    source_ids: Series[str] = _source_ids_field()
    check_kind: Series[str] = pa.Field(
        slug=(),
        nullable=True,
        description="Kind of computed check that decides the claim (parameters in check_parameters.csv); "
        "empty for claims decided by curation only.",
    )

    class Config:
        unique = ["article_id", "claim_id"]


class ClaimEvidence(_RawTable):
    """What each source shows for a claim: one row per claim and source, with its stance."""

    article_id: Series[str] = pa.Field(slug=(), description="Article (articles.csv).")
    claim_id: Series[str] = pa.Field(str_matches=CLAIM_ID_PATTERN, description="Claim (claims.csv).")
    source_ids: Series[str] = _source_ids_field()
    evidence: Series[str] = _evidence_field()
    stance: Series[str] = pa.Field(isin=CLAIM_STANCES, description="supports, contradicts, or context.")
    note: Series[str] = pa.Field(description="What the source shows, in the project's words.")

    class Config:
        unique = ["article_id", "claim_id", "source_ids"]


class CheckParameters(_RawTable):
    """The parameters of each claim's computed check, one row per parameter (what the article states,
    and the tolerances the verdict allows)."""

    article_id: Series[str] = pa.Field(slug=(), description="Article (articles.csv).")
    claim_id: Series[str] = pa.Field(str_matches=CLAIM_ID_PATTERN, description="Claim (claims.csv).")
    parameter: Series[str] = pa.Field(
        str_matches=PARAMETER_NAME_PATTERN,
        description="Parameter name, as the claim's check kind declares it.",
    )
    value: Series[str] = pa.Field(description="Value as text; several values separated by ';'.")

    class Config:
        unique = ["article_id", "claim_id", "parameter"]


@dataclass(frozen=True)
class TableSpec:
    """How one raw table is read: its schema and the columns the loader converts after validation."""

    name: str
    model: type[pa.DataFrameModel]
    date_columns: tuple[str, ...] = ()
    bool_columns: tuple[str, ...] = ()


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("sources", Sources, date_columns=("published", "accessed")),
        TableSpec("countries", Countries, bool_columns=("turkic_majority",)),
        TableSpec(
            "memberships",
            Memberships,
            date_columns=("start_date", "end_date"),
            bool_columns=("founding", "preferred"),
        ),
        TableSpec("events", Events, date_columns=("date",), bool_columns=("preferred",)),
        TableSpec("trade", Trade, bool_columns=("preferred",)),
        TableSpec("trade_aggregates", TradeAggregates, date_columns=("stated_on",)),
        TableSpec(
            "defense_cooperation", DefenseCooperation, date_columns=("date",), bool_columns=("preferred",)
        ),
        TableSpec("arms_suppliers", ArmsSuppliers),
        TableSpec("trade_world_totals", TradeWorldTotals, bool_columns=("preferred",)),
        TableSpec(
            "country_statistics", CountryStatistics, date_columns=("as_of",), bool_columns=("preferred",)
        ),
        TableSpec("event_themes", EventThemes),
        TableSpec(
            "articles", Articles, date_columns=("published", "review_date"), bool_columns=("is_default",)
        ),
        TableSpec("claims", Claims),
        TableSpec("claim_evidence", ClaimEvidence),
        TableSpec("check_parameters", CheckParameters),
    )
}
"""Every raw table, in load order."""


def column_descriptions(name: str) -> dict[str, str]:
    """The description of each column of raw table ``name``, read from its pandera model."""
    schema = TABLES[name].model.to_schema()
    return {column: (spec.description or "") for column, spec in schema.columns.items()}
