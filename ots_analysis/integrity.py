"""Rules that span columns or tables, which pandera models do not express.

Each rule takes validated frames (indexed by CSV line) and returns :class:`Failure` objects, so its
messages read like the schema's: file, line, column, value, rule. A rule whose tables failed their
schema (and so arrive empty) is skipped; the schema failures are reported instead.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Literal, cast

import pandas as pd

from ots_analysis.attribute_rules import ATTRIBUTE_RULES
from ots_analysis.checks import period_months
from ots_analysis.claims.specs import check_spec_failures
from ots_analysis.coherence import COHERENCE_RULES
from ots_analysis.conventions import CONVENTION_RULES, verdicts_agree_with_checks
from ots_analysis.errors import Failure
from ots_analysis.multivalue import SEPARATOR, explode_list
from ots_analysis.references import columns_referring_to
from ots_analysis.trade_rules import TRADE_RULES

Tables = Mapping[str, pd.DataFrame]
Labels = Mapping[str, str]


COUNTRY_COLUMNS = columns_referring_to("countries", ("iso3",))
"""Columns that hold country codes (single or ``;``-separated), by table."""


def _ready(tables: Tables, *names: str) -> bool:
    return all(name in tables and not tables[name].columns.empty for name in names)


def _column_number(frame: pd.DataFrame, column: str) -> int:
    return list(frame.columns).index(column) + 1


def _failures_at(frame: pd.DataFrame, file: str, column: str, bad: pd.Series, rule: str) -> list[Failure]:
    """A failure for each entry of ``bad`` (index = CSV line, value = offending text)."""
    number = _column_number(frame, column)
    return [
        Failure(file, int(cast(int, line)), number, column, str(value), rule) for line, value in bad.items()
    ]


def unknown_source_ids(tables: Tables, labels: Labels) -> list[Failure]:
    """Every source_id cited by a row must exist in sources.csv."""
    if not _ready(tables, "sources"):
        return []
    known = set(tables["sources"]["source_id"])
    failures: list[Failure] = []
    for name, frame in tables.items():
        if name == "sources" or "source_ids" not in frame.columns:
            continue
        cited = explode_list(frame["source_ids"])
        bad = cited[~cited.isin(known)]
        rule = "unknown source_id (not in sources.csv)"
        failures += _failures_at(frame, labels[name], "source_ids", bad, rule)
    return failures


def unused_sources(tables: Tables, labels: Labels) -> list[Failure]:
    """Every source in sources.csv must be cited by at least one row of another table."""
    if not all(_ready(tables, name) for name in tables):
        return []
    cited: set[str] = set()
    for name, frame in tables.items():
        if name != "sources" and "source_ids" in frame.columns:
            cited |= set(explode_list(frame["source_ids"]))
    sources = tables["sources"]
    unused = sources.loc[~sources["source_id"].isin(cited), "source_id"]
    rule = "source is not cited by any row"
    return _failures_at(sources, labels["sources"], "source_id", unused, rule)


ARTICLE_TABLES = tuple(columns_referring_to("articles", ("article_id",)))
"""Tables whose rows belong to an article (``article_id``)."""


def unknown_articles(tables: Tables, labels: Labels) -> list[Failure]:
    """Every article_id of the claim tables must exist in articles.csv."""
    if not _ready(tables, "articles"):
        return []
    known = set(tables["articles"]["article_id"])
    failures: list[Failure] = []
    for name in ARTICLE_TABLES:
        if _ready(tables, name):
            frame = tables[name]
            bad = frame.loc[~frame["article_id"].isin(known), "article_id"]
            failures += _failures_at(frame, labels[name], "article_id", bad, "article_id not in articles.csv")
    return failures


def _claim_keys(frame: pd.DataFrame) -> pd.Series:
    return frame["article_id"] + "/" + frame["claim_id"]


def unknown_claims(tables: Tables, labels: Labels) -> list[Failure]:
    """Every (article_id, claim_id) of claim_evidence.csv must exist in claims.csv."""
    if not _ready(tables, "claims", "claim_evidence"):
        return []
    evidence = tables["claim_evidence"]
    known = set(_claim_keys(tables["claims"]))
    bad = evidence.loc[~_claim_keys(evidence).isin(known), "claim_id"]
    rule = "no claim with this claim_id in this article (claims.csv)"
    return _failures_at(evidence, labels["claim_evidence"], "claim_id", bad, rule)


def claims_match_their_evidence(tables: Tables, labels: Labels) -> list[Failure]:
    """Every claim has at least one row in claim_evidence.csv, and the sources of its evidence rows
    are exactly its ``source_ids``: a source that informs the verdict shows what it says, and a
    quoted source is credited. Reported at the claim's ``source_ids`` cell."""
    if not _ready(tables, "claims", "claim_evidence"):
        return []
    claims, evidence = tables["claims"], tables["claim_evidence"]
    shown: dict[str, set[str]] = {}
    for key, sources in zip(_claim_keys(evidence), evidence["source_ids"], strict=True):
        shown.setdefault(key, set()).update(sources.split(SEPARATOR))
    number = _column_number(claims, "source_ids")
    failures: list[Failure] = []
    for line, key, sources in zip(claims.index, _claim_keys(claims), claims["source_ids"], strict=True):
        listed, with_evidence = set(sources.split(SEPARATOR)), shown.get(key)
        if with_evidence is None:
            rule = "claim has no row in claim_evidence.csv: add one per source with what it shows"
        elif listed != with_evidence:
            unshown, unlisted = sorted(listed - with_evidence), sorted(with_evidence - listed)
            parts = [f"no evidence row for {', '.join(unshown)}"] if unshown else []
            parts += [f"evidence from unlisted {', '.join(unlisted)}"] if unlisted else []
            rule = "source_ids and claim_evidence.csv disagree: " + "; ".join(parts)
        else:
            continue
        failures.append(Failure(labels["claims"], int(cast(int, line)), number, "source_ids", "", rule))
    return failures


