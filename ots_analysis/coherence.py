"""Rules that hold the tables to each other and to time: what one row says must not contradict another.

Each rule takes the validated frames (indexed by CSV line) and returns :class:`Failure` objects, like
the rules of :mod:`ots_analysis.integrity`, which lists them among its own. A rule whose tables failed
their schema (and so arrive empty) is skipped. The rules, in plain words:

- a recipient's arms-supplier shares in one source for one period add up to at most 100 %;
- no row repeats another with only the order of a ``;``-list changed (lists compare as sets);
- nothing is paired with itself: an arms supplier with its recipient, a check's two countries or two
  events;
- dates agree across tables: an article is reviewed after it is published; a source cited by an
  article's claims is read no later than the article's review; a figure for a period is read in a
  source dated after the period ended (relative to the source's dates, not today's, so validation
  gives the same answer next year); an actual aggregate is stated after its period ended; the
  numbered summits of a series run in the order of their dates; a founding member joins on the day
  the organisation starts, and no other state before that day;
- a date agrees with its evidence: where the excerpt writes years, the row's year is one of them.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import cast

import pandas as pd

from ots_analysis.checks import FULL_YEAR, MONTHS
from ots_analysis.claims.kinds import CHECK_KINDS
from ots_analysis.errors import Failure
from ots_analysis.multivalue import SEPARATOR
from ots_analysis.schemas import TABLES

Tables = Mapping[str, pd.DataFrame]
Labels = Mapping[str, str]
Rule = Callable[[Tables, Labels], list[Failure]]

SHARE_TOLERANCE = 1e-6
"""Rounding slack when shares are added up (33.3 + 33.3 + 33.4 is 100 as far as a source meant)."""


def _ready(tables: Tables, *names: str) -> bool:
    return all(name in tables and not tables[name].columns.empty for name in names)


def _failure(frame: pd.DataFrame, file: str, line: object, column: str, value: object, rule: str) -> Failure:
    number = list(frame.columns).index(column) + 1
    return Failure(file, int(cast(int, line)), number, column, _written(value), rule)


def _written(value: object) -> str:
    """A cell as the CSV writes it: ``2024-01-23`` for a date, ``88`` for 88.0, empty for missing."""
    if _missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _day(value: object) -> str:
    return pd.Timestamp(cast(pd.Timestamp, value)).strftime("%Y-%m-%d")


def _lines(lines: Iterable[object]) -> str:
    listed = sorted(int(cast(int, line)) for line in lines)
    return ("line " if len(listed) == 1 else "lines ") + ", ".join(map(str, listed))


# --- sums, repeats and pairs ---------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _is(value: object, expected: bool) -> bool:
    """True if a boolean cell (numpy, pandas or Python) holds ``expected``; False if it is missing."""
    return not _missing(value) and bool(value) is expected


def arms_shares_at_most_100(tables: Tables, labels: Labels) -> list[Failure]:
    """The shares one source gives for one recipient's arms imports over one period add up to at most
    100 %. Every row of a group that exceeds it is reported, with the others' lines."""
    if not _ready(tables, "arms_suppliers"):
        return []
    arms = tables["arms_suppliers"]
    groups: dict[tuple[str, str, str], list[tuple[int, float]]] = {}
    for line, recipient, start, end, share, cited in zip(
        arms.index,
        arms["recipient_iso3"],
        arms["period_start"],
        arms["period_end"],
        arms["share_pct"],
        arms["source_ids"],
        strict=True,
    ):
        period = "no stated period" if _missing(start) else f"{start}-{'' if _missing(end) else end}"
        for source in str(cited).split(SEPARATOR):
            groups.setdefault((str(recipient), period, source), []).append((int(line), float(share)))
    failures: list[Failure] = []
    for (recipient, period, source), rows in sorted(groups.items()):
        total = sum(share for _, share in rows)
        if total <= 100 + SHARE_TOLERANCE:
            continue
        for line, share in rows:
            others = [other for other, _ in rows if other != line]
            rule = (
                f"{recipient}'s arms-import shares in {source} ({period}) add up to {total:g} %, more "
                f"than 100 % (with {_lines(others)})"
            )
            failures.append(_failure(arms, labels["arms_suppliers"], line, "share_pct", share, rule))
    return failures


