"""Check kinds about countries' own statistics: area and population (country_statistics.csv)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.kinds.base import CheckKind
from ots_analysis.claims.kinds.points import compared, comparison_text
from ots_analysis.claims.parameters import (
    COMPARISON,
    COUNTRY,
    DATE,
    NUMBER,
    POSITIVE_NUMBER,
    STATISTIC,
    parameter,
)
from ots_analysis.verdicts import UNVERIFIABLE
from ots_analysis.vocab import COUNTRY_STATISTICS


def latest_figures(statistics: pd.DataFrame, statistic: str, on: pd.Timestamp) -> pd.DataFrame:
    """Each country's latest figure of ``statistic`` dated on or before ``on`` (an undated figure, such
    as an area, counts when no dated one does); where sources give several figures for that date,
    their median, so that no source id decides it. Columns ``iso3``, ``value``, ``as_of``, ``n_figures``."""
    rows = statistics.loc[(statistics["statistic"] == statistic)]
    rows = rows.loc[rows["as_of"].isna() | (rows["as_of"] <= on)]
    undated = pd.Timestamp("1800-01-01")  # before any date the table holds: a dated figure wins
    dated = rows.assign(order=rows["as_of"].fillna(undated))
    latest = dated.loc[dated["order"] == dated.groupby("iso3")["order"].transform("max")]
    return (
        latest.groupby("iso3")
        .agg(value=("value", "median"), as_of=("as_of", "first"), n_figures=("value", "size"))
        .reset_index()
    )


@dataclass(frozen=True, kw_only=True)
class CountryStatistic(CheckKind):
    """The ``statistic`` (area_km2 or population) of ``countries``, summed, is ``comparison``
    ``stated_value``, on ``on`` (default: the article's date).

    Each country's figure is its latest one dated up to ``on`` (:func:`latest_figures`). ``about``:
    supported within ``tolerance_pct`` percent of the sum, partly_supported within twice it, else
    contradicted; the bounds (``at_least``, ``more_than``, ...) as in ``trade-cumulative``.
    Unverifiable, naming them, when a country has no figure.
    """

    kind = "country-statistic"
    countries: tuple[str, ...] = parameter(COUNTRY.listed(), "The countries whose figures are summed.")
    statistic: str = parameter(STATISTIC, "area_km2 or population.")
    stated_value: float = parameter(POSITIVE_NUMBER, "The figure the claim states, in the statistic's unit.")
    comparison: str = parameter(
        COMPARISON, "about (default), at_least, more_than, at_most, less_than.", default="about"
    )
    tolerance_pct: float = parameter(NUMBER, "How far off (percent of the stated figure) still counts.")
    on: dt.date | None = parameter(DATE, "The date meant; default: the article's date.", default=None)

    def run(self, ctx: ClaimContext) -> CheckResult:
        on = self.on or self.as_of
        figures = latest_figures(ctx.country_statistics, self.statistic, pd.Timestamp(on))
        figures = figures.loc[figures["iso3"].isin(self.countries)]
        missing = sorted(set(self.countries) - set(figures["iso3"]))
        unit = COUNTRY_STATISTICS[self.statistic]
        if missing:
            return CheckResult(
                "", UNVERIFIABLE, f"no {self.statistic} figure up to {on} for {', '.join(missing)}"
            )
        total = float(figures["value"].sum())
        verdict = compared(total, self.stated_value, self.comparison, self.tolerance_pct)
        value = f"{total:,.0f} {unit}"
        dates = figures["as_of"].dropna()
        when = f" (figures of {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d})" if not dates.empty else ""
        stated = f"stated {comparison_text(self.comparison)} {self.stated_value:,.0f}"
        explanation = f"{self.statistic} of {'+'.join(sorted(self.countries))}: {value}{when}; {stated}"
        return CheckResult(value, verdict, explanation)