def sections_in_range(tables: Tables, labels: Labels) -> list[Failure]:
    """A claim's section must be one of its article's sections (0 .. number of sections - 1)."""
    if not _ready(tables, "articles", "claims"):
        return []
    counts = tables["articles"].set_index("article_id")["sections"].str.count(SEPARATOR) + 1
    claims = tables["claims"]
    available = claims["article_id"].map(counts)
    beyond = claims.loc[available.notna() & (claims["section"] >= available)]
    number = _column_number(claims, "section")
    return [
        Failure(
            labels["claims"],
            int(cast(int, line)),
            number,
            "section",
            str(section),
            f"section {section} is beyond the article's {int(count)} section(s) in articles.csv "
            f"(numbered 0 to {int(count) - 1})",
        )
        for line, section, count in zip(beyond.index, beyond["section"], available[beyond.index], strict=True)
    ]


def one_default_article(tables: Tables, labels: Labels) -> list[Failure]:
    """Exactly one article is the default (``is_default`` true)."""
    if not _ready(tables, "articles"):
        return []
    articles = tables["articles"]
    defaults = articles.loc[articles["is_default"].eq(True), "is_default"]
    column = _column_number(articles, "is_default")
    if defaults.empty:
        rule = "no article has is_default = true: mark the one the tools use when none is named"
        return [Failure(labels["articles"], 1, column, "is_default", "", rule)]
    rule = f"{len(defaults)} articles have is_default = true; exactly one may"
    return _failures_at(
        articles, labels["articles"], "is_default", defaults.iloc[1:].astype("string").str.lower(), rule
    )


