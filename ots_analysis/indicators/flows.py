"""Directed trade flows: each country's exports to, imports from and turnover with each partner (and
with the world), per year, with the range a dispute leaves open. The trade check kinds read these.

A *point* is one value of one flow: ``country`` trades with ``partner`` in ``year``. Exports and
imports are the country's own figures (:func:`~ots_analysis.indicators.trade.preferred_figures`)
where it reports them, else the mirror: the partner's reported imports from it, or exports to it
(``basis`` says which). Turnover is the pair's best estimate
(:func:`~ots_analysis.indicators.trade.best_estimate`), the same from either side. ``low_usd`` and
``high_usd`` equal ``value_usd`` except for a disputed point, where they span what the disputed
figures allow (for turnover: the median of the sides with each disputed side at its lowest, or
highest, figure). A pair-year with no figure has no point: it is missing, never zero.

:func:`own_flows` keeps only each country's own statistics: the exports and imports it reports (no
mirror) and its own side's turnover with each partner (stated, or its exports plus imports), for a
claim that quotes one country's figures ("by Kyrgyz statistics").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ots_analysis.indicators import trade
from ots_analysis.vocab import SHOWN_NOT_AVERAGED

WORLD = "world"
"""The partner of a country's total trade (trade_world_totals.csv); never a country code."""

POINT_COLUMNS = [
    "country",
    "partner",
    "year",
    "flow",
    "value_usd",
    "low_usd",
    "high_usd",
    "disputed",
    "basis",
    "source_ids",
]
_MIRROR = {"exports": "imports", "imports": "exports"}
_KEYS = ["country", "partner", "year", "flow"]


def world_as_partner(totals: pd.DataFrame) -> pd.DataFrame:
    """Rows of trade_world_totals.csv in the layout of trade.csv, with the world as partner."""
    return totals.assign(partner_iso3=WORLD)


def _ranges(frame: pd.DataFrame, value: str) -> pd.DataFrame:
    """``low_usd``/``high_usd``: the equally ranked range where disputed, else the value itself."""
    disputed = frame["disputed"].astype(bool)
    return frame.assign(
        low_usd=frame["tied_low_usd"].where(disputed, frame[value]),
        high_usd=frame["tied_high_usd"].where(disputed, frame[value]),
    )


def _empty_points() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype="str") for column in POINT_COLUMNS})
    floats = {column: "float64" for column in ("value_usd", "low_usd", "high_usd")}
    return frame.astype({"year": "int64", "disputed": "bool", **floats})


def _reported_points(figures: pd.DataFrame) -> pd.DataFrame:
    """Exports and imports as their reporter states them, and as their mirror (swapped sides)."""
    flows = _ranges(figures.loc[figures["flow"].isin(list(_MIRROR))], "value_usd")
    own = flows.assign(
        country=flows["reporter_iso3"],
        partner=flows["partner_iso3"],
        basis="reported by " + flows["reporter_iso3"],
    )
    mirror = flows.loc[flows["partner_iso3"] != WORLD]
    mirror = mirror.assign(
        country=mirror["partner_iso3"],
        partner=mirror["reporter_iso3"],
        flow=mirror["flow"].map(_MIRROR),
        basis="mirror: "
        + mirror["flow"].map(_MIRROR).astype("str")
        + " reported by "
        + mirror["reporter_iso3"],
    )
    both = pd.concat([own[POINT_COLUMNS], mirror[POINT_COLUMNS]], ignore_index=True)
    return both.drop_duplicates(_KEYS, keep="first")


def _turnover_points(sides: pd.DataFrame) -> pd.DataFrame:
    """The best estimate of each dyad-year, from both countries' side, with its dispute range."""
    averaged = _ranges(sides.loc[~sides["statistic_origin"].isin(SHOWN_NOT_AVERAGED)], "turnover_usd")
    keys = ["country_a", "country_b", "year"]
    estimate = (
        averaged.groupby(keys)
        .agg(
            value_usd=("turnover_usd", "median"),
            low_usd=("low_usd", "median"),
            high_usd=("high_usd", "median"),
            disputed=("disputed", "any"),
            reporters=("reporter_iso3", lambda s: ";".join(sorted(s))),
            source_ids=("source_ids", lambda s: ";".join(sorted(set(";".join(s).split(";"))))),
        )
        .reset_index()
    )
    estimate = estimate.assign(flow="turnover", basis="estimate from " + estimate["reporters"])
    forward = estimate.assign(country=estimate["country_a"], partner=estimate["country_b"])
    backward = estimate.assign(country=estimate["country_b"], partner=estimate["country_a"])
    return pd.concat([forward[POINT_COLUMNS], backward[POINT_COLUMNS]], ignore_index=True)


