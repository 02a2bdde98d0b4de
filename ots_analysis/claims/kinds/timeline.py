"""Check kinds about dated events and summits: dates, intervals, occasions, hosts, documents."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ots_analysis.attribute_rules import words
from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.kinds.base import CheckKind, graded
from ots_analysis.claims.parameters import (
    EVENT,
    INTEGER,
    NUMBER,
    PARTIAL_DATE,
    SERIES,
    TEXT,
    YEAR_MONTH,
    parameter,
)
from ots_analysis.indicators import timeline
from ots_analysis.verdicts import CONTRADICTED, PARTLY, SUPPORTED, UNVERIFIABLE
from ots_analysis.vocab import DATE_PRECISIONS

_PRECISION_OF_LENGTH = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True, kw_only=True)
class DateMatches(CheckKind):
    """The event happened at the stated date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).

    supported if the dates agree at the stated precision; partly_supported if only the year agrees;
    contradicted otherwise; unverifiable if the data know the date less precisely than stated.
    """

    kind = "date-matches"
    event_id: str = parameter(EVENT, "The event whose date the claim states.")
    stated: str = parameter(PARTIAL_DATE, "The date the claim states: YYYY, YYYY-MM or YYYY-MM-DD.")

    def run(self, ctx: ClaimContext) -> CheckResult:
        event = ctx.dated.set_index("event_id").loc[self.event_id]
        precision = _PRECISION_OF_LENGTH[len(self.stated)]
        if DATE_PRECISIONS.index(event["date_precision"]) > DATE_PRECISIONS.index(precision):
            verdict = UNVERIFIABLE
        else:
            actual = event["date"].strftime("%Y-%m-%d")[: len(self.stated)]
            if actual == self.stated:
                verdict = SUPPORTED
            elif actual[:4] == self.stated[:4]:
                verdict = PARTLY
            else:
                verdict = CONTRADICTED
        value = f"{event['date']:%Y-%m-%d} ({event['date_precision']} precision)"
        return CheckResult(value, verdict, f"{self.event_id} dated {value}; stated {self.stated}")


ARTICLE_DATE = "(the article's date)"
"""The ``to_event`` label of an interval measured to the article's date (never an event id: not a slug)."""


@dataclass(frozen=True, kw_only=True)
class IntervalAbout(CheckKind):
    """The interval between two events is about ``stated_months`` months.

    Without ``to_event`` the interval ends at the article's date (for "over the past N years").
    Graded by |actual - stated| against ``tolerance_months``: supported within it, partly_supported
    within twice it, else contradicted. A month is the mean Gregorian month (30.44 days).
    """

    kind = "interval-about"
    from_event: str = parameter(EVENT, "The earlier event.")
    to_event: str | None = parameter(EVENT, "The later event; default: the article's date.", default=None)
    stated_months: float = parameter(NUMBER, "The interval the claim states, in months.")
    tolerance_months: float = parameter(NUMBER, "How far off (months) still counts as supported.")

    def measured(self, ctx: ClaimContext) -> pd.Series:
        """The interval in the data: one row of :func:`ots_analysis.indicators.timeline.intervals`."""
        dated = ctx.dated[["event_id", "date", "date_precision"]]
        to_event = self.to_event
        if to_event is None:
            to_event = ARTICLE_DATE
            article = pd.DataFrame(
                {"event_id": [to_event], "date": [pd.Timestamp(self.as_of)], "date_precision": ["day"]}
            )
            dated = pd.concat([dated, article.astype({"date": dated["date"].dtype})], ignore_index=True)
        pairs = pd.DataFrame({"from_event": [self.from_event], "to_event": [to_event]})
        return timeline.intervals(dated, pairs).iloc[0]

    def run(self, ctx: ClaimContext) -> CheckResult:
        found = self.measured(ctx)
        months = float(found["months"])
        verdict = graded(abs(months - self.stated_months), self.tolerance_months)
        value = f"{months:.1f} months ({int(found['days'])} days)"
        explanation = (
            f"{self.from_event} ({found['from_date']:%Y-%m-%d}) to {found['to_event']} "
            f"({found['to_date']:%Y-%m-%d}): {value}; stated about {self.stated_months:g} months"
        )
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True, kw_only=True)
class SameOccasion(CheckKind):
    """Event ``event_id`` took place at ``occasion_id``: same date and same city.

    supported if both agree; partly_supported if only the date agrees; contradicted otherwise.
    """

    kind = "same-occasion"
    event_id: str = parameter(EVENT, "The event the claim places at the occasion.")
    occasion_id: str = parameter(EVENT, "The occasion (e.g. a summit).")

    def run(self, ctx: ClaimContext) -> CheckResult:
        events = ctx.events.set_index("event_id")
        event, occasion = events.loc[self.event_id], events.loc[self.occasion_id]
        same_date = event["date"] == occasion["date"]
        same_city = str(event["city"]).casefold() == str(occasion["city"]).casefold()
        verdict = SUPPORTED if same_date and same_city else PARTLY if same_date else CONTRADICTED
        value = f"{event['date']:%Y-%m-%d} {event['city']} / {occasion['date']:%Y-%m-%d} {occasion['city']}"
        return CheckResult(value, verdict, f"{self.event_id} vs {self.occasion_id}: {value}")