def known_regions(tables: Tables, labels: Labels) -> list[Failure]:
    """An article's region must be a region listed for some country in countries.csv."""
    if not _ready(tables, "articles", "countries"):
        return []
    regions = set(explode_list(tables["countries"]["regions"]))
    articles = tables["articles"]
    bad = articles.loc[articles["region"].notna() & ~articles["region"].isin(regions), "region"]
    return _failures_at(
        articles, labels["articles"], "region", bad, "no country lists this region in countries.csv"
    )


def unknown_countries(tables: Tables, labels: Labels) -> list[Failure]:
    """Every country code used anywhere must be listed in countries.csv."""
    if not _ready(tables, "countries"):
        return []
    known = set(tables["countries"]["iso3"])
    failures: list[Failure] = []
    for name, columns in COUNTRY_COLUMNS.items():
        if not _ready(tables, name):
            continue
        frame = tables[name]
        for column in columns:
            codes = explode_list(frame[column])
            bad = codes[~codes.isin(known)]
            rule = "country code not listed in countries.csv"
            failures += _failures_at(frame, labels[name], column, bad, rule)
    return failures


def overlapping_memberships(tables: Tables, labels: Labels) -> list[Failure]:
    """Two spells of the same country in the same organisation must not overlap in time.

    A spell runs from ``start_date`` to ``end_date``; a missing end means it still lasts. A spell may
    start on the day the previous one ends (e.g. a membership suspended that day).
    Only preferred rows count: a row kept for a disagreeing source may overlap its preferred twin.
    Each later spell that starts on or before the end of the one before it is reported.
    """
    if not _ready(tables, "memberships"):
        return []
    memberships = tables["memberships"]
    spells = memberships.loc[memberships["preferred"].eq(True)].dropna(subset=["start_date"])
    spells = spells.sort_values(["iso3", "organization", "start_date"])
    previous_end = spells.groupby(["iso3", "organization"])["end_date"].shift()
    previous_open = spells.groupby(["iso3", "organization"]).cumcount().gt(0) & previous_end.isna()
    overlaps = previous_open | (spells["start_date"] < previous_end)
    bad = spells.loc[overlaps, "start_date"].dt.strftime("%Y-%m-%d")
    rule = "spell overlaps the previous spell of this country in this organisation"
    return _failures_at(tables["memberships"], labels["memberships"], "start_date", bad, rule)


_NUMBER = re.compile(r"\d(?:[\d,.\u00a0\u202f ]*\d)?")
_TOKEN = re.compile(r"\d(?:[\d,.]*\d)?|[^\W\d_]+")
# A number written with spaces as thousands separators: "2 863 000 000", "1 546,2".
_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)")
_GROUPED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)")
_SCALE_WORDS = (
    (
        re.compile(
            r"^(trillions?|tn|trn|trln|trilyon\w*|trillion\w*|trilion\w*|трлн|триллион\w*|трилион\w*)$"
        ),
        1e12,
    ),
    (
        re.compile(
            r"^(billions?|bn|bln|milyar\w*|milyard\w*|milliard\w*|miliard\w*|mlrd|mrd|mld|млрд|мрлд"
            r"|миллиард\w*|милиард\w*)$"
        ),
        1e9,
    ),
    (re.compile(r"^(億|亿)"), 1e8),  # Chinese: 111.81億 = 11,181,000,000
    (re.compile(r"^(millions?|mln|mn|mio|milyon\w*|million\w*|milion\w*|млн|миллион\w*|милион\w*)$"), 1e6),
    (re.compile(r"^(萬|万)"), 1e4),
    (re.compile(r"^(thousands?|bin|min|mıñ|тыс\w*|хиляд\w*)$"), 1e3),
)
"""Scale words as evidence excerpts write them ("мрлд" is a misspelling quoted verbatim from a source)."""
_NUMBER_WORDS = {
    "one": 1,
    "bir": 1,
    "один": 1,
    "two": 2,
    "iki": 2,
    "два": 2,
    "three": 3,
    "üç": 3,
    "три": 3,
    "four": 4,
    "dört": 4,
    "five": 5,
    "beş": 5,
    "six": 6,
    "altı": 6,
    "шесть": 6,
    "seven": 7,
    "yedi": 7,
    "eight": 8,
    "sekiz": 8,
    "nine": 9,
    "dokuz": 9,
    "ten": 10,
}
_CONNECTORS = {"and", "ve", "va", "və", "и", "i"}


