"""Check kinds about trade: bilateral turnover, stated totals, and suppliers' ranks."""

from __future__ import annotations

from dataclasses import dataclass

from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.kinds.base import CheckKind, graded, usd_billions
from ots_analysis.claims.kinds.points import judge_quantity, missing_text
from ots_analysis.claims.kinds.trade_spans import pair_points
from ots_analysis.claims.parameters import (
    AGGREGATE_MEASURE,
    AGGREGATE_SCOPE,
    COUNTRY,
    INTEGER,
    NUMBER,
    parameter,
)
from ots_analysis.indicators import trade
from ots_analysis.verdicts import CONTRADICTED, PARTLY, SUPPORTED, UNVERIFIABLE
from ots_analysis.vocab import AGGREGATE_SCOPES, INTRA_SCOPE


@dataclass(frozen=True, kw_only=True)
class FigureNear(CheckKind):
    """Turnover between two countries "has reached" ``stated_usd`` in the latest year with data.

    Uses the best estimate of the latest full year with one, up to ``last_year`` (default: the year before the
    article). supported if the stated value is within ``tolerance_pct`` of the estimate or inside the
    range of reported figures; partly_supported within twice the tolerance; else contradicted;
    unverifiable without data.
    """

    kind = "figure-near"
    country_a: str = parameter(COUNTRY, "One side of the dyad.")
    country_b: str = parameter(COUNTRY, "The other side.")
    stated_usd: float = parameter(NUMBER, "The turnover the claim states, in US dollars.")
    tolerance_pct: float = parameter(NUMBER, "How far off (percent of the stated value) still counts.")
    last_year: int | None = parameter(
        INTEGER, "Latest year considered; default: the year before the article.", default=None
    )

    def run(self, ctx: ClaimContext) -> CheckResult:
        last_year = self.last_year if self.last_year is not None else self.as_of.year - 1
        best = trade.with_estimate(ctx.best_turnover)
        a, b = sorted((self.country_a, self.country_b))
        series = best.loc[(best["country_a"] == a) & (best["country_b"] == b) & (best["year"] <= last_year)]
        if series.empty:
            return CheckResult("", UNVERIFIABLE, f"no full-year turnover for {a}-{b}")
        latest = series.sort_values("year").iloc[-1]
        distance = abs(latest["best_usd"] - self.stated_usd) / self.stated_usd * 100
        in_range = latest["low_usd"] <= self.stated_usd <= latest["high_usd"]
        verdict = SUPPORTED if in_range else graded(distance, self.tolerance_pct)
        value = (
            f"{int(latest['year'])}: {usd_billions(latest['best_usd'])} "
            f"(range {usd_billions(latest['low_usd'])}-{usd_billions(latest['high_usd'])}; "
            f"reported by {latest['reporters']})"
        )
        explanation = f"{a}-{b} turnover {value}; stated {usd_billions(self.stated_usd)}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True, kw_only=True)
