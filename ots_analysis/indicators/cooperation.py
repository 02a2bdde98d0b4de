"""Defence-cooperation indicators: counts by year and kind, dyad ties, an intensity index, a network.

An *event* is one row of ``defense_cooperation.csv``; its ``parties`` are the states involved. Each
event ties every pair of its parties (a three-party exercise makes three dyad ties); an event with
one party ties nobody but still counts in the yearly totals.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ots_analysis.multivalue import explode_list

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "military_support": 4.0,
    "production": 4.0,
    "contract": 3.0,
    "delivery": 3.0,
    "agreement": 3.0,
    "declaration": 3.0,
    "protocol": 2.0,
    "memorandum": 2.0,
    "exercise": 2.0,
    "visit": 1.0,
    "proposal": 1.0,
    "statement": 1.0,
}
"""Weight per event kind in the cooperation-intensity index.

The project's own ordinal scale: transfers and joint production of materiel and wartime support (4)
bind states more than treaties and contracts (3), which bind more than memoranda, protocols and
exercises (2), which bind more than visits, proposals and statements (1). The ordering, not the
numbers, is the claim; :func:`weight_sensitivity` shows how far rankings depend on the numbers.
"""

_DYAD = ["country_a", "country_b"]


def events_by_year_and_kind(defense: pd.DataFrame) -> pd.DataFrame:
    """Number of defence-cooperation events per calendar year and kind (only non-zero counts)."""
    counted = defense.assign(year=defense["date"].dt.year).groupby(["year", "kind"]).size()
    return counted.rename("n_events").reset_index().sort_values(["year", "kind"]).reset_index(drop=True)


def dyad_ties(defense: pd.DataFrame) -> pd.DataFrame:
    """One row per event and pair of its parties: ``event_id``, ``year``, ``kind``, the dyad."""
    parties = explode_list(defense["parties"]).rename("iso3")
    long = defense[["event_id", "date", "kind"]].join(parties, how="inner")
    long = long.assign(year=long["date"].dt.year).drop(columns="date")
    pairs = long.merge(long[["event_id", "iso3"]], on="event_id", suffixes=("_a", "_b"))
    pairs = pairs.loc[pairs["iso3_a"] < pairs["iso3_b"]]
    pairs = pairs.rename(columns={"iso3_a": "country_a", "iso3_b": "country_b"})
    columns = ["event_id", "year", "kind", *_DYAD]
    return pairs[columns].drop_duplicates().sort_values(columns).reset_index(drop=True)


def dyad_year_instruments(ties: pd.DataFrame) -> pd.DataFrame:
    """Count of cooperation instruments per dyad, year and kind (from :func:`dyad_ties`)."""
    counted = ties.groupby([*_DYAD, "year", "kind"]).size().rename("n_events").reset_index()
    return counted.sort_values([*_DYAD, "year", "kind"]).reset_index(drop=True)


def cooperation_intensity(
    instruments: pd.DataFrame, weights: Mapping[str, float] = DEFAULT_WEIGHTS
) -> pd.DataFrame:
    """Cooperation intensity per dyad: the weighted count of its instruments, with its rank.

    intensity = sum over kinds of weight(kind) x n_events(kind); rank 1 = most intense (ties share
    the best rank). ``instruments`` comes from :func:`dyad_year_instruments`. Kinds missing from
    ``weights`` raise a ``KeyError`` so that a new kind is never silently weighted zero.
    """
    unknown = set(instruments["kind"]) - set(weights)
    if unknown:
        raise KeyError(f"no weight for event kind(s): {sorted(unknown)}")
    weighted = instruments.assign(intensity=instruments["kind"].map(weights) * instruments["n_events"])
    totals = weighted.groupby(_DYAD).agg(intensity=("intensity", "sum"), n_events=("n_events", "sum"))
    totals = totals.assign(rank=totals["intensity"].rank(method="min", ascending=False).astype("int64"))
    return totals.reset_index().sort_values(["rank", *_DYAD]).reset_index(drop=True)


def weight_scenarios(weights: Mapping[str, float] = DEFAULT_WEIGHTS) -> dict[str, dict[str, float]]:
    """Alternative weightings for the sensitivity check.

    ``default``; ``equal`` (every kind 1); ``binding_only`` (statements, proposals and visits 0);
    ``materiel_heavy`` (military support, production, contracts and deliveries doubled).
    """
    soft = {"statement", "proposal", "visit"}
    materiel = {"military_support", "production", "contract", "delivery"}
    return {
        "default": dict(weights),
        "equal": dict.fromkeys(weights, 1.0),
        "binding_only": {k: (0.0 if k in soft else w) for k, w in weights.items()},
        "materiel_heavy": {k: (2 * w if k in materiel else w) for k, w in weights.items()},
    }


def weight_sensitivity(
    instruments: pd.DataFrame, scenarios: Mapping[str, Mapping[str, float]] | None = None
) -> pd.DataFrame:
    """Dyad ranks under each weighting, and how far each rank moves from the ``default`` scenario.

    ``rank_shift`` = rank under the scenario - rank under ``default`` (negative = moves up).
    """
    chosen = scenarios if scenarios is not None else weight_scenarios()
    frames = [
        cooperation_intensity(instruments, weights).assign(scenario=name) for name, weights in chosen.items()
    ]
    ranks = pd.concat(frames, ignore_index=True)
    baseline = ranks.loc[ranks["scenario"] == "default", [*_DYAD, "rank"]]
    ranks = ranks.merge(baseline.rename(columns={"rank": "default_rank"}), on=_DYAD, how="left")
    ranks = ranks.assign(rank_shift=ranks["rank"] - ranks["default_rank"])
    columns = ["scenario", *_DYAD, "intensity", "rank", "default_rank", "rank_shift"]
    return ranks[columns].sort_values(["scenario", "rank", *_DYAD]).reset_index(drop=True)


def network_edges(ties: pd.DataFrame) -> pd.DataFrame:
    """Edges of the defence-ties network: one per dyad, ``weight`` = number of shared events."""
    edges = ties.groupby(_DYAD).size().rename("weight").reset_index()
    return edges.sort_values(_DYAD).reset_index(drop=True)


def network_nodes(edges: pd.DataFrame) -> pd.DataFrame:
    """Nodes of the network: ``degree`` (partners), ``strength`` (sum of edge weights), and
    ``share_of_ties`` (the node's strength / the total edge weight: the fraction of all ties the
    node takes part in; shares sum to 2 because each tie has two ends)."""
    ends = pd.concat(
        [
            edges.rename(columns={"country_a": "iso3"})[["iso3", "weight"]],
            edges.rename(columns={"country_b": "iso3"})[["iso3", "weight"]],
        ]
    )
    nodes = ends.groupby("iso3").agg(degree=("weight", "size"), strength=("weight", "sum"))
    total = edges["weight"].sum()
    nodes = nodes.assign(share_of_ties=nodes["strength"] / total if total else 0.0)
    return (
        nodes.reset_index().sort_values(["strength", "iso3"], ascending=[False, True]).reset_index(drop=True)
    )