DecimalMark = Literal[",", "."] | None
"""The decimal mark of a text's language, or None where it is not known (then both are tried)."""

DECIMAL_COMMA_LANGUAGES = frozenset(
    [
        "az",
        "be",
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "es",
        "et",
        "fi",
        "fr",
        "hr",
        "hu",
        "hy",
        "id",
        "it",
        "ka",
        "kk",
        "ky",
        "lt",
        "lv",
        "mn",
        "nb",
        "nl",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sr",
        "sv",
        "tg",
        "tk",
        "tr",
        "uk",
        "uz",
    ]
)
DECIMAL_POINT_LANGUAGES = frozenset(["en", "zh", "ja", "ko", "th", "he", "hi", "ms", "mt", "ga"])
"""ISO 639-1 languages by decimal mark (CLDR number symbols); others are read both ways."""


def decimal_mark(language: str) -> DecimalMark:
    """The decimal mark numbers are written with in ``language`` (ISO 639-1), or None if unknown."""
    if language in DECIMAL_COMMA_LANGUAGES:
        return ","
    if language in DECIMAL_POINT_LANGUAGES:
        return "."
    return None


def _readings(token: str, mark: DecimalMark = None) -> set[float]:
    """The values a written number can have: "6,3" is 6.3; "1,234.5" 1234.5; "2,863" 2.863 or 2863.

    A separator is a thousands separator when it repeats or when the other separator follows it,
    and a decimal mark when fewer or more than three digits follow it. Only a single separator
    followed by exactly three digits is ambiguous; ``mark`` (the language's decimal mark) settles
    it, and without one both readings are returned.
    """
    token = re.sub(r"[\u00a0\u202f ]", "", token).strip(".,")
    separators = [char for char in token if char in ".,"]
    decimals: list[str | None]
    if not separators:
        decimals = [None]
    elif len(set(separators)) == 2:
        decimals = [separators[-1]]
    elif len(separators) > 1:
        decimals = [None]
    elif len(token) - token.index(separators[0]) - 1 != 3:
        decimals = [separators[0]]
    elif mark is None:
        decimals = [separators[0], None]
    else:
        decimals = [separators[0] if separators[0] == mark else None]
    found: set[float] = set()
    for decimal in decimals:
        grouping = "".join(char for char in ".," if char != decimal)
        reading = token.translate(str.maketrans("", "", grouping))
        if decimal is not None:
            reading = reading.replace(decimal, ".")
        with contextlib.suppress(ValueError):
            found.add(float(reading))
    return found


def _scale_of(word: str) -> float | None:
    return next((scale for pattern, scale in _SCALE_WORDS if pattern.match(word)), None)


def _composite_amounts(text: str, mark: DecimalMark = None) -> set[float]:
    """Amounts written as number-scale runs: "5 milyard 57 milyon 994 min" -> 5,057,994,000."""
    tokens = [token.casefold() for token in _TOKEN.findall(text)]
    amounts: set[float] = set()
    partial: set[float] = set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        values = (
            _readings(token, mark)
            if token[0].isdigit()
            else {float(_NUMBER_WORDS[token])}
            if token in _NUMBER_WORDS
            else set()
        )
        scale = _scale_of(tokens[i + 1]) if values and i + 1 < len(tokens) else None
        if scale is not None:
            terms = {value * scale for value in values}
            partial = {p + t for p in partial for t in terms} if partial else terms
            amounts |= partial
            i += 2
            continue
        if token not in _CONNECTORS:
            partial = set()
        i += 1
    return amounts


