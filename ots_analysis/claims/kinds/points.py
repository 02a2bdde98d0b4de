"""What the trade check kinds share: choosing the points a claim needs, naming what is missing, and
judging a verdict across the range that disputed figures leave open.

A check reads *points* (:mod:`ots_analysis.indicators.flows`): one value of a flow between a country
and a partner (or the world) in a year, with ``low_usd``/``high_usd`` spanning a dispute. A point the
data lack is *missing*: a check names the missing pair-years and never counts them as zero.

Disputes. A verdict is computed at the estimate (the median of disputed figures) and again with each
disputed point at either end of its range (every combination, up to :data:`MAX_DISPUTED`). If the
verdicts differ, the claim cannot be decided until a curator settles the dispute: the check returns
unverifiable and names the disputed points. A verdict that holds across the range stands, and its
explanation names the disputed points it rests on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ots_analysis.claims.context import ClaimContext
from ots_analysis.claims.kinds.base import graded, usd_billions
from ots_analysis.indicators.flows import WORLD
from ots_analysis.verdicts import CONTRADICTED, PARTLY, SUPPORTED, UNVERIFIABLE

MAX_DISPUTED = 10
"""Disputed points a check varies at most (2 ** 10 combinations); with more it is unverifiable."""


def flow_points(ctx: ClaimContext, figures: str) -> pd.DataFrame:
    """The points a trade check reads: with ``figures`` ``own`` only each country's own statistics
    (``ctx.own_trade_flows``), else the best estimate from both countries' (``ctx.trade_flows``); see
    :data:`ots_analysis.claims.parameters.FIGURE_CHOICES`."""
    return ctx.own_trade_flows if figures == "own" else ctx.trade_flows


@dataclass(frozen=True)
class Selection:
    """The points a check asked for: those found (rows of the flows table) and those missing."""

    found: pd.DataFrame
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True if no point is missing."""
        return not self.missing

    def total(self) -> tuple[float, float, float]:
        """Sum of the found points: (low, estimate, high)."""
        return (
            float(self.found["low_usd"].sum()),
            float(self.found["value_usd"].sum()),
            float(self.found["high_usd"].sum()),
        )


def point_name(country: str, partner: str, year: int) -> str:
    """``KAZ-UZB 2023``, or ``KAZ-world 2023`` for a country's total with the world."""
    return f"{country}-{partner} {year}"


def select(
    points: pd.DataFrame, country: str, partners: Iterable[str], flow: str, years: Sequence[int]
) -> Selection:
    """The points of ``country``'s ``flow`` with each of ``partners`` in each of ``years``."""
    partners = list(partners)
    chosen = points.loc[
        (points["country"] == country)
        & points["partner"].isin(partners)
        & (points["flow"] == flow)
        & points["year"].isin(list(years))
    ]
    have = set(zip(chosen["partner"], chosen["year"], strict=True))
    missing = tuple(
        point_name(country, partner, year)
        for partner in partners
        for year in years
        if (partner, year) not in have
    )
    return Selection(chosen.sort_values(["partner", "year"]).reset_index(drop=True), missing)


def span(first: int, last: int | None) -> list[int]:
    """The years ``first`` to ``last`` (inclusive; ``last`` None means ``first`` alone)."""
    return list(range(first, (last if last is not None else first) + 1))


def span_text(years: Sequence[int]) -> str:
    """``2023`` or ``2020-2024``."""
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def span_problems(from_year: int, to_year: int | None, strict: bool = False) -> list[tuple[str, str]]:
    """A span that ends before it starts (or, with ``strict``, ends in the year it starts)."""
    if to_year is None:
        return [("to_year", "a change needs two years: give to_year")] if strict else []
    if to_year < from_year or (strict and to_year == from_year):
        relation = "after" if strict else "in or after"
        return [("to_year", f"must be {relation} from_year ({from_year}), not {to_year}")]
    return []


def missing_text(missing: Sequence[str], limit: int = 12) -> str:
    """The missing pair-years, listed (the first ``limit`` and a count of the rest)."""
    shown = ", ".join(missing[:limit])
    more = f" and {len(missing) - limit} more" if len(missing) > limit else ""
    return f"no figure for {shown}{more} (a missing year is not counted as zero)"


def coverage_text(points: pd.DataFrame, country: str, flow: str) -> str:
    """Which years the data hold for ``country``'s ``flow`` with any partner (for explanations)."""
    years = sorted(set(points.loc[(points["country"] == country) & (points["flow"] == flow), "year"]))
    if not years:
        return f"the data hold no {flow} figure of {country}"
    return f"the data hold {country}'s {flow} for {years[0]}-{years[-1]} ({len(years)} years with a figure)"


