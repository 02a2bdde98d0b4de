"""Trade indicators: turnover by dyad, mirror discrepancies, best estimates, totals, growth, shares.

Conventions. A *figure* is one row of ``trade.csv``: a value in current US dollars stated by one
*reporter* (the country whose statistics or officials gave it) about its trade with a *partner*.
A *dyad* is an unordered pair of countries, written with the alphabetically first code as
``country_a``. Only full-year figures (12 months) enter the annual indicators; partial-year figures
stay in the raw data for the claims that cite them. Turnover is exports plus imports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ORIGIN_PRECEDENCE = ("national_statistics", "official_statement", "international_database", "media")
"""When one reporter states several figures for the same flow and year, the first origin here wins."""

BASIS_STATED = "stated"
BASIS_DERIVED = "exports+imports"
_MIRROR_FLOW = {"exports": "imports", "imports": "exports", "turnover": "turnover"}
_DYAD = ["country_a", "country_b"]


def significant_digits(values: pd.Series) -> pd.Series:
    """The number of significant decimal digits of each positive value (``6.3e9`` has 2; 0 for 0).

    A figure stated as "$6.3 billion" is more precise than one stated as "$6 billion"; this measures
    that precision from the value itself.
    """
    array = values.to_numpy(dtype="float64")
    digits = np.zeros(len(array), dtype="int64")
    positive = array > 0
    magnitude = np.floor(np.log10(np.where(positive, array, 1.0)))
    undecided = positive.copy()
    for count in range(1, 16):
        scale = 10.0 ** (magnitude - count + 1)
        exact = np.isclose(np.round(array / scale) * scale, array, rtol=1e-12, atol=0.0)
        newly = undecided & exact
        digits[newly] = count
        undecided &= ~exact
    digits[undecided] = 15
    return pd.Series(digits, index=values.index, name="significant_digits")


def add_dyad(frame: pd.DataFrame, first: str = "reporter_iso3", second: str = "partner_iso3") -> pd.DataFrame:
    """Add ``country_a`` and ``country_b``: the two countries of each row in alphabetical order."""
    a = frame[first].where(frame[first] <= frame[second], frame[second])
    b = frame[second].where(frame[first] <= frame[second], frame[first])
    return frame.assign(country_a=a, country_b=b)


def full_year(trade: pd.DataFrame) -> pd.DataFrame:
    """The full-year (12-month) figures of ``trade``."""
    return trade.loc[trade["months"] == 12]


def _rank_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Sort so that the preferred figure of each group comes first (see :func:`preferred_figures`)."""
    origin_rank = figures["statistic_origin"].map({o: i for i, o in enumerate(ORIGIN_PRECEDENCE)})
    ranked = figures.assign(
        _origin=origin_rank,
        _digits=-significant_digits(figures["value_usd"]),
        _derived=figures.get("basis", pd.Series(BASIS_STATED, index=figures.index)) != BASIS_STATED,
    )
    return ranked.sort_values(["_origin", "_derived", "_digits", "source_ids", "value_usd"], kind="mergesort")


def preferred_figures(trade: pd.DataFrame) -> pd.DataFrame:
    """One full-year figure per reporter, partner, year and flow.

    Rule: the figure with the most authoritative origin (:data:`ORIGIN_PRECEDENCE`) wins; ties go to
    the more precise figure (more significant digits), then to the alphabetically first source_ids.
    ``n_figures`` counts the figures the choice was made among.
    """
    keys = ["reporter_iso3", "partner_iso3", "year", "flow"]
    figures = full_year(trade)
    counts = figures.groupby(keys, sort=False)["value_usd"].transform("size")
    ranked = _rank_figures(figures.assign(n_figures=counts))
    chosen = ranked.drop_duplicates(keys, keep="first")
    columns = [*keys, "value_usd", "statistic_origin", "source_ids", "n_figures"]
    return chosen[columns].sort_values(keys).reset_index(drop=True)