def numbers_in_text(text: str) -> set[float]:
    """Every number written in ``text``, read as :func:`_readings` does with no known decimal mark.

    "6,3" gives 6.3; "2,863" 2.863 and 2863; "1,234.5" 1234.5; "1 546,2" 1546.2. Spaces inside a
    number are taken as thousands separators.
    """
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        found |= _readings(match.group())
    return found


def _scale_after(text: str, end: int) -> float:
    """The scale of the word right after position ``end`` of ``text`` (1 if no scale word follows)."""
    following = _WORD_AFTER.match(text, end)
    return (_scale_of(following.group(1).casefold()) or 1.0) if following else 1.0


def amounts_in_text(text: str, mark: DecimalMark = None) -> set[float]:
    """Every amount written in ``text``: each number times the scale word that follows it.

    "$6.3 billion" gives 6.3e9; "6,300 million" 6.3e9 (with ``mark`` '.'); "2 863 000 000" 2.863e9;
    "88%" 88; "5 milyard 57 milyon 994 min" 5,057,994,000. A number is never read at a scale its
    text does not state. ``mark`` is the decimal mark of the text's language (see :func:`_readings`).
    """
    amounts: set[float] = set()
    for pattern in (_TOKEN, _GROUPED_NUMBER):
        for match in pattern.finditer(text):
            if match.group()[0].isdigit():
                scale = _scale_after(text, match.end())
                amounts |= {reading * scale for reading in _readings(match.group(), mark)}
    return amounts | _composite_amounts(text, mark)


def value_stated_in(
    value: float, text: str, relative_tolerance: float = 1e-9, mark: DecimalMark = None
) -> bool:
    """True if ``value`` is written in ``text`` with its scale: "$6.3 billion" states 6.3e9.

    "6,3 млрд", "6,300 million" and "6 300 000 000" state it too; "6.3 million" and a bare "6.3"
    do not, so a figure entered at the wrong scale (a value multiplied by 1,000) is caught. Give the
    language's decimal ``mark`` to read "1,647 milyard" as 1.647e9 only, not also as 1.647e12.
    """
    return _stated(value, text, relative_tolerance, mark)


@lru_cache(maxsize=8192)
def _stated(value: float, text: str, relative_tolerance: float, mark: DecimalMark) -> bool:
    """:func:`value_stated_in`, memoised: the same rows are checked on every validation."""
    amounts = amounts_in_text(text, mark)
    return any(math.isclose(amount, value, rel_tol=relative_tolerance) for amount in amounts)


def _evidence_marks(sources: pd.DataFrame, frame: pd.DataFrame) -> list[DecimalMark]:
    """The decimal mark of each row's evidence: that of its first source's language (None if unknown)."""
    language = dict(zip(sources["source_id"], sources["language"], strict=True))
    return [decimal_mark(language.get(cited.split(";")[0], "")) for cited in frame["source_ids"]]


