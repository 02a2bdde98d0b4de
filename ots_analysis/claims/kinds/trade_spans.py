"""Check kinds about trade over a span of years: a cumulative flow, a change (growth), and the total
trade within a group of countries. Points, missing years and disputes are handled as
:mod:`ots_analysis.claims.kinds.points` describes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.kinds.base import CheckKind, graded, usd_billions
from ots_analysis.claims.kinds.points import (
    Selection,
    compared,
    comparison_text,
    coverage_text,
    disputed_text,
    flow_points,
    judge_quantity,
    judge_values,
    missing_text,
    partner_text,
    point_name,
    reached_anyway,
    select,
    span,
    span_problems,
    span_text,
)
from ots_analysis.claims.parameters import (
    CHANGE,
    COMPARISON,
    COUNTRY,
    FLOW,
    NUMBER,
    ORGANIZATION,
    POSITIVE_NUMBER,
    YEAR,
    figures_parameter,
    parameter,
)
from ots_analysis.indicators import trade
from ots_analysis.verdicts import CONTRADICTED, PARTLY, SUPPORTED, UNVERIFIABLE


def _percent_change(percent: float) -> str:
    """A change in words, "up 10.9%" or "down 3.2%": a published cell never begins with a sign, which
    a spreadsheet would read as a formula."""
    return f"{'down' if percent < 0 else 'up'} {abs(percent):.1f}%"


def _unverifiable(value: str, explanation: str) -> CheckResult:
    return CheckResult(value, UNVERIFIABLE, explanation)


def _with_disputes(explanation: str, found: pd.DataFrame) -> str:
    disputed = disputed_text(found)
    return f"{explanation}; {disputed}" if disputed else explanation


def _too_many_disputes(found: pd.DataFrame) -> CheckResult:
    return _unverifiable("", f"too many disputed figures to decide: {disputed_text(found)}")


def _compare_total(
    selection: Selection,
    stated: float,
    comparison: str,
    tolerance: float,
    what: str,
    coverage: str,
) -> CheckResult:
    """A sum of points against a stated total (shared by the cumulative and group kinds)."""
    low, estimate, _ = selection.total()
    stated_text = f"stated {comparison_text(comparison)} {usd_billions(stated)}"
    if not selection.complete:
        partial = f"{usd_billions(estimate)} from the {len(selection.found)} pair-years with data"
        if reached_anyway(low, stated, comparison):
            explanation = f"{what}: already {partial}; {missing_text(selection.missing)}; {stated_text}"
            return CheckResult(
                f"at least {usd_billions(low)}", SUPPORTED, _with_disputes(explanation, selection.found)
            )
        explanation = f"{what}: {missing_text(selection.missing)}; {partial}; {coverage}; {stated_text}"
        return _unverifiable(f"incomplete: {partial}", explanation)
    judged = judge_quantity(
        selection.found,
        lambda values: float(values.sum()),
        lambda total: compared(total, stated, comparison, tolerance),
        stated,
    )
    if judged is None:
        return _too_many_disputes(selection.found)
    value = usd_billions(judged.estimate)
    if judged.low < judged.high:
        value += f" (disputed range {usd_billions(judged.low)}-{usd_billions(judged.high)})"
    explanation = f"{what}: {value} over {len(selection.found)} pair-years; {stated_text}"
    if judged.depends_on_dispute:
        explanation += "; the verdict depends on the disputed figures: settle them"
    return CheckResult(value, judged.verdict, _with_disputes(explanation, selection.found))


@dataclass(frozen=True, kw_only=True)
class CumulativeFlow(CheckKind):
    """``reporter``'s ``flow`` (exports, imports or turnover) with ``partners``, summed over
    ``from_year``-``to_year``, is ``comparison`` ``stated_usd``.

    Each pair-year is a point of :mod:`ots_analysis.indicators.flows` (the reporter's own figure, else
    its partner's mirror figure; turnover is the pair's best estimate; with ``figures`` own, only the
    reporter's own statistics and its own turnover). ``about``: supported within
    ``tolerance_pct`` of the sum, partly_supported within twice it, else contradicted;
    ``at_least``/``more_than`` (``at_most``/``less_than``): supported if the sum reaches (stays within)
    it, partly_supported if it misses by at most ``tolerance_pct``, else contradicted. Unverifiable,
    naming the missing pair-years, when a year is missing, unless the years with data already reach an
    ``at_least``/``more_than`` total (missing years can only add); unverifiable when disputed figures
    decide the verdict.
    """

    kind = "trade-cumulative"
    reporter: str = parameter(COUNTRY, "The country whose trade is summed.")
    partners: tuple[str, ...] = parameter(COUNTRY.listed(), "Its partners, separated by ';'.")
    flow: str = parameter(FLOW, "exports, imports or turnover.")
    from_year: int = parameter(YEAR, "First year of the span.")
    to_year: int = parameter(YEAR, "Last year of the span (inclusive).")
    stated_usd: float = parameter(POSITIVE_NUMBER, "The total the claim states, in US dollars.")
    comparison: str = parameter(
        COMPARISON, "about (default), at_least, more_than, at_most, less_than.", default="about"
    )
    tolerance_pct: float = parameter(NUMBER, "How far off (percent of the stated total) still counts.")
    figures: str = figures_parameter()

    def problems(self) -> list[tuple[str, str]]:
        """The span must not end before it starts."""
        return span_problems(self.from_year, self.to_year)

    def run(self, ctx: ClaimContext) -> CheckResult:
        years = span(self.from_year, self.to_year)
        points = flow_points(ctx, self.figures)
        selection = select(points, self.reporter, self.partners, self.flow, years)
        what = f"{self.reporter}'s {self.flow} with {partner_text(self.partners)}, {span_text(years)}"
        coverage = coverage_text(points, self.reporter, self.flow)
        return _compare_total(selection, self.stated_usd, self.comparison, self.tolerance_pct, what, coverage)


@dataclass(frozen=True, kw_only=True)
class GroupTradeTotal(CheckKind):
    """Trade among a group of countries, summed over ``from_year``-``to_year``, is ``comparison``
    ``stated_usd``: a stated total for a span of years (or one year) decided by the bilateral matrix.

    The group is ``countries`` or, with ``organization``, its full members on 31 December of each
    year. The total is the sum of the best-estimate turnover of every pair of the group in every
    year (each pair once). ``about``: supported within ``tolerance_pct`` of the sum, partly_supported
    within twice it, else contradicted; the bounds as in :class:`CumulativeFlow`. Unverifiable, naming
    the missing pair-years, while any pair-year lacks an estimate, unless the pairs with data already
    reach an ``at_least``/``more_than`` total. For what officials stated, see ``aggregate-stated``.
    """

    kind = "trade-group-total"
    countries: tuple[str, ...] = parameter(
        COUNTRY.listed(), "The group's countries (or give organization).", default=()
    )
    organization: str | None = parameter(
        ORGANIZATION, "The group is this organisation's members each year.", default=None
    )
    from_year: int = parameter(YEAR, "First year of the span.")
    to_year: int | None = parameter(YEAR, "Last year of the span (default: from_year).", default=None)
    stated_usd: float = parameter(POSITIVE_NUMBER, "The total the claim states, in US dollars.")
    comparison: str = parameter(
        COMPARISON, "about (default), at_least, more_than, at_most, less_than.", default="about"
    )
    tolerance_pct: float = parameter(NUMBER, "How far off (percent of the stated total) still counts.")

    def problems(self) -> list[tuple[str, str]]:
        """Exactly one of countries and organization; a span that does not end before it starts."""
        found = span_problems(self.from_year, self.to_year)
        if bool(self.countries) == (self.organization is not None):
            found.append(("countries", "give either countries or organization (one of them)"))
        return found

    def _pairs(self, ctx: ClaimContext, years: list[int]) -> pd.DataFrame:
        if self.organization is not None:
            return trade.member_dyads(ctx.members(self.organization, years))
        members = pd.DataFrame(
            [(year, country) for year in years for country in sorted(set(self.countries))],
            columns=["year", "iso3"],
        )
        return trade.member_dyads(members)

    def run(self, ctx: ClaimContext) -> CheckResult:
        years = span(self.from_year, self.to_year)
        pairs = self._pairs(ctx, years)
        group = self.organization or ";".join(sorted(set(self.countries)))
        if pairs.empty:
            return _unverifiable("", f"no two countries of {group} in {span_text(years)}: no pair to sum")
        selection = pair_points(ctx.trade_flows, pairs)
        what = f"trade among {group} ({len(pairs)} pair-years), {span_text(years)}"
        coverage = f"{len(selection.found)} of {len(pairs)} pair-years have an estimate"
        return _compare_total(selection, self.stated_usd, self.comparison, self.tolerance_pct, what, coverage)


def pair_points(points: pd.DataFrame, pairs: pd.DataFrame) -> Selection:
    """The turnover points of ``pairs`` (``year``, ``country_a`` < ``country_b``), each pair once, and
    the pair-years without one."""
    turnover = points.loc[points["flow"] == "turnover"]
    found = pairs.merge(
        turnover, left_on=["year", "country_a", "country_b"], right_on=["year", "country", "partner"]
    )
    have = set(zip(found["country_a"], found["country_b"], found["year"], strict=True))
    missing = tuple(
        point_name(a, b, year)
        for a, b, year in zip(pairs["country_a"], pairs["country_b"], pairs["year"], strict=True)
        if (a, b, year) not in have
    )
    return Selection(found.reset_index(drop=True), missing)


def _yearly_totals(selection: Selection, years: list[int]) -> pd.DataFrame:
    """The points summed over partners per year (a year counts only if every partner has a point)."""
    found = selection.found
    return found.groupby("year")[["low_usd", "value_usd", "high_usd"]].sum().reindex(years)


@dataclass(frozen=True, kw_only=True)
class TradeGrowth(CheckKind):
    """``country``'s ``flow`` with ``partners`` (summed) changed from ``from_year`` to ``to_year`` as
    the claim states (``change``).

    - ``percent``: the change (to / from - 1, in percent) is within ``tolerance`` percentage points of
      ``stated_value``: supported; within twice it: partly_supported; else contradicted.
    - ``fold``: to / from is within ``tolerance`` percent of ``stated_value`` (an x-fold change),
      graded the same way.
    - ``rising`` / ``falling``: supported if the last year is above (below) the first, else
      contradicted (only the two years are needed).
    - ``rising_each_year`` / ``falling_each_year``: supported if every year is above (below) the one
      before; partly_supported if only the net change goes that way; else contradicted.
    - ``speeding_up`` / ``slowing_down``: the annual growth rate from ``mid_year`` (default: the year
      before ``to_year``) to ``to_year`` is above (below) the one from ``from_year`` to ``mid_year``:
      supported, else contradicted.

    Figures as in ``trade-cumulative`` (``figures``: both countries' statistics, or the country's own).
    Unverifiable, naming the missing pair-years, when a year the change needs is missing, or when
    disputed figures decide the verdict.
    """

    kind = "trade-growth"
    country: str = parameter(COUNTRY, "The country whose trade changed.")
    partners: tuple[str, ...] = parameter(COUNTRY.listed(), "Its partners (summed), separated by ';'.")
    flow: str = parameter(FLOW, "exports, imports or turnover.")
    from_year: int = parameter(YEAR, "The earlier year.")
    to_year: int = parameter(YEAR, "The later year.")
    change: str = parameter(
        CHANGE,
        "percent, fold, rising, falling, rising_each_year, falling_each_year, speeding_up, slowing_down.",
    )
    stated_value: float | None = parameter(
        NUMBER, "The stated change: percent (e.g. 25) or times (e.g. 3).", default=None
    )
    tolerance: float | None = parameter(
        NUMBER, "Percentage points (percent) or percent of the stated times (fold).", default=None
    )
    mid_year: int | None = parameter(
        YEAR, "speeding_up/slowing_down: where the earlier pace ends.", default=None
    )
    figures: str = figures_parameter()

    def problems(self) -> list[tuple[str, str]]:
        """Two different years in order; a stated value and tolerance where the change needs them."""
        found = span_problems(self.from_year, self.to_year, strict=True)
        if self.change in ("percent", "fold"):
            if self.stated_value is None:
                found.append(("change", f"a {self.change} change needs stated_value"))
            if self.tolerance is None:
                found.append(("change", f"a {self.change} change needs tolerance"))
            if self.change == "fold" and self.stated_value is not None and self.stated_value <= 0:
                found.append(("stated_value", "an x-fold change must be above 0"))
        if self.mid_year is not None and not self.from_year < self.mid_year < self.to_year:
            found.append(
                ("mid_year", f"must lie between from_year ({self.from_year}) and to_year ({self.to_year})")
            )
        return found

    def _years(self) -> list[int]:
        if self.change in ("rising_each_year", "falling_each_year"):
            return span(self.from_year, self.to_year)
        if self.change in ("speeding_up", "slowing_down"):
            mid = self.mid_year if self.mid_year is not None else self.to_year - 1
            return sorted({self.from_year, mid, self.to_year})
        return [self.from_year, self.to_year]

    def _decide(self, totals: np.ndarray, years: list[int]) -> str:
        """The verdict for yearly totals (aligned with ``years``) of the directional changes."""
        first, last = totals[0], totals[-1]
        up = self.change.startswith(("rising", "speeding"))
        if self.change in ("rising", "falling"):
            return SUPPORTED if (last > first if up else last < first) else CONTRADICTED
        if self.change in ("rising_each_year", "falling_each_year"):
            steps = np.diff(totals)
            if (steps > 0).all() if up else (steps < 0).all():
                return SUPPORTED
            return PARTLY if (last > first if up else last < first) else CONTRADICTED
        start, mid, end = totals
        early = (mid / start) ** (1 / (years[1] - years[0]))
        late = (end / mid) ** (1 / (years[2] - years[1]))
        return SUPPORTED if (late > early if self.change == "speeding_up" else late < early) else CONTRADICTED

    def run(self, ctx: ClaimContext) -> CheckResult:
        years = self._years()
        points = flow_points(ctx, self.figures)
        selection = select(points, self.country, self.partners, self.flow, years)
        what = f"{self.country}'s {self.flow} with {partner_text(self.partners)}"
        if not selection.complete:
            coverage = coverage_text(points, self.country, self.flow)
            return _unverifiable("", f"{what}: {missing_text(selection.missing)}; {coverage}")
        found = selection.found
        index = {year: i for i, year in enumerate(years)}
        slot = found["year"].map(index).to_numpy(dtype="int64")

        def yearly(values: np.ndarray) -> np.ndarray:
            return np.bincount(slot, weights=values, minlength=len(years))

        totals = _yearly_totals(selection, years)
        shown = ", ".join(
            f"{year}: {usd_billions(value)}" for year, value in zip(years, totals["value_usd"], strict=True)
        )
        if self.change in ("percent", "fold"):
            stated = float(self.stated_value or 0.0)
            tolerance = float(self.tolerance or 0.0)

            def quantity(values: np.ndarray) -> float:
                per_year = yearly(values)
                ratio = per_year[-1] / per_year[0] if per_year[0] > 0 else np.nan
                return float((ratio - 1) * 100 if self.change == "percent" else ratio)

            def grade(q: float) -> str:
                distance = abs(q - stated) if self.change == "percent" else abs(q - stated) / stated * 100
                return graded(distance, tolerance)

            judged = judge_quantity(found, quantity, grade, stated)
            if judged is None:
                return _too_many_disputes(found)
            unit = "%" if self.change == "percent" else "x"
            value = _percent_change(judged.estimate) if unit == "%" else f"{judged.estimate:.2f}x"
            if judged.low < judged.high:
                value += f" (disputed range {judged.low:.1f}-{judged.high:.1f}{unit})"
            explanation = f"{what}: {shown}; change {value}; stated {stated:g}{unit}"
            return CheckResult(value, judged.verdict, _with_disputes(explanation, found))
        verdict = judge_values(found, lambda values: self._decide(yearly(values), years))
        if verdict is None:
            return _too_many_disputes(found)
        explanation = f"{what}: {shown}; stated {self.change.replace('_', ' ')}"
        if verdict == UNVERIFIABLE:
            explanation += "; the verdict depends on the disputed figures: settle them"
        return CheckResult(shown, verdict, _with_disputes(explanation, found))