def _list_columns(name: str) -> list[str]:
    """Columns of a table that hold ``;``-separated lists (declared with ``distinct_items``)."""
    schema = TABLES[name].model.to_schema()
    return [
        column
        for column, spec in schema.columns.items()
        if any(check.name == "distinct_items" for check in spec.checks)
    ]


def rows_unique_with_lists_as_sets(tables: Tables, labels: Labels) -> list[Failure]:
    """A table's key holds when its lists are read as sets: ``a;b`` and ``b;a`` are the same sources.

    The row that repeats an earlier one is reported at the key's list column.
    """
    failures: list[Failure] = []
    for name, frame in tables.items():
        if name not in TABLES or not _ready(tables, name) or frame.empty:
            continue
        key = list(TABLES[name].model.to_schema().unique or [])
        listed = [column for column in _list_columns(name) if column in key]
        if not listed:
            continue
        columns = [
            [_as_set(cell) if column in listed else _written(cell) for cell in frame[column]]
            for column in key
        ]
        first_line: dict[tuple[str, ...], object] = {}
        for line, row in zip(frame.index, zip(*columns, strict=True), strict=True):
            original = first_line.setdefault(row, line)
            if original == line:
                continue
            rule = (
                f"repeats line {original} with the same {', '.join(key)}: the lists differ only in "
                "order (a list is a set)"
            )
            failures.append(_failure(frame, labels[name], line, listed[0], frame.loc[line, listed[0]], rule))
    return failures


def _as_set(cell: object) -> str:
    return "" if _missing(cell) else SEPARATOR.join(sorted(str(cell).split(SEPARATOR)))


def arms_supplier_is_not_recipient(tables: Tables, labels: Labels) -> list[Failure]:
    """A country does not supply its own arms imports."""
    if not _ready(tables, "arms_suppliers"):
        return []
    arms = tables["arms_suppliers"]
    same = arms.loc[arms["supplier_iso3"] == arms["recipient_iso3"], "supplier_iso3"]
    rule = "supplier and recipient must differ (a country does not import its own arms)"
    return [
        _failure(arms, labels["arms_suppliers"], line, "supplier_iso3", code, rule)
        for line, code in same.items()
    ]


def check_parameters_not_self_paired(tables: Tables, labels: Labels) -> list[Failure]:
    """Two single-valued id parameters of one type in one check (two countries, two events) name
    different ids: a dyad of a country with itself, or an interval from an event to itself, decides
    nothing. The later parameter row is reported."""
    if not _ready(tables, "claims", "check_parameters"):
        return []
    claims, parameters = tables["claims"], tables["check_parameters"]
    kinds = {
        (article, claim): kind
        for article, claim, kind in zip(
            claims["article_id"], claims["claim_id"], claims["check_kind"], strict=True
        )
        if isinstance(kind, str) and kind in CHECK_KINDS
    }
    failures: list[Failure] = []
    seen: dict[tuple[str, str, object, str], tuple[str, object]] = {}
    for line, article, claim, name, value in zip(
        parameters.index,
        parameters["article_id"],
        parameters["claim_id"],
        parameters["parameter"],
        parameters["value"],
        strict=True,
    ):
        kind = kinds.get((article, claim))
        declared = CHECK_KINDS[kind].parameters().get(name) if kind is not None else None
        if declared is None or declared.type.known is None or declared.type.many:
            continue
        key = (article, claim, declared.type.known, value)
        if key in seen:
            first_name, first_line = seen[key]
            rule = (
                f"parameter '{name}' names the same {declared.type.name} as '{first_name}' (line "
                f"{first_line}): the check would compare {value} with itself"
            )
            failures.append(_failure(parameters, labels["check_parameters"], line, "value", value, rule))
        else:
            seen[key] = (name, line)
    return failures


# --- dates across tables -------------------------------------------------------------------------------