def _summit(ctx: ClaimContext, series: str, number: int) -> pd.DataFrame:
    events = ctx.events
    return events.loc[(events["series"] == series) & (events["summit_number"] == number)]


@dataclass(frozen=True, kw_only=True)
class SummitHeld(CheckKind):
    """Summit ``number`` of ``series`` was held in ``city`` (and in ``stated_month``, if given).

    supported if city (and month) agree; partly_supported if the city agrees but not the month;
    contradicted if the summit was held elsewhere; unverifiable if the data lack the summit.
    """

    kind = "summit-held"
    series: str = parameter(SERIES, "The summit series.")
    number: int = parameter(INTEGER, "The summit's number within its series.")
    city: str = parameter(TEXT, "The host city the claim states.")
    stated_month: str | None = parameter(YEAR_MONTH, "The month the claim states (YYYY-MM).", default=None)

    def run(self, ctx: ClaimContext) -> CheckResult:
        summit = _summit(ctx, self.series, self.number)
        if summit.empty:
            return CheckResult("", UNVERIFIABLE, f"no summit {self.number} of {self.series} in the data")
        row = summit.iloc[0]
        city_ok = str(row["city"]).casefold() == self.city.casefold()
        month_ok = self.stated_month is None or row["date"].strftime("%Y-%m") == self.stated_month
        verdict = SUPPORTED if city_ok and month_ok else PARTLY if city_ok else CONTRADICTED
        value = f"{row['city']}, {row['country_iso3']}, {row['date']:%Y-%m-%d}"
        stated = self.city + (f", {self.stated_month}" if self.stated_month else "")
        return CheckResult(value, verdict, f"summit {self.number} held in {value}; stated {stated}")


@dataclass(frozen=True, kw_only=True)
class DocumentAdopted(CheckKind):
    """Summit ``number`` of ``series`` adopted a document whose name contains ``document``.

    supported if a recorded document's name contains it (ignoring case); contradicted if the summit's
    documents are recorded and none does; unverifiable if no documents are recorded for the summit.
    """

    kind = "document-adopted"
    series: str = parameter(SERIES, "The summit series.")
    number: int = parameter(INTEGER, "The summit's number within its series.")
    document: str = parameter(TEXT, "Words of the document's name, as the claim gives it.")

    def run(self, ctx: ClaimContext) -> CheckResult:
        documents = _summit(ctx, self.series, self.number)["documents"].dropna()
        if documents.empty:
            return CheckResult("", UNVERIFIABLE, f"no documents recorded for summit {self.number}")
        listed = str(documents.iloc[0])
        verdict = SUPPORTED if self.document.casefold() in listed.casefold() else CONTRADICTED
        return CheckResult(listed, verdict, f"summit {self.number} documents: {listed}")


THEME_STOPWORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to", "towards"})
"""Words a theme comparison ignores, besides case, punctuation and order."""


def theme_words(theme: str) -> frozenset[str]:
    """The content words of a theme: case-folded, without punctuation and :data:`THEME_STOPWORDS`."""
    return frozenset(words(theme)) - THEME_STOPWORDS


@dataclass(frozen=True, kw_only=True)
class SummitTheme(CheckKind):
    """Summit ``number`` of ``series`` was held under the theme ``theme``.

    Themes are compared by their content words (case, punctuation, word order and the small words of
    :data:`THEME_STOPWORDS` ignored), against every theme a source records for the summit
    (event_themes.csv): supported if a recorded theme has the same content words; partly_supported if
    one shares some of them; contradicted if none shares any; unverifiable if no theme is recorded.
    """

    kind = "summit-theme"
    series: str = parameter(SERIES, "The summit series.")
    number: int = parameter(INTEGER, "The summit's number within its series.")
    theme: str = parameter(TEXT, "The theme as the claim words it.")

    def run(self, ctx: ClaimContext) -> CheckResult:
        summit = _summit(ctx, self.series, self.number)
        themes = ctx.event_themes.loc[ctx.event_themes["event_id"].isin(summit["event_id"])]
        if themes.empty:
            return CheckResult(
                "", UNVERIFIABLE, f"no theme recorded for summit {self.number} of {self.series}"
            )
        stated = theme_words(self.theme)
        recorded = [str(theme) for theme in sorted(set(themes["theme"]))]
        shared = max(len(stated & theme_words(theme)) for theme in recorded)
        exact = any(theme_words(theme) == stated for theme in recorded)
        verdict = SUPPORTED if exact else PARTLY if shared else CONTRADICTED
        value = "; ".join(recorded)
        return CheckResult(value, verdict, f"summit {self.number} theme: {value}; stated {self.theme}")