class AggregateStated(CheckKind):
    """An official statement put ``scope`` trade for ``year`` at ``stated_usd`` (as ``measure``).

    Statements: supported if a recorded statement of that scope, year and measure is within
    ``tolerance_pct``; partly_supported if one exists with another value or only with another measure;
    unverifiable if none is recorded.

    The bilateral matrix (intra_ots scope): the sum of the best-estimate turnover of every pair of
    the organisation's members that year is an independent estimate when every pair has one. Then a
    claimed actual total (``measure`` actual) that no statement records is graded against the sum
    (within ``tolerance_pct``: supported; within twice it: partly_supported; else contradicted), and a
    supported actual total that the sum misses by more than twice ``tolerance_pct`` is only
    partly_supported. A sum over fewer pairs is a lower bound and changes no verdict. The explanation
    states the sum and the pairs behind it either way; for a span of years, see ``trade-group-total``.
    """

    kind = "aggregate-stated"
    scope: str = parameter(AGGREGATE_SCOPE, "Which trade is summed.")
    year: int = parameter(INTEGER, "The year the claim's total is for.")
    measure: str = parameter(AGGREGATE_MEASURE, "actual, expected or target, as the claim frames it.")
    stated_usd: float = parameter(NUMBER, "The total the claim states, in US dollars.")
    tolerance_pct: float = parameter(NUMBER, "How far off (percent of the stated value) still counts.")

    def _statements(self, ctx: ClaimContext) -> tuple[str, str]:
        """The verdict and value from the recorded statements (unverifiable, '' if none)."""
        aggregates = ctx.raw.trade_aggregates
        rows = aggregates.loc[(aggregates["scope"] == self.scope) & (aggregates["year"] == self.year)]
        if rows.empty:
            return UNVERIFIABLE, ""
        distance = (rows["value_usd"] - self.stated_usd).abs() / self.stated_usd * 100
        exact = rows.loc[(distance <= self.tolerance_pct) & (rows["measure"] == self.measure)]
        shown = exact if not exact.empty else rows
        value = "; ".join(
            f"{measure} {usd_billions(amount)} ({who})"
            for measure, amount, who in zip(
                shown["measure"],
                shown["value_usd"].to_numpy(dtype="float64"),
                shown["stated_by"],
                strict=True,
            )
        )
        return (SUPPORTED if not exact.empty else PARTLY), value

    def _matrix(self, ctx: ClaimContext) -> tuple[str | None, str]:
        """The verdict the complete matrix gives for an actual total (None otherwise), and its text."""
        if self.scope != INTRA_SCOPE:
            return None, ""
        pairs = trade.member_dyads(ctx.members(AGGREGATE_SCOPES[self.scope], [self.year]))
        if pairs.empty:
            return None, f"no two members of {AGGREGATE_SCOPES[self.scope]} in {self.year}"
        selection = pair_points(ctx.trade_flows, pairs)
        low, estimate, high = selection.total()
        sum_text = f"bilateral sum over the member matrix: {usd_billions(estimate)}"
        if low < high:
            sum_text += f" (disputed range {usd_billions(low)}-{usd_billions(high)})"
        sum_text += f" from {len(selection.found)} of {len(pairs)} member pairs"
        if not selection.complete:
            return None, f"{sum_text} (a lower bound; {missing_text(selection.missing, limit=10)})"
        judged = judge_quantity(
            selection.found,
            lambda values: float(values.sum()),
            lambda total: graded(abs(total - self.stated_usd) / self.stated_usd * 100, self.tolerance_pct),
            self.stated_usd,
        )
        verdict = judged.verdict if judged is not None else UNVERIFIABLE
        return (
            verdict if self.measure == "actual" else None
        ), f"{sum_text} (complete: an independent estimate)"

    def run(self, ctx: ClaimContext) -> CheckResult:
        verdict, value = self._statements(ctx)
        matrix_verdict, matrix_text = self._matrix(ctx)
        if matrix_verdict is not None and matrix_verdict != UNVERIFIABLE:
            if not value:
                verdict = matrix_verdict
            elif verdict == SUPPORTED and matrix_verdict == CONTRADICTED:
                verdict = PARTLY
        stated = f"stated {usd_billions(self.stated_usd)}"
        recorded = value or f"no recorded {self.scope} total for {self.year}"
        explanation = f"{self.scope} {self.year}: {recorded}; {stated}"
        if matrix_text:
            explanation += f"; {matrix_text}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True, kw_only=True)
class SupplierRank(CheckKind):
    """``supplier`` out-ranks ``rival`` among ``importer``'s suppliers in the latest year with both.

    supported if it does; contradicted if the rival ranks higher; unverifiable without a year in which
    both are recorded.
    """

    kind = "supplier-rank"
    importer: str = parameter(COUNTRY, "The importing country.")
    supplier: str = parameter(COUNTRY, "The supplier the claim ranks higher.")
    rival: str = parameter(COUNTRY, "The supplier the claim ranks lower.")

    def run(self, ctx: ClaimContext) -> CheckResult:
        shares = ctx.supplier_shares(self.importer)
        pair = shares.loc[shares["supplier_iso3"].isin([self.supplier, self.rival])]
        both_years = pair.groupby("year")["supplier_iso3"].nunique()
        years = both_years[both_years == 2].index
        if len(years) == 0:
            return CheckResult("", UNVERIFIABLE, f"no year with both {self.supplier} and {self.rival}")
        latest = pair.loc[pair["year"] == years.max()].set_index("supplier_iso3")["value_usd"]
        verdict = SUPPORTED if latest[self.supplier] > latest[self.rival] else CONTRADICTED
        value = (
            f"{years.max()}: {self.supplier} {usd_billions(latest[self.supplier])}, "
            f"{self.rival} {usd_billions(latest[self.rival])}"
        )
        return CheckResult(value, verdict, f"imports of {self.importer}, {value}")