def turnover_candidates(trade: pd.DataFrame) -> pd.DataFrame:
    """Every full-year turnover figure of every dyad: stated ones and derived ones.

    A derived figure is a reporter's exports plus imports for the same partner and year, both taken
    from the same source(s); it is only made where that source states no turnover itself.
    """
    figures = full_year(trade)
    keys = ["reporter_iso3", "partner_iso3", "year", "source_ids"]
    stated = figures.loc[figures["flow"] == "turnover"].assign(basis=BASIS_STATED)
    by_flow = figures.loc[figures["flow"].isin(["exports", "imports"])].pivot_table(
        index=keys, columns="flow", values="value_usd", aggfunc="max", observed=True
    )
    if {"exports", "imports"} <= set(by_flow.columns):
        both = by_flow.dropna(subset=["exports", "imports"])
        derived = (both["exports"] + both["imports"]).rename("value_usd").reset_index()
        origin = figures.drop_duplicates(keys).set_index(keys)["statistic_origin"]
        derived = derived.join(origin, on=keys).assign(flow="turnover", basis=BASIS_DERIVED)
        derived = derived.merge(stated[keys], on=keys, how="left", indicator=True)
        derived = derived.loc[derived["_merge"] == "left_only"].drop(columns="_merge")
    else:
        derived = pd.DataFrame(columns=[*keys, "value_usd", "statistic_origin", "basis"])
    columns = [*keys, "value_usd", "statistic_origin", "basis"]
    candidates = pd.concat([stated[columns], derived[columns]], ignore_index=True)
    candidates = add_dyad(candidates).rename(columns={"value_usd": "turnover_usd"})
    order = [
        *_DYAD,
        "year",
        "reporter_iso3",
        "turnover_usd",
        "basis",
        "statistic_origin",
        "source_ids",
    ]
    return candidates[order].sort_values(order[:5]).reset_index(drop=True)


def turnover_by_dyad(trade: pd.DataFrame) -> pd.DataFrame:
    """Bilateral turnover by dyad, year and reporting side: one preferred figure per side.

    The preferred figure follows :func:`preferred_figures` (origin, then stated over derived, then
    precision). ``low_usd``/``high_usd`` span all of that side's candidates; ``n_candidates`` counts them.
    """
    candidates = turnover_candidates(trade).rename(columns={"turnover_usd": "value_usd"})
    keys = [*_DYAD, "year", "reporter_iso3"]
    spread = candidates.groupby(keys)["value_usd"].agg(low_usd="min", high_usd="max", n_candidates="size")
    chosen = _rank_figures(candidates).drop_duplicates(keys, keep="first")
    chosen = chosen.join(spread, on=keys).rename(columns={"value_usd": "turnover_usd"})
    columns = [
        *keys,
        "turnover_usd",
        "basis",
        "statistic_origin",
        "source_ids",
        "low_usd",
        "high_usd",
        "n_candidates",
    ]
    return chosen[columns].sort_values(keys).reset_index(drop=True)


def mirror_discrepancy(figures: pd.DataFrame) -> pd.DataFrame:
    """What one side reports against what its partner reports for the same flow and year.

    ``figures`` has one value per reporter, partner, year and flow (e.g. :func:`preferred_figures`).
    A's exports to B are compared with B's imports from A, and A's turnover with B's. Each pair
    appears once. ``discrepancy_usd`` = reported - mirror; ``discrepancy_pct`` = that difference as a
    percentage of the mean of the two (the symmetric relative difference, in percent).
    """
    keys = ["reporter_iso3", "partner_iso3", "year", "flow"]
    mirror = figures[[*keys, "value_usd"]].rename(
        columns={
            "reporter_iso3": "partner_iso3",
            "partner_iso3": "reporter_iso3",
            "value_usd": "mirror_usd",
        }
    )
    mirror = mirror.assign(flow=mirror["flow"].map(_MIRROR_FLOW))
    paired = figures[[*keys, "value_usd"]].merge(mirror, on=keys, how="inner")
    once = (paired["flow"] == "exports") | (
        (paired["flow"] == "turnover") & (paired["reporter_iso3"] < paired["partner_iso3"])
    )
    paired = paired.loc[once].rename(columns={"value_usd": "reported_usd"})
    difference = paired["reported_usd"] - paired["mirror_usd"]
    mean = (paired["reported_usd"] + paired["mirror_usd"]) / 2
    paired = paired.assign(
        mirror_flow=paired["flow"].map(_MIRROR_FLOW),
        discrepancy_usd=difference,
        discrepancy_pct=(difference / mean * 100).where(mean > 0),
    )
    columns = [
        *keys,
        "mirror_flow",
        "reported_usd",
        "mirror_usd",
        "discrepancy_usd",
        "discrepancy_pct",
    ]
    return paired[columns].sort_values(keys).reset_index(drop=True)