def _own_turnover_points(sides: pd.DataFrame) -> pd.DataFrame:
    """Each reporter's own turnover with its partner (its side of the dyad), with its dispute range;
    a figure relayed only in indirect speech is left out, as it never sets an estimate."""
    own = _ranges(sides.loc[~sides["statistic_origin"].isin(SHOWN_NOT_AVERAGED)], "turnover_usd")
    partner = own["country_b"].where(own["reporter_iso3"] == own["country_a"], own["country_a"])
    own = own.assign(
        country=own["reporter_iso3"],
        partner=partner,
        flow="turnover",
        value_usd=own["turnover_usd"],
        basis=own["basis"] + " by " + own["reporter_iso3"],
    )
    return own[POINT_COLUMNS]


def _typed(points: pd.DataFrame) -> pd.DataFrame:
    if points.empty:
        return _empty_points()
    points = points.sort_values(_KEYS).reset_index(drop=True)
    return points.astype({"year": "int64", "disputed": "bool"})


def directed_flows(trade_rows: pd.DataFrame) -> pd.DataFrame:
    """Every point of every country with every partner (see the module docstring), from the
    preferred rows of trade.csv; columns :data:`POINT_COLUMNS`."""
    figures = trade.preferred_figures(trade_rows, with_range=True)
    sides = trade.turnover_by_dyad(trade_rows, with_range=True)
    parts = [part for part in (_reported_points(figures), _turnover_points(sides)) if not part.empty]
    return _typed(pd.concat(parts, ignore_index=True) if parts else _empty_points())


def own_flows(trade_rows: pd.DataFrame) -> pd.DataFrame:
    """Each country's own statistics with each partner (see the module docstring): the exports and
    imports it reports, and its own turnover; columns :data:`POINT_COLUMNS`."""
    figures = trade.preferred_figures(trade_rows, with_range=True)
    reported = _reported_points(figures)
    reported = reported.loc[reported["basis"].str.startswith("reported by")]
    sides = trade.turnover_by_dyad(trade_rows, with_range=True)
    parts = [part for part in (reported, _own_turnover_points(sides)) if not part.empty]
    return _typed(pd.concat(parts, ignore_index=True) if parts else _empty_points())


def world_flows(totals: pd.DataFrame) -> pd.DataFrame:
    """Each country's total exports, imports and turnover with the world per year, from the preferred
    rows of trade_world_totals.csv (partner :data:`WORLD`); a turnover it does not state is its
    exports plus imports, where both are stated."""
    figures = trade.preferred_figures(world_as_partner(totals), with_range=True)
    stated = _reported_points(figures)
    turnover = _ranges(figures.loc[figures["flow"] == "turnover"], "value_usd")
    turnover = turnover.assign(
        country=turnover["reporter_iso3"], partner=WORLD, basis="reported by " + turnover["reporter_iso3"]
    )[POINT_COLUMNS]
    own = stated.loc[stated["basis"].str.startswith("reported by")]
    exports = own.loc[own["flow"] == "exports"]
    imports = own.loc[own["flow"] == "imports"]
    both = exports.merge(imports, on=["country", "partner", "year"], suffixes=("_x", "_m"))
    derived = both.assign(
        flow="turnover",
        value_usd=both["value_usd_x"] + both["value_usd_m"],
        low_usd=both["low_usd_x"] + both["low_usd_m"],
        high_usd=both["high_usd_x"] + both["high_usd_m"],
        disputed=both["disputed_x"] | both["disputed_m"],
        basis="exports+imports " + both["basis_x"],
        source_ids=both["source_ids_x"] + ";" + both["source_ids_m"],
    )
    parts = [stated, turnover, derived[POINT_COLUMNS]]
    found = [part for part in parts if not part.empty]
    points = pd.concat(found, ignore_index=True) if found else _empty_points()
    return _typed(points.drop_duplicates(_KEYS, keep="first"))


def span_years(first: int, last: int) -> list[int]:
    """The calendar years from ``first`` to ``last``, inclusive."""
    return list(np.arange(first, last + 1).tolist())
