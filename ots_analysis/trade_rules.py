"""Trade-specific validation: rules across the rows of trade.csv and trade_world_totals.csv, and the
warnings about disputed figures that a curator has not settled yet.

The rules (errors, registered in :data:`ots_analysis.integrity.TABLE_RULES`):

- a reporter's exports or imports may not exceed the turnover the same source states for the same
  partner (or the world), year and period, beyond what the rounding of the two figures allows;
- in trade_world_totals.csv, ``months`` must be the number of months of ``period``.

Negative values and a partner equal to its reporter are rejected by the schema (``value_usd >= 0``) and
by :data:`ots_analysis.integrity.ROW_RULES`.

Disputes are warnings, not errors (:func:`unsettled_disputes`): the coverage of the trade matrix grows
by entering figures from many outlets, which disagree faster than they can be settled, and a dispute is
a finding, not broken data. The indicators stay deterministic meanwhile (the median of the disputed
figures, flagged), ``ots-analysis validate`` prints one warning per dispute at the rows to settle (a
build goes ahead), and the report lists the disputed pair-years.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np
import pandas as pd

from ots_analysis.checks import period_months
from ots_analysis.errors import Failure
from ots_analysis.indicators import trade as trade_indicators
from ots_analysis.indicators.flows import WORLD, world_as_partner
from ots_analysis.multivalue import SEPARATOR

Tables = Mapping[str, pd.DataFrame]
Labels = Mapping[str, str]

_FLOW_TABLES = {"trade": "partner_iso3", "trade_world_totals": None}
"""Tables of stated trade figures, with their partner column (None: the partner is the world)."""


def _ready(tables: Tables, name: str) -> bool:
    return name in tables and not tables[name].columns.empty


def _column_number(frame: pd.DataFrame, column: str) -> int:
    return list(frame.columns).index(column) + 1


def _usd(value: float) -> str:
    return f"USD {value / 1e9:.3g} bn" if value >= 1e8 else f"USD {value / 1e6:.3g} mn"


def _half_unit(values: pd.Series) -> pd.Series:
    """Half a unit of each value's last significant digit: how far rounding may have moved it."""
    digits = trade_indicators.significant_digits(values)
    magnitude = np.floor(np.log10(values.where(values > 0)))
    return (0.5 * 10.0 ** (magnitude - digits + 1)).fillna(0.0)


def flows_within_turnover(tables: Tables, labels: Labels) -> list[Failure]:
    """Exports or imports above the turnover the same source states for the same reporter, partner,
    year and period (reported at the flow's ``value_usd``): a turnover is exports plus imports, so
    neither can exceed it, once the rounding of both figures is allowed for."""
    failures: list[Failure] = []
    for name, partner in _FLOW_TABLES.items():
        if not _ready(tables, name):
            continue
        frame = tables[name]
        keys = ["reporter_iso3", *([partner] if partner else []), "year", "period", "source_ids"]
        rows = frame.assign(csv_line=frame.index, slack=_half_unit(frame["value_usd"]))
        totals = rows.loc[rows["flow"] == "turnover", [*keys, "value_usd", "slack", "csv_line"]]
        flows = rows.loc[rows["flow"] != "turnover", [*keys, "flow", "value_usd", "slack", "csv_line"]]
        paired = flows.merge(totals, on=keys, suffixes=("", "_turnover"))
        above = (
            paired["value_usd"] - paired["slack"] > paired["value_usd_turnover"] + paired["slack_turnover"]
        )
        number = _column_number(frame, "value_usd")
        bad = paired.loc[above]
        for flow, value, turnover, line, turnover_line in zip(
            bad["flow"],
            bad["value_usd"].to_numpy(dtype="float64"),
            bad["value_usd_turnover"].to_numpy(dtype="float64"),
            bad["csv_line"].to_numpy(dtype="int64"),
            bad["csv_line_turnover"].to_numpy(dtype="int64"),
            strict=True,
        ):
            rule = (
                f"{flow} ({_usd(value)}) exceed the turnover the same source states for this reporter, "
                f"partner, year and period ({_usd(turnover)}, line {turnover_line}): a turnover is "
                "exports plus imports"
            )
            failures.append(Failure(labels[name], int(line), number, "value_usd", f"{value:.0f}", rule))
    return failures