def best_estimate(turnover: pd.DataFrame) -> pd.DataFrame:
    """One turnover estimate per dyad and year, with the range of all figures around it.

    Rule: the median of the reporting sides' preferred figures (with two sides, their mean); the
    range ``low_usd``-``high_usd`` covers every candidate figure of either side. ``turnover`` is the
    output of :func:`turnover_by_dyad`. ``reporters`` lists the sides, ``;``-separated.
    """
    keys = [*_DYAD, "year"]
    grouped = turnover.groupby(keys)
    estimate = grouped.agg(
        best_usd=("turnover_usd", "median"),
        low_usd=("low_usd", "min"),
        high_usd=("high_usd", "max"),
        n_reporters=("reporter_iso3", "size"),
        reporters=("reporter_iso3", lambda s: ";".join(sorted(s))),
    )
    return estimate.reset_index().sort_values(keys).reset_index(drop=True)


def members_by_year(memberships: pd.DataFrame, organization: str, years: list[int]) -> pd.DataFrame:
    """Full members of ``organization`` on 31 December of each year: columns ``year``, ``iso3``."""
    spells = memberships.loc[
        (memberships["organization"] == organization) & (memberships["status"] == "member")
    ]
    rows = []
    for year in years:
        year_end = pd.Timestamp(year=year, month=12, day=31)
        active = (spells["start_date"] <= year_end) & (
            spells["end_date"].isna() | (spells["end_date"] >= year_end)
        )
        rows.append(pd.DataFrame({"year": year, "iso3": sorted(spells.loc[active, "iso3"].unique())}))
    if not rows:
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "iso3": pd.Series(dtype="str")})
    return pd.concat(rows, ignore_index=True)


