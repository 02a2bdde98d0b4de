"""Check kinds about a partner's place in a country's trade: its rank among the country's partners,
and its share of the country's (or a group's) trade. Points, missing years and disputes are handled
as :mod:`ots_analysis.claims.kinds.points` describes."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.kinds.base import CheckKind, usd_billions
from ots_analysis.claims.kinds.points import (
    Selection,
    compared,
    comparison_text,
    disputed_text,
    flow_points,
    judge_quantity,
    missing_text,
    partner_text,
    select,
    span,
    span_problems,
    span_text,
)
from ots_analysis.claims.parameters import (
    COMPARISON,
    COUNTRY,
    FLOW,
    NUMBER,
    POSITIVE_INTEGER,
    RANK_MODE,
    SHARE_BASE,
    YEAR,
    figures_parameter,
    parameter,
)
from ots_analysis.indicators.flows import WORLD
from ots_analysis.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE

_ROLE = {"exports": "export destinations", "imports": "import suppliers", "turnover": "trading partners"}


@dataclass(frozen=True)
class RankBounds:
    """The best and worst rank the data allow (``worst`` is None when unbounded), and why."""

    best: int
    worst: int | None
    above: tuple[str, ...]
    unsure: tuple[str, ...]
    remainder_usd: float | None


def _extra_above(deficits: list[float], budget: float, floor: float) -> float:
    """How many more partners could outrank a partner worth ``floor``, given ``budget`` of trade no
    partner's figure accounts for: partners with missing years first (each needs more than its
    deficit), then partners without any figure (each needs more than ``floor``)."""
    count = 0
    for deficit in sorted(deficits):
        if budget > deficit:
            budget -= deficit
            count += 1
    if budget <= 0:
        return count
    if floor <= 0:
        return math.inf
    return count + max(math.ceil(budget / floor) - 1, 0)


def rank_bounds(
    partner: Selection, competitors: pd.DataFrame, years: list[int], world: Selection | None
) -> RankBounds:
    """The range of ranks a partner can hold among a country's partners, over ``years``.

    ``partner`` holds the partner's points (complete); ``competitors`` every other partner's points in
    those years; ``world`` the country's total with the world (None, or incomplete: unknown). A
    competitor is certainly above when even its known years, at their lowest, exceed the partner at
    its highest; it may be above when its known years at their highest exceed the partner at its
    lowest, or when its missing years could. The trade no recorded figure accounts for (the world
    total, at its highest, minus every recorded figure at its lowest) bounds how many unrecorded
    partners, or missing years, could push the partner down; without a world total nothing bounds it.
    """
    p_low, _, p_high = partner.total()
    known = competitors.groupby("partner").agg(
        low=("low_usd", "sum"), high=("high_usd", "sum"), years=("year", "nunique")
    )
    complete = known["years"] == len(years)
    above = known.index[known["low"] > p_high]
    maybe = known.index[(known["low"] <= p_high) & (known["high"] > p_low)]
    short = known.loc[(known["high"] <= p_low) & ~complete]
    best = 1 + len(above)
    unsure = tuple(sorted(maybe)) + tuple(f"{name} (missing years)" for name in sorted(short.index))
    if world is None or not world.complete:
        return RankBounds(best, None, tuple(sorted(above)), unsure, None)
    w_high = world.total()[2]
    remainder = max(w_high - p_low - float(known["low"].sum()), 0.0)
    deficits = (p_low - short["high"]).tolist()
    extra = _extra_above(deficits, remainder, p_low)
    worst = None if math.isinf(extra) else best + len(maybe) + int(extra)
    return RankBounds(best, worst, tuple(sorted(above)), unsure, remainder)


@dataclass(frozen=True, kw_only=True)
class TradeRank(CheckKind):
    """``partner`` ranks ``stated_rank`` among ``country``'s export destinations (``flow`` exports),
    import suppliers (imports) or trading partners (turnover), in ``from_year`` or summed over
    ``from_year``-``to_year``.

    The data bound the rank from both sides (see :func:`rank_bounds`): partners whose figures exceed
    the partner's push it down for certain; a figure of the country's total trade with the world
    (trade_world_totals.csv) bounds how many unrecorded partners could also exceed it. Without that
    total no rank can be confirmed, only refuted. ``mode`` exactly: supported if the rank is
    ``stated_rank`` for certain, contradicted if it certainly is not, else unverifiable; ``mode`` top
    ("among the top N"): supported if the worst possible rank is within ``stated_rank``,
    contradicted if the best possible rank is below it, else unverifiable. Unverifiable, naming the
    missing pair-years, when the partner's own figure lacks a year; the explanation names what else
    is missing (the world total, partners with missing years). ``figures``: both countries'
    statistics (default), or the country's own only.
    """

    kind = "trade-rank"
    country: str = parameter(COUNTRY, "The country whose partners are ranked.")
    partner: str = parameter(COUNTRY, "The partner the claim ranks.")
    flow: str = parameter(FLOW, "exports (destinations), imports (suppliers) or turnover (partners).")
    stated_rank: int = parameter(POSITIVE_INTEGER, "The rank the claim states (1 = largest).")
    mode: str = parameter(
        RANK_MODE, "exactly (default) or top (among the top stated_rank).", default="exactly"
    )
    from_year: int = parameter(YEAR, "The year, or the first year of a span.")
    to_year: int | None = parameter(YEAR, "Last year of a span (default: from_year alone).", default=None)
    figures: str = figures_parameter()

    def problems(self) -> list[tuple[str, str]]:
        """A span that does not end before it starts (a partner equal to the country is refused by
        the rule against self-pairs in any check, :mod:`ots_analysis.coherence`)."""
        return span_problems(self.from_year, self.to_year)

    def run(self, ctx: ClaimContext) -> CheckResult:
        years = span(self.from_year, self.to_year)
        points = flow_points(ctx, self.figures)
        role = f"{self.country}'s {_ROLE[self.flow]}, {span_text(years)}"
        own = select(points, self.country, [self.partner], self.flow, years)
        if not own.complete:
            return CheckResult("", UNVERIFIABLE, f"{self.partner} among {role}: {missing_text(own.missing)}")
        mine = points.loc[
            (points["country"] == self.country)
            & (points["flow"] == self.flow)
            & points["year"].isin(years)
            & (points["partner"] != self.partner)
        ]
        world = select(ctx.world_flows, self.country, [WORLD], self.flow, years)
        bounds = rank_bounds(own, mine, years, world)
        worst = "?" if bounds.worst is None else str(bounds.worst)
        value = f"rank {bounds.best}" if bounds.worst == bounds.best else f"rank {bounds.best}-{worst}"
        k = self.stated_rank
        if self.mode == "exactly":
            sure = bounds.worst is not None and bounds.best == bounds.worst == k
            wrong = k < bounds.best or (bounds.worst is not None and k > bounds.worst)
        else:
            sure = bounds.worst is not None and bounds.worst <= k
            wrong = bounds.best > k
        verdict = SUPPORTED if sure else CONTRADICTED if wrong else UNVERIFIABLE
        details = [f"{self.partner} {usd_billions(own.total()[1])}"]
        if bounds.above:
            details.append(f"certainly above: {', '.join(bounds.above)}")
        if bounds.unsure:
            details.append(f"possibly above: {', '.join(bounds.unsure)}")
        if world.complete:
            details.append(
                f"trade no recorded partner accounts for: up to {usd_billions(bounds.remainder_usd or 0)}"
            )
        else:
            unbounded = "so unrecorded partners are unbounded"
            details.append(f"no total with the world ({missing_text(world.missing)}), {unbounded}")
        stated = f"stated {'top ' if self.mode == 'top' else ''}{k}"
        explanation = f"{self.partner} among {role}: {value}; " + "; ".join(details) + f"; {stated}"
        disputed = disputed_text(pd.concat([own.found, mine], ignore_index=True))
        return CheckResult(value, verdict, f"{explanation}; {disputed}" if disputed else explanation)


@dataclass(frozen=True, kw_only=True)
class TradeShare(CheckKind):
    """``partners`` account for ``stated_pct`` percent of ``country``'s ``flow`` (exports, imports or
    turnover), in ``from_year`` or over ``from_year``-``to_year``.

    What the share is of (``base``): ``world``, the country's total with the world
    (trade_world_totals.csv); ``partners``, the country's trade with the countries of ``among`` (which
    include the partners); ``group``, all trade among the countries of ``among`` (turnover of every
    pair, once; the country's trade with the partners is then its pairs' turnover). Graded by
    ``comparison`` with ``tolerance_pct`` in percentage points (about: within it supported, within
    twice it partly_supported, else contradicted; bounds as in ``trade-cumulative``). Unverifiable,
    naming the missing pair-years, when a figure the numerator or the denominator needs is missing,
    when the share would exceed 100 % (figures that do not fit together), or when disputed figures
    decide the verdict. ``figures``: both countries' statistics (default), or the country's own only.
    """

    kind = "trade-share"
    country: str = parameter(COUNTRY, "The country whose trade is divided.")
    partners: tuple[str, ...] = parameter(COUNTRY.listed(), "The partners whose share is stated.")
    flow: str = parameter(FLOW, "exports, imports or turnover.")
    from_year: int = parameter(YEAR, "The year, or the first year of a span.")
    to_year: int | None = parameter(YEAR, "Last year of a span (default: from_year alone).", default=None)
    stated_pct: float = parameter(NUMBER, "The share the claim states, in percent.")
    comparison: str = parameter(
        COMPARISON, "about (default), at_least, more_than, at_most, less_than.", default="about"
    )
    tolerance_pct: float = parameter(NUMBER, "How far off (percentage points) still counts.")
    base: str = parameter(SHARE_BASE, "world (default), partners or group.", default="world")
    among: tuple[str, ...] = parameter(
        COUNTRY.listed(), "partners/group base: the countries of the whole.", default=()
    )
    figures: str = figures_parameter()

    def problems(self) -> list[tuple[str, str]]:
        """A valid span and percentage; ``among`` given (and holding the partners) for its bases."""
        found = span_problems(self.from_year, self.to_year)
        if not 0 <= self.stated_pct <= 100:
            found.append(("stated_pct", "a share is a percentage from 0 to 100"))
        if self.country in self.partners:
            found.append(("partners", "a country is not its own partner"))
        if self.base == "world":
            if self.among:
                found.append(("among", "only the partners and group bases use among"))
        elif not set(self.partners) <= set(self.among) or (
            self.base == "group" and self.country not in self.among
        ):
            found.append(
                (
                    "among",
                    f"the {self.base} base needs among to hold the partners (and, for group, the country)",
                )
            )
        if self.base == "group" and self.flow != "turnover":
            found.append(("flow", "a group's trade is turnover: use flow turnover with the group base"))
        return found

    def _rest(self, ctx: ClaimContext, years: list[int]) -> tuple[Selection, str]:
        """The points of the whole besides the partners' own (all of it for the world base), and how
        the explanation names the whole."""
        points = flow_points(ctx, self.figures)
        if self.base == "world":
            return select(ctx.world_flows, self.country, [WORLD], self.flow, years), "the world"
        if self.base == "partners":
            others = [c for c in sorted(set(self.among)) if c != self.country and c not in self.partners]
            name = f"{self.country}'s {self.flow} with {'+'.join(sorted(set(self.among) - {self.country}))}"
            return select(points, self.country, others, self.flow, years), name
        members = sorted(set(self.among))
        numerator = {frozenset((self.country, partner)) for partner in self.partners}
        parts = [
            select(
                points,
                a,
                [b for b in members if b > a and frozenset((a, b)) not in numerator],
                "turnover",
                years,
            )
            for a in members
        ]
        found = pd.concat([part.found for part in parts], ignore_index=True)
        missing = tuple(name for part in parts for name in part.missing)
        return Selection(found, missing), f"all trade among {'+'.join(members)}"

    def run(self, ctx: ClaimContext) -> CheckResult:
        years = span(self.from_year, self.to_year)
        numerator = select(flow_points(ctx, self.figures), self.country, self.partners, self.flow, years)
        rest, whole_name = self._rest(ctx, years)
        subject = f"{partner_text(self.partners)} in {self.country}'s {self.flow}"
        what = f"{subject}, {span_text(years)}, of {whole_name}"
        missing = numerator.missing + rest.missing
        if missing:
            return CheckResult("", UNVERIFIABLE, f"share of {what}: {missing_text(missing)}")
        found = pd.concat([numerator.found, rest.found], ignore_index=True)
        n = len(numerator.found)
        against_world = self.base == "world"

        def share(values: np.ndarray) -> float:
            part = values[:n].sum()
            whole = values[n:].sum() if against_world else part + values[n:].sum()
            return float(part / whole * 100) if whole > 0 else math.nan

        judged = judge_quantity(
            found,
            share,
            lambda pct: compared(pct, self.stated_pct, self.comparison, self.tolerance_pct, relative=False),
            self.stated_pct,
        )
        if judged is None:
            return CheckResult("", UNVERIFIABLE, f"too many disputed figures: {disputed_text(found)}")
        part = numerator.total()[1]
        whole = rest.total()[1] + (0.0 if against_world else part)
        if math.isnan(judged.estimate) or judged.high > 100 + 1e-9:
            reason = f"{usd_billions(part)} against a whole of {usd_billions(whole)}: the figures do not fit"
            return CheckResult("", UNVERIFIABLE, f"share of {what}: {reason}")
        value = f"{judged.estimate:.1f}%"
        if judged.low < judged.high:
            value += f" (disputed range {judged.low:.1f}-{judged.high:.1f}%)"
        stated = f"stated {comparison_text(self.comparison)} {self.stated_pct:g}%"
        explanation = f"share of {what}: {value} ({usd_billions(part)} of {usd_billions(whole)}); {stated}"
        if judged.depends_on_dispute:
            explanation += "; the verdict depends on the disputed figures: settle them"
        disputed = disputed_text(found)
        return CheckResult(value, judged.verdict, f"{explanation}; {disputed}" if disputed else explanation)