def world_totals_months(tables: Tables, labels: Labels) -> list[Failure]:
    """In trade_world_totals.csv, ``months`` must be the number of months of ``period``."""
    if not _ready(tables, "trade_world_totals"):
        return []
    frame = tables["trade_world_totals"]
    expected = frame["period"].map(period_months).astype("Int64")
    bad = frame.loc[~expected.eq(frame["months"]).fillna(False).astype(bool), "months"]
    rule = "months must be the number of months in period (full_year = 12, jan-sep = 9)"
    number = _column_number(frame, "months")
    return [
        Failure(labels["trade_world_totals"], int(cast(int, line)), number, "months", str(value), rule)
        for line, value in bad.items()
    ]


TRADE_RULES = (flows_within_turnover, world_totals_months)
"""The trade-specific rules, in the order they report."""


# --- warnings: disputes a curator has not settled ---------------------------------------------------


def _dispute_rows(figures: pd.DataFrame, dispute: pd.Series) -> pd.DataFrame:
    """The rows of ``figures`` (full-year, preferred) among a dispute's equally ranked candidates."""
    flows = (
        ["exports", "imports"] if dispute["basis"] == trade_indicators.BASIS_DERIVED else [dispute["flow"]]
    )
    cited = set(str(dispute["source_ids"]).split(SEPARATOR))
    within = figures["source_ids"].str.split(SEPARATOR).map(lambda ids: set(ids) <= cited).astype(bool)
    match = (
        (figures["reporter_iso3"] == dispute["reporter_iso3"])
        & (figures["partner_iso3"] == dispute["partner_iso3"])
        & (figures["year"] == dispute["year"])
        & figures["flow"].isin(flows)
        & within
    )
    if dispute["basis"] != trade_indicators.BASIS_DERIVED:
        value = figures["value_usd"]
        match &= value.between(dispute["tied_low_usd"], dispute["tied_high_usd"])
    return figures.loc[match]


def unsettled_disputes(tables: Tables, labels: Labels) -> list[Failure]:
    """One warning per disputed figure (:func:`~ots_analysis.indicators.trade.disputed_figures`) among
    the preferred rows of trade.csv and trade_world_totals.csv, at the first of its rows, naming all.

    Settle a dispute by setting ``preferred = false``, with a ``preferred_note`` giving the reason, on
    each row the evidence rejects.
    """
    warnings: list[Failure] = []
    for name, partner in _FLOW_TABLES.items():
        if not _ready(tables, name):
            continue
        frame = tables[name]
        preferred = frame.loc[frame["preferred"].eq(True) & frame["months"].eq(12)]
        figures = preferred if partner else world_as_partner(preferred)
        number = _column_number(frame, "value_usd")
        for _, dispute in trade_indicators.disputed_figures(figures).iterrows():
            rows = _dispute_rows(figures, dispute)
            if rows.empty:
                continue
            lines = ", ".join(
                f"{_usd(value)} (line {line}, {flow})"
                for line, value, flow in zip(rows.index, rows["value_usd"], rows["flow"], strict=True)
            )
            who = dispute["partner_iso3"] if dispute["partner_iso3"] != WORLD else "the world"
            preposition = {"exports": "to", "imports": "from"}.get(str(dispute["flow"]), "with")
            rule = (
                f"unsettled dispute: {dispute['reporter_iso3']}'s {dispute['flow']} {preposition} {who} in "
                f"{dispute['year']} ({dispute['basis']}): equally ranked figures {lines} differ by "
                f"{dispute['spread_pct']:.1f} % (more than "
                f"{trade_indicators.DISPUTE_TOLERANCE * 100:g} %); the indicators use their median, "
                f"{_usd(dispute['estimate_usd'])}. Settle it: preferred = false and a preferred_note on "
                "each row the evidence rejects"
            )
            first = int(cast(int, rows.index[0]))
            value = f"{rows['value_usd'].iloc[0]:.0f}"
            warnings.append(Failure(labels[name], first, number, "value_usd", value, rule))
    return warnings