def articles_reviewed_after_publication(tables: Tables, labels: Labels) -> list[Failure]:
    """An article is reviewed on or after the day it was published."""
    if not _ready(tables, "articles"):
        return []
    articles = tables["articles"]
    early = articles.loc[articles["review_date"] < articles["published"]]
    return [
        _failure(
            articles,
            labels["articles"],
            line,
            "review_date",
            row["review_date"],
            f"review_date is before the article was published ({_day(row['published'])})",
        )
        for line, row in early.iterrows()
    ]


def sources_read_by_review(tables: Tables, labels: Labels) -> list[Failure]:
    """A source cited by an article's claims or claim evidence was read (``accessed``) no later than
    the article's review date: the review cannot rest on a page read after it. Reported once per
    source and article, at the source's ``accessed``."""
    if not _ready(tables, "sources", "articles", "claims", "claim_evidence"):
        return []
    sources, articles = tables["sources"], tables["articles"]
    review = dict(zip(articles["article_id"], articles["review_date"], strict=True))
    article_line = dict(zip(articles["article_id"], articles.index, strict=True))
    source_line = dict(zip(sources["source_id"], sources.index, strict=True))
    citing: dict[tuple[str, str], tuple[str, object]] = {}
    for name in ("claims", "claim_evidence"):
        frame = tables[name]
        for line, article, cited in zip(frame.index, frame["article_id"], frame["source_ids"], strict=True):
            for source in str(cited).split(SEPARATOR):
                citing.setdefault((source, article), (name, line))
    failures: list[Failure] = []
    for (source, article), (name, line) in sorted(citing.items()):
        if source not in source_line or article not in review or pd.isna(review[article]):
            continue  # an unknown id (integrity reports it), or no review date (conventions do)
        at = source_line[source]
        accessed = sources.loc[at, "accessed"]
        if accessed <= review[article]:
            continue
        rule = (
            f"read after the review of {article} that cites it ({name}.csv line {line}): accessed "
            f"{_day(accessed)}, review_date {_day(review[article])} (articles.csv line "
            f"{article_line[article]}); move the review_date on, or cite a page read by then"
        )
        failures.append(_failure(sources, labels["sources"], at, "accessed", accessed, rule))
    return failures