def disputed_text(found: pd.DataFrame) -> str:
    """The disputed points among ``found``, with their ranges ('' if none)."""
    disputed = found.loc[found["disputed"].astype(bool)]
    return "; ".join(
        f"disputed: {point_name(country, partner, year)} {flow} {usd_billions(low)}-{usd_billions(high)}"
        for country, partner, year, flow, low, high in zip(
            disputed["country"],
            disputed["partner"],
            disputed["year"],
            disputed["flow"],
            disputed["low_usd"].to_numpy(dtype="float64"),
            disputed["high_usd"].to_numpy(dtype="float64"),
            strict=True,
        )
    )


# --- judging across disputes ----------------------------------------------------------------------


def corners(found: pd.DataFrame) -> Iterator[np.ndarray] | None:
    """The values of ``found``: first the estimates, then every combination of each disputed point at
    its low or high end; None if more than :data:`MAX_DISPUTED` points are disputed."""
    value = found["value_usd"].to_numpy(dtype="float64")
    low = found["low_usd"].to_numpy(dtype="float64")
    high = found["high_usd"].to_numpy(dtype="float64")
    disputed = np.flatnonzero(low < high)
    if len(disputed) > MAX_DISPUTED:
        return None

    def generate() -> Iterator[np.ndarray]:
        yield value
        for ends in itertools.product((False, True), repeat=len(disputed)):
            values = value.copy()
            values[disputed] = np.where(ends, high[disputed], low[disputed])
            yield values

    return generate()


@dataclass(frozen=True)
class Judged:
    """A verdict judged across disputes: the verdict (unverifiable if it depends on a dispute) and the
    quantity at the estimate, with its range across the disputes."""

    verdict: str
    estimate: float
    low: float
    high: float

    @property
    def depends_on_dispute(self) -> bool:
        """True if the verdict is unverifiable only because disputed points decide it."""
        return self.verdict == UNVERIFIABLE


def judge_quantity(
    found: pd.DataFrame, quantity: Callable[[np.ndarray], float], grade: Callable[[float], str], pivot: float
) -> Judged | None:
    """Grade a quantity computed from the points (monotone in each of them: a sum, ratio or share).

    The quantity's range across the disputes is spanned by its values at the corners; the verdict
    is checked at the range's ends, at the estimate, and at ``pivot`` (the stated figure, where
    "about" is closest) if it lies inside. None if too many points are disputed.
    """
    values = corners(found)
    if values is None:
        return None
    results = [quantity(v) for v in values]
    estimate, low, high = results[0], min(results), max(results)
    tested = {estimate, low, high} | ({pivot} if low < pivot < high else set())
    verdicts = {grade(q) for q in tested if not math.isnan(q)}
    verdict = verdicts.pop() if len(verdicts) == 1 and not math.isnan(estimate) else UNVERIFIABLE
    return Judged(verdict, estimate, low, high)


def judge_values(found: pd.DataFrame, decide: Callable[[np.ndarray], str]) -> str | None:
    """The verdict ``decide`` gives at the estimate, if it gives the same at every corner; else
    unverifiable. None if too many points are disputed."""
    values = corners(found)
    if values is None:
        return None
    verdicts = {decide(v) for v in values}
    return verdicts.pop() if len(verdicts) == 1 else UNVERIFIABLE


def compared(actual: float, stated: float, comparison: str, tolerance: float, relative: bool = True) -> str:
    """A computed figure against a stated one.

    ``about``: supported within ``tolerance``, partly_supported within twice it, else contradicted.
    ``at_least``/``more_than``: supported if the figure reaches (exceeds) the stated one,
    partly_supported if it falls short by at most ``tolerance``, else contradicted; ``at_most``/
    ``less_than`` the same from above. ``tolerance`` is a percentage of the stated figure when
    ``relative``, else in the figure's own unit (percentage points for a share).
    """
    scale = abs(stated) / 100 if relative else 1.0
    distance = abs(actual - stated) / scale if scale else math.inf
    if comparison == "about":
        return graded(distance, tolerance)
    holds = {
        "at_least": actual >= stated,
        "more_than": actual > stated,
        "at_most": actual <= stated,
        "less_than": actual < stated,
    }[comparison]
    if holds:
        return SUPPORTED
    return PARTLY if distance <= tolerance else CONTRADICTED


def reached_anyway(low: float, stated: float, comparison: str) -> bool:
    """True if a lower bound already meets an at_least / more_than claim (missing points only add)."""
    return (comparison == "at_least" and low >= stated) or (comparison == "more_than" and low > stated)


def comparison_text(comparison: str) -> str:
    """How the explanation words a comparison: ``about``, ``at least``..."""
    return comparison.replace("_", " ")


def partner_text(partners: Sequence[str]) -> str:
    """``UZB``, ``KGZ+UZB``, or ``the world``."""
    return "the world" if list(partners) == [WORLD] else "+".join(partners)