def _as_written(value: float) -> str:
    """A validated number as the CSV writes it: plain digits, no exponent ("2863000000", "6.6")."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def figures_in_evidence(tables: Tables, labels: Labels) -> list[Failure]:
    """Every trade value, stated aggregate, arms share and country statistic must be written, at its
    scale, in its evidence.

    Numbers are read with the decimal mark of the language of the row's first source, which states the
    figure (so "1,647 milyard" is 1.647 billion, and 1,647 billion is not accepted for it); the rule
    waits for a valid sources.csv.
    """
    if not _ready(tables, "sources"):
        return []
    failures: list[Failure] = []
    for name, column in (
        ("trade", "value_usd"),
        ("trade_aggregates", "value_usd"),
        ("arms_suppliers", "share_pct"),
        ("trade_world_totals", "value_usd"),
        ("country_statistics", "value"),
    ):
        if not _ready(tables, name):
            continue
        frame = tables[name]
        marks = _evidence_marks(tables["sources"], frame)
        stated = pd.Series(
            [
                value_stated_in(float(v), str(e), mark=m)
                for v, e, m in zip(frame[column], frame["evidence"], marks, strict=True)
            ],
            index=frame.index,
            dtype=bool,
        )
        bad = frame.loc[~stated, column].map(_as_written)
        rule = (
            "the figure is not written in the row's evidence excerpt at this scale "
            "(the number with its scale word, e.g. '6.3 billion' for 6300000000)"
        )
        failures += _failures_at(frame, labels[name], column, bad, rule)
    return failures


def _row_rule(
    table: str, column: str, rule: str, holds: Callable[[pd.DataFrame], pd.Series]
) -> Callable[[Tables, Labels], list[Failure]]:
    """A rule on each row of one table; failing rows are reported at ``column``."""

    def check(tables: Tables, labels: Labels) -> list[Failure]:
        if not _ready(tables, table):
            return []
        frame = tables[table]
        bad = frame.loc[~holds(frame).fillna(True).astype(bool), column].astype(str)
        return _failures_at(frame, labels[table], column, bad, rule)

    check.__doc__ = rule
    return check


def _summit_numbers_unique(events: pd.DataFrame) -> pd.Series:
    numbered = events["summit_number"].notna() & events["preferred"].eq(True)
    repeated = events.loc[numbered].duplicated(["series", "summit_number"], keep=False)
    return ~repeated.reindex(events.index, fill_value=False)


ROW_RULES = (
    _row_rule(
        "trade",
        "months",
        "months must be the number of months in period (full_year = 12, jan-sep = 9)",
        lambda f: f["period"].map(period_months).astype("Int64").eq(f["months"]),
    ),
    _row_rule(
        "sources",
        "accessed",
        "accessed is before published: a page cannot be read before it appears",
        lambda f: f["published"].isna() | (f["accessed"] >= f["published"]),
    ),
    _row_rule(
        "trade",
        "partner_iso3",
        "reporter and partner must differ",
        lambda f: f["reporter_iso3"] != f["partner_iso3"],
    ),
    _row_rule(
        "trade",
        "preferred_note",
        "a figure set aside (preferred = false) needs preferred_note saying why",
        lambda f: f["preferred"].eq(True) | f["preferred_note"].notna(),
    ),
    _row_rule(
        "arms_suppliers",
        "period_end",
        "period_end must not be before period_start",
        lambda f: f["period_start"].isna() | f["period_end"].isna() | (f["period_start"] <= f["period_end"]),
    ),
    _row_rule(
        "memberships",
        "end_date",
        "end_date must not be before start_date",
        lambda f: f["end_date"].isna() | f["start_date"].isna() | (f["start_date"] <= f["end_date"]),
    ),
    _row_rule(
        "memberships",
        "start_precision",
        "start_precision is required when start_date is given",
        lambda f: f["start_date"].isna() | f["start_precision"].notna(),
    ),
    _row_rule(
        "memberships",
        "end_precision",
        "end_precision is required when end_date is given",
        lambda f: f["end_date"].isna() | f["end_precision"].notna(),
    ),
    _row_rule(
        "events",
        "summit_number",
        "summit number repeated within its series (among preferred rows)",
        _summit_numbers_unique,
    ),
    _row_rule(
        "events",
        "series",
        "a numbered summit needs its series",
        lambda f: f["summit_number"].isna() | f["series"].notna(),
    ),
    _row_rule(
        "sources",
        "published_basis",
        "published_basis is required with a published date and must be empty without one",
        lambda f: f["published"].notna() == f["published_basis"].notna(),
    ),
    _row_rule(
        "sources",
        "published_note",
        "published_note must say how a date the page does not show was found (which metadata field, the "
        "address, the reasoning, or why only a lower bound is known), or what was checked for an undated "
        "page",
        lambda f: f["published_note"].notna() | f["published_basis"].eq("page"),
    ),
    _row_rule(
        "countries",
        "source_ids",
        "turkic_majority needs a source",
        lambda f: f["turkic_majority"].isna() | f["source_ids"].notna(),
    ),
    _row_rule(
        "countries",
        "evidence",
        "a sourced row needs evidence",
        lambda f: f["source_ids"].isna() | f["evidence"].notna(),
    ),
)


def _precision_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(date column, precision column) pairs by naming: ``date``/``date_precision``,
    ``start_date``/``start_precision``, and so on."""
    pairs = []
    for column in frame.columns:
        if column == "date_precision":
            pairs.append(("date", column))
        elif column.endswith("_precision"):
            pairs.append((column.removesuffix("_precision") + "_date", column))
    return [(date, precision) for date, precision in pairs if date in frame.columns]


