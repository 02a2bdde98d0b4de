"""The bilateral trade matrix: which pair-years have a turnover estimate, and from how many sides.

The matrix is every pair of the organisation's members, and each observer of
:data:`~ots_analysis.vocab.MATRIX_OBSERVERS` with each member, over the years of
:data:`~ots_analysis.vocab.MATRIX_YEARS`. A pair-year is covered by *both reporters* when both
countries' figures enter its best estimate, by *one reporter* when one side's does, and *missing*
otherwise (no estimate: no figure, or only a figure a page paraphrases, which is shown but never
averaged). Sums over the matrix count a missing pair-year as unknown, never as zero.
"""

from __future__ import annotations

import itertools

import pandas as pd

from ots_analysis.indicators.memberships import active_spells
from ots_analysis.vocab import SHOWN_NOT_AVERAGED

BOTH_REPORTERS = "both reporters"
ONE_REPORTER = "one reporter"
MISSING = "missing"
COVERAGE_LEVELS = (BOTH_REPORTERS, ONE_REPORTER, MISSING)
"""How a pair-year of the matrix is covered, best first."""

MEMBER_PAIR = "member pair"
OBSERVER_PAIR = "observer-member pair"
PAIR_GROUPS = (MEMBER_PAIR, OBSERVER_PAIR)


def matrix_pairs(
    memberships: pd.DataFrame, organization: str, observers: tuple[str, ...], on: pd.Timestamp
) -> pd.DataFrame:
    """The pairs of the matrix: ``country_a`` < ``country_b`` and their ``pair_group``.

    Members are the full members of ``organization`` on ``on``; each of ``observers`` that holds
    observer status then is paired with each member.
    """
    spells = active_spells(memberships.loc[memberships["organization"] == organization], on)
    members = sorted(set(spells.loc[spells["status"] == "member", "iso3"]))
    watching = sorted(set(spells.loc[spells["status"] == "observer", "iso3"]) & set(observers))
    rows = [(a, b, MEMBER_PAIR) for a, b in itertools.combinations(members, 2)]
    rows += [(*sorted((observer, member)), OBSERVER_PAIR) for observer in watching for member in members]
    pairs = pd.DataFrame(rows, columns=["country_a", "country_b", "pair_group"])
    return pairs.astype("str").sort_values(["pair_group", "country_a", "country_b"]).reset_index(drop=True)


def trade_coverage(
    pairs: pd.DataFrame, years: range, by_dyad: pd.DataFrame, estimates: pd.DataFrame
) -> pd.DataFrame:
    """Each pair-year of the matrix with its coverage (see the module docstring).

    ``by_dyad`` is :func:`~ots_analysis.indicators.trade.turnover_by_dyad`, ``estimates``
    :func:`~ots_analysis.indicators.trade.best_estimate` of it. ``reporters`` lists the sides whose
    figure enters the estimate (``;``-separated); ``best_usd`` and ``disputed`` are the estimate's.
    """
    grid = pairs.merge(pd.DataFrame({"year": list(years)}), how="cross")
    averaged = by_dyad.loc[~by_dyad["statistic_origin"].isin(SHOWN_NOT_AVERAGED)]
    sides = (
        averaged.groupby(["country_a", "country_b", "year"])["reporter_iso3"]
        .agg(lambda s: ";".join(sorted(s)))
        .rename("reporters")
        .reset_index()
    )
    keys = ["country_a", "country_b", "year"]
    found = grid.merge(sides, on=keys, how="left").merge(
        estimates[[*keys, "best_usd", "disputed"]], on=keys, how="left"
    )
    n_sides = found["reporters"].fillna("").str.count(";") + found["reporters"].notna().astype(int)
    coverage = n_sides.map({2: BOTH_REPORTERS, 1: ONE_REPORTER, 0: MISSING})
    found = found.assign(
        coverage=coverage.astype("str"),
        reporters=found["reporters"].fillna(""),
        disputed=found["disputed"].fillna(False).astype(bool),
    )
    columns = [
        "pair_group",
        "country_a",
        "country_b",
        "year",
        "coverage",
        "reporters",
        "best_usd",
        "disputed",
    ]
    order = found["pair_group"].map({group: i for i, group in enumerate(PAIR_GROUPS)})
    found = found.assign(group_order=order).sort_values(["group_order", "country_a", "country_b", "year"])
    return found[columns].astype({"year": "int64"}).reset_index(drop=True)


def coverage_counts(coverage: pd.DataFrame) -> pd.DataFrame:
    """Pair-years of each coverage level per pair group (zeros included), with their share in percent."""
    index = pd.MultiIndex.from_product([PAIR_GROUPS, COVERAGE_LEVELS], names=["pair_group", "coverage"])
    sizes: pd.Series = coverage.groupby(["pair_group", "coverage"])["year"].count()
    counts = sizes.reindex(index, fill_value=0).rename("pair_years").reset_index()
    totals = counts.groupby("pair_group")["pair_years"].transform("sum")
    share = (counts["pair_years"] / totals.where(totals > 0) * 100).fillna(0.0)
    return counts.assign(share_pct=share).astype({"pair_years": "int64"})


def matrix_years(first_last: tuple[int, int]) -> range:
    """The years of the matrix, first to last inclusive."""
    return range(first_last[0], first_last[1] + 1)