def period_end(year: int, period: str) -> pd.Timestamp:
    """The first day after ``period`` of ``year``: 1 January of the next year for ``full_year``,
    1 October for ``jan-sep``."""
    if period == FULL_YEAR:
        return pd.Timestamp(year + 1, 1, 1)
    last = MONTHS.index(period.split("-")[1]) + 1
    return pd.Timestamp(year + last // 12, last % 12 + 1, 1)


def _source_dates(sources: pd.DataFrame) -> dict[str, tuple[pd.Timestamp, str]]:
    """Each source's date and what it is: ``published`` where known, else ``accessed``."""
    dates = {}
    for source, published, accessed in zip(
        sources["source_id"], sources["published"], sources["accessed"], strict=True
    ):
        dates[source] = (published, "published") if pd.notna(published) else (accessed, "accessed")
    return dates


def _read_before_period_ended(
    frame: pd.DataFrame, file: str, dates: Mapping[str, tuple[pd.Timestamp, str]], judged: list[bool]
) -> list[Failure]:
    """A failure at ``year`` for each judged row with a source dated before the row's period ended."""
    failures: list[Failure] = []
    for line, year, period, cited, judge in zip(
        frame.index, frame["year"], frame["period"], frame["source_ids"], judged, strict=True
    ):
        if not judge:
            continue
        ended = period_end(int(year), str(period))
        early = [
            source for source in str(cited).split(SEPARATOR) if source in dates and dates[source][0] < ended
        ]
        if early:
            date, what = dates[early[0]]
            rule = (
                f"a {period} figure for {year} cannot be read before the period ended ({_day(ended)}), "
                f"but source {early[0]} is dated {_day(date)} ({what})"
            )
            failures.append(_failure(frame, file, line, "year", year, rule))
    return failures


def figures_after_their_period(tables: Tables, labels: Labels) -> list[Failure]:
    """A trade figure, and an actual aggregate, covers a period that had ended when its sources were
    dated; an actual aggregate is also stated (``stated_on``) after its period ended. An expected or
    target aggregate may come before; an aggregate with no period stated is not judged."""
    if not _ready(tables, "sources"):
        return []
    dates = _source_dates(tables["sources"])
    failures: list[Failure] = []
    if _ready(tables, "trade"):
        trade = tables["trade"]
        failures += _read_before_period_ended(trade, labels["trade"], dates, [True] * len(trade))
    if _ready(tables, "trade_aggregates"):
        aggregates = tables["trade_aggregates"]
        actual = [
            measure == "actual" and not _missing(year) and not _missing(period)
            for measure, year, period in zip(
                aggregates["measure"], aggregates["year"], aggregates["period"], strict=True
            )
        ]
        failures += _read_before_period_ended(aggregates, labels["trade_aggregates"], dates, actual)
        for line, year, period, stated, judge in zip(
            aggregates.index,
            aggregates["year"],
            aggregates["period"],
            aggregates["stated_on"],
            actual,
            strict=True,
        ):
            if not judge or _missing(stated):
                continue
            ended = period_end(int(year), str(period))
            if stated < ended:
                rule = (
                    f"an actual {period} total for {year} cannot be stated before the period ended "
                    f"({_day(ended)}): is it expected, or for another year?"
                )
                failures.append(
                    _failure(aggregates, labels["trade_aggregates"], line, "stated_on", stated, rule)
                )
    return failures


def summits_in_order(tables: Tables, labels: Labels) -> list[Failure]:
    """The numbered summits of a series (preferred rows) run in the order of their dates: summit n+1
    is not dated before summit n. Both rows of an inverted pair are reported."""
    if not _ready(tables, "events"):
        return []
    events = tables["events"]
    numbered = events.loc[events["preferred"].eq(True) & events["summit_number"].notna()]
    failures: set[Failure] = set()
    for series, group in numbered.groupby("series", sort=True):
        ordered = group.sort_values(["summit_number", "date"])
        rows = list(zip(ordered.index, ordered["summit_number"], ordered["date"], strict=True))
        for earlier, later in itertools.pairwise(rows):
            if pd.Timestamp(later[2]) >= pd.Timestamp(earlier[2]):
                continue
            for (line, number, date), (other_line, other_number, other_date) in (
                (earlier, later),
                (later, earlier),
            ):
                rule = (
                    f"summit {number} of {series} is dated {_day(date)}, but summit {other_number} "
                    f"(line {other_line}) {_day(other_date)}: numbers and dates run in opposite orders"
                )
                failures.add(_failure(events, labels["events"], line, "date", date, rule))
    return sorted(failures)


def memberships_after_founding(tables: Tables, labels: Labels) -> list[Failure]:
    """An organisation starts on the day its founding members' spells start (preferred rows marked
    ``founding``): they all start that day, and no other spell of the organisation starts before it.

    The founding day is the one most founding members give (the earliest on a tie); a founding
    member that gives another is reported. An organisation with no founding members recorded is not
    judged (NATO's founders are not in the table).
    """
    if not _ready(tables, "memberships"):
        return []
    memberships = tables["memberships"]
    file = labels["memberships"]
    rows = list(
        zip(
            memberships.index,
            memberships["organization"],
            memberships["founding"],
            memberships["preferred"],
            memberships["start_date"],
            strict=True,
        )
    )
    starts: dict[str, list[tuple[int, pd.Timestamp]]] = {}
    for line, organization, founding, preferred, start in rows:
        if _is(founding, True) and _is(preferred, True) and not _missing(start):
            starts.setdefault(str(organization), []).append((int(line), pd.Timestamp(start)))
    failures: list[Failure] = []
    founded: dict[str, tuple[pd.Timestamp, list[int]]] = {}
    for organization, founders in sorted(starts.items()):
        counts = Counter(start for _, start in founders)
        day = min(start for start, count in counts.items() if count == max(counts.values()))
        agreeing = [line for line, start in founders if start == day]
        founded[organization] = (day, agreeing)
        for line, start in founders:
            if start != day:
                rule = (
                    f"founding member of {organization} starts on another day than its other founders "
                    f"({_day(day)}, {_lines(agreeing)})"
                )
                failures.append(_failure(memberships, file, line, "start_date", start, rule))
    for line, organization, founding, _, start in rows:
        if not _is(founding, False) or _missing(start) or organization not in founded:
            continue
        day, agreeing = founded[organization]
        if start < day:
            rule = (
                f"spell starts before {organization} existed: its founding members start on "
                f"{_day(day)} ({_lines(agreeing)})"
            )
            failures.append(_failure(memberships, file, line, "start_date", start, rule))
    return failures


# --- dates and their evidence --------------------------------------------------------------------------

_YEAR = re.compile(r"(?<![\d.,])(1[89][0-9]{2}|20[0-9]{2})(?:\s*[-–]\s*([0-9]{2})(?![0-9]))?(?![\d])")
"""A year written in an excerpt (1800-2099, not inside a longer number), and a range's two-digit end
(``2016-20``)."""


def years_in_text(text: str) -> set[int]:
    """The years ``text`` writes: "August 28, 1995" gives 1995; "2016-20" gives 2016 and 2020;
    "2,019 million" and "12019" give none."""
    years: set[int] = set()
    for match in _YEAR.finditer(text):
        first = int(match.group(1))
        years.add(first)
        if match.group(2) is not None:
            end = first // 100 * 100 + int(match.group(2))
            if end > first:
                years.add(end)
    return years


EVIDENCE_DATES = {
    "events": ("date",),
    "defense_cooperation": ("date",),
    "memberships": ("start_date",),
    "arms_suppliers": ("period_start", "period_end"),
}
"""The dates (and years) an evidence excerpt states, by table. Trade years are not here: an excerpt
often dates a flow by its page ("last year", "ötən il") and writes only the year compared with."""

DATELINE_TABLES = frozenset({"events", "defense_cooperation", "memberships"})
"""Tables whose excerpts may date an event by the page's dateline ("GABALA, October 7 ...") and write
another year only in passing ("exercises in 2026"): there the year of a cited source's publication
also counts as stated."""


def dates_agree_with_evidence(tables: Tables, labels: Labels) -> list[Failure]:
    """Where a row's evidence writes one or more years, the year of the row's date is among them (or,
    for a dated event, is the year its source was published: the excerpt's dateline). An excerpt
    that writes no year is not judged."""
    publication_years: dict[str, int] = {}
    if _ready(tables, "sources"):
        sources = tables["sources"]
        publication_years = {
            source: published.year
            for source, published in zip(sources["source_id"], sources["published"], strict=True)
            if pd.notna(published)
        }
    failures: list[Failure] = []
    for name, columns in EVIDENCE_DATES.items():
        if not _ready(tables, name) or (name in DATELINE_TABLES and not publication_years):
            continue  # a dateline year needs a valid sources.csv
        frame = tables[name]
        for line, evidence, cited in zip(frame.index, frame["evidence"], frame["source_ids"], strict=True):
            written = years_in_text(str(evidence))
            if not written:
                continue
            allowed = set(written)
            if name in DATELINE_TABLES:
                allowed |= {
                    publication_years[s] for s in str(cited).split(SEPARATOR) if s in publication_years
                }
            for column in columns:
                value = frame.loc[line, column]
                if pd.isna(value):
                    continue
                year = value.year if isinstance(value, pd.Timestamp) else int(value)
                if year in allowed:
                    continue
                shown = ", ".join(str(y) for y in sorted(written))
                rule = (
                    f"the evidence writes {shown} but not {year}: was the date changed without its "
                    "evidence, or is the excerpt from another event?"
                )
                failures.append(_failure(frame, labels[name], line, column, value, rule))
    return failures


COHERENCE_RULES: tuple[Rule, ...] = (
    arms_shares_at_most_100,
    rows_unique_with_lists_as_sets,
    arms_supplier_is_not_recipient,
    check_parameters_not_self_paired,
    articles_reviewed_after_publication,
    sources_read_by_review,
    figures_after_their_period,
    summits_in_order,
    memberships_after_founding,
    dates_agree_with_evidence,
)
"""Every rule of this module, in the order :mod:`ots_analysis.integrity` runs them."""