def dates_match_precision(tables: Tables, labels: Labels) -> list[Failure]:
    """A date known to the year is written as 1 January, one known to the month as the 1st.

    Applies to every table with a date column and its precision column (see :func:`_precision_pairs`).
    """
    failures: list[Failure] = []
    for name, frame in tables.items():
        if not _ready(tables, name):
            continue
        for date, precision in _precision_pairs(frame):
            dates = frame[date]
            year_off = frame[precision].eq("year") & dates.notna() & ~(dates.dt.day_of_year == 1)
            month_off = frame[precision].eq("month") & dates.notna() & ~(dates.dt.day == 1)
            for bad, rule in (
                (year_off, f"{precision} is 'year', so {date} must be 1 January of its year (YYYY-01-01)"),
                (month_off, f"{precision} is 'month', so {date} must be the 1st of its month (YYYY-MM-01)"),
            ):
                if not bad.any():
                    continue
                shown = dates.loc[bad.fillna(False).astype(bool)].dt.strftime("%Y-%m-%d")
                failures += _failures_at(frame, labels[name], date, shown, rule)
    return failures


def check_specifications(tables: Tables, labels: Labels) -> list[Failure]:
    """Every claim's check kind and parameters are valid (``check_spec_failures``), once every table is.

    A parameter may name an id of any table (an event, a country, a region); when that table failed
    its own rules it arrives empty, and "no such id" would only echo the real failure.
    """
    if not all(_ready(tables, name) for name in tables):
        return []
    return check_spec_failures(tables, labels)


Rule = Callable[[Tables, Labels], list[Failure]]
"""A validation rule over the loaded tables (each indexed by CSV line), with their file labels."""

TABLE_RULES: tuple[Rule, ...] = (
    unknown_source_ids,
    unused_sources,
    unknown_countries,
    unknown_articles,
    unknown_claims,
    claims_match_their_evidence,
    sections_in_range,
    one_default_article,
    known_regions,
    check_specifications,
    overlapping_memberships,
    figures_in_evidence,
    dates_match_precision,
    *ROW_RULES,
    *TRADE_RULES,
    *ATTRIBUTE_RULES,
    *CONVENTION_RULES,
    *COHERENCE_RULES,
)
"""Every cross-column, cross-table and convention rule."""

FINAL_RULES: tuple[Rule, ...] = (verdicts_agree_with_checks,)
"""Rules that run the claims' checks: applied only when every table and every other rule passes,
since a check reads the whole data (and a disagreement on broken data would be an echo)."""


def integrity_failures(
    tables: Tables,
    labels: Labels,
    rules: Iterable[Rule] = TABLE_RULES,
    final_rules: Iterable[Rule] = FINAL_RULES,
) -> list[Failure]:
    """Apply every rule of ``rules``; if none fails, every rule of ``final_rules``; return all failures."""
    failures = [failure for rule in rules for failure in rule(tables, labels)]
    if failures:
        return failures
    return [failure for rule in final_rules for failure in rule(tables, labels)]