def bilateral_sum_within(estimates: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Sum of best-estimate turnover over dyads whose two countries are both members that year.

    ``members`` has columns ``year`` and ``iso3`` (see :func:`members_by_year`). Coverage:
    ``dyads_covered`` of ``dyads_possible`` (n members choose 2) are in the sum, listed in
    ``covered_dyads``. A sum over few dyads is a lower bound of the group's internal trade.
    """
    a = members.rename(columns={"iso3": "country_a"})
    b = members.rename(columns={"iso3": "country_b"})
    inside = estimates.merge(a, on=["year", "country_a"]).merge(b, on=["year", "country_b"])
    dyad_names = inside["country_a"] + "-" + inside["country_b"]
    summed = (
        inside.assign(dyad=dyad_names)
        .groupby("year")
        .agg(
            bilateral_sum_usd=("best_usd", "sum"),
            dyads_covered=("dyad", "size"),
            covered_dyads=("dyad", lambda s: ";".join(sorted(s))),
        )
    )
    n_members = members.groupby("year")["iso3"].nunique()
    possible = (n_members * (n_members - 1) // 2).rename("dyads_possible")
    result = summed.join(possible, how="left").reset_index()
    return result[["year", "bilateral_sum_usd", "dyads_covered", "dyads_possible", "covered_dyads"]]


def aggregate_comparison(aggregates: pd.DataFrame, sums: pd.DataFrame) -> pd.DataFrame:
    """Each stated aggregate next to the bilateral sum the data give for its year.

    ``ratio`` = bilateral_sum_usd / value_usd: below 1 where the bilateral rows cover less than
    the stated total (missing dyads) or the statement overstates it.
    """
    columns = ["aggregate_id", "year", "scope", "measure", "value_usd", "stated_by", "source_ids"]
    joined = aggregates[columns].merge(sums, on="year", how="left")
    joined = joined.assign(ratio=joined["bilateral_sum_usd"] / joined["value_usd"])
    return joined.sort_values(["year", "aggregate_id"]).reset_index(drop=True)


def year_on_year_growth(estimates: pd.DataFrame) -> pd.DataFrame:
    """Percent change of best-estimate turnover from the previous calendar year, per dyad.

    Growth is only computed between consecutive years (a gap leaves it empty).
    """
    ordered = estimates.sort_values([*_DYAD, "year"])
    previous_value = ordered.groupby(_DYAD)["best_usd"].shift()
    previous_year = ordered.groupby(_DYAD)["year"].shift()
    consecutive = ordered["year"] - previous_year == 1
    growth = ((ordered["best_usd"] / previous_value - 1) * 100).where(consecutive)
    result = ordered[[*_DYAD, "year", "best_usd"]].assign(yoy_growth_pct=growth)
    return result.reset_index(drop=True)


def compound_annual_growth(estimates: pd.DataFrame) -> pd.DataFrame:
    """CAGR of best-estimate turnover per dyad, from its first to its last year with data.

    CAGR = (last / first) ** (1 / (last_year - first_year)) - 1, in percent; empty for one year.
    """
    ordered = estimates.sort_values([*_DYAD, "year"])
    grouped = ordered.groupby(_DYAD)
    ends = grouped.agg(
        first_year=("year", "first"),
        last_year=("year", "last"),
        first_usd=("best_usd", "first"),
        last_usd=("best_usd", "last"),
    )
    span = ends["last_year"] - ends["first_year"]
    ratio = ends["last_usd"] / ends["first_usd"]
    cagr = ((ratio ** (1 / span.where(span > 0))) - 1) * 100
    return ends.assign(cagr_pct=cagr).reset_index()


def import_figures(trade: pd.DataFrame, importer: str) -> pd.DataFrame:
    """Full-year imports of ``importer`` by supplier: its own import records or suppliers' exports.

    Rule: the importer's own record of imports from a supplier wins; where it has none, the
    supplier's reported exports to the importer (the mirror figure) stand in. ``basis`` says which.
    """
    preferred = preferred_figures(trade)
    own = preferred.loc[(preferred["reporter_iso3"] == importer) & (preferred["flow"] == "imports")]
    own = own.rename(columns={"partner_iso3": "supplier_iso3"}).assign(basis="importer_imports")
    mirror = preferred.loc[(preferred["partner_iso3"] == importer) & (preferred["flow"] == "exports")]
    mirror = mirror.rename(columns={"reporter_iso3": "supplier_iso3"}).assign(basis="supplier_exports")
    columns = ["supplier_iso3", "year", "value_usd", "basis", "source_ids"]
    both = pd.concat([own[columns], mirror[columns]], ignore_index=True)
    return both.drop_duplicates(["supplier_iso3", "year"], keep="first").assign(importer_iso3=importer)


def supplier_shares(imports: pd.DataFrame) -> pd.DataFrame:
    """Each supplier's rank and share among the recorded suppliers of an importer in a year.

    ``imports`` has ``importer_iso3``, ``supplier_iso3``, ``year``, ``value_usd`` (see
    :func:`import_figures`). ``share_of_recorded`` = value / sum over the suppliers recorded that year
    (a fraction, summing to 1 per importer-year); it is not a share of all imports. Rank 1 = largest.
    """
    group = ["importer_iso3", "year"]
    total = imports.groupby(group)["value_usd"].transform("sum")
    ranked = imports.assign(
        share_of_recorded=(imports["value_usd"] / total).where(total > 0),
        rank=imports.groupby(group)["value_usd"].rank(method="min", ascending=False).astype("int64"),
        n_suppliers_recorded=imports.groupby(group)["value_usd"].transform("size"),
    )
    columns = [
        *group,
        "supplier_iso3",
        "value_usd",
        "share_of_recorded",
        "rank",
        "n_suppliers_recorded",
    ]
    extra = [c for c in ("basis", "source_ids") if c in ranked.columns]
    return ranked[columns + extra].sort_values([*group, "rank", "supplier_iso3"]).reset_index(drop=True)
