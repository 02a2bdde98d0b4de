"""Alternative texts for the report's figures, written from the tables each figure draws.

A screen-reader user gets what the figure shows, numbers included; because the text is computed from
the same tables as the figure, it cannot drift from it when the data change.
"""

from __future__ import annotations

import pandas as pd

from ots_analysis.verdicts import SCALE

BILLION = 1e9


def _bn(value: object) -> str:
    return f"{float(str(value)) / BILLION:.1f}"


def scoreboard_alt(by_section: pd.DataFrame) -> str:
    """Alt text of the verdicts-by-section bars (``verdicts_by_section``)."""
    parts = []
    for row in by_section.to_dict("records"):
        counts = [f"{row[name]} {verdict.label.lower()}" for name, verdict in SCALE.items() if row[name]]
        parts.append(f"{row['section_name']}: {', '.join(counts)}")
    return (
        "Stacked horizontal bars, one per section of the article, counting claims by verdict. "
        + "; ".join(parts)
        + "."
    )


def verdict_counts_alt(counts: pd.DataFrame) -> str:
    """Alt text of an article's small scoreboard (``verdict_counts``)."""
    parts = [
        f"{row.n_claims} {SCALE[str(row.verdict)].label.lower()}" for row in counts.itertuples(index=False)
    ]
    return (
        f"One horizontal bar of {int(counts['n_claims'].sum())} claims divided by verdict: "
        + ", ".join(parts)
        + "."
    )


def timeline_alt(events: pd.DataFrame, series_label: str = "OTS heads-of-state summits") -> str:
    """Alt text of the timeline dot plot (``timeline_events``)."""
    years = events["date"].dt.year
    kinds = list(dict.fromkeys(events.sort_values("date")["kind"]))
    numbered = events["summit_number"].dropna()
    summits = f"; the {series_label} are numbered 1 to {int(numbered.max())}" if len(numbered) else ""
    return (
        f"Dot plot of {len(events)} dated events from {years.min()} to {years.max()}, one row per kind "
        f"({', '.join(kind.replace('_', ' ') for kind in kinds)}){summits}."
    )


def intervals_alt(intervals: pd.DataFrame) -> str:
    """Alt text of the stated-against-actual interval bars (an article's ``intervals``)."""
    parts = [
        f"{row.claim_id}: stated {row.stated_months:g} months, in the data {row.actual_months:.1f}"
        for row in intervals.sort_values("claim_id").itertuples(index=False)
    ]
    return "Paired horizontal bars per interval claim. " + "; ".join(parts) + "."


def memberships_alt(matrix: pd.DataFrame) -> str:
    """Alt text of the membership heatmap (an article's ``membership_matrix``)."""
    organisations = [column for column in matrix.columns if column != "iso3"]
    parts = []
    for organisation in organisations:
        statuses = matrix.loc[matrix[organisation] != "", ["iso3", organisation]]
        groups = statuses.groupby(organisation)["iso3"].agg(lambda codes: ", ".join(sorted(codes)))
        described = "; ".join(f"{str(status).replace('_', ' ')} {codes}" for status, codes in groups.items())
        parts.append(f"{organisation}: {described or 'none of them'}")
    return (
        f"Heatmap of {len(matrix)} countries by {len(organisations)} organisations, each cell naming the "
        f"status held. " + ". ".join(parts) + "."
    )


def turnover_alt(best: pd.DataFrame, country: str = "TUR") -> str:
    """Alt text of the turnover small multiples (``turnover_best_estimate``) for ``country``."""
    rows = best.loc[
        ((best["country_a"] == country) | (best["country_b"] == country)) & best["best_usd"].notna()
    ]
    partner = rows["country_a"].where(rows["country_b"] == country, rows["country_b"])
    latest = (
        rows.assign(partner=partner).sort_values("year").groupby("partner").tail(1).sort_values("partner")
    )
    parts = [f"{row.partner} {_bn(row.best_usd)} bn in {row.year}" for row in latest.itertuples(index=False)]
    return (
        f"Small multiples of {country}'s annual trade turnover with each partner, {rows['year'].min()} to "
        f"{rows['year'].max()}, in USD billion, with shaded ranges where sources disagree. Latest best "
        f"estimates: " + "; ".join(parts) + "."
    )


def aggregates_alt(comparison: pd.DataFrame, sums: pd.DataFrame, scope: str = "intra_ots") -> str:
    """Alt text of the bilateral sums against stated totals (``aggregate_comparison``, sums)."""
    stated = comparison.loc[(comparison["scope"] == scope) & comparison["year"].notna()].sort_values("year")
    statements = [
        f"{year} {measure} {_bn(value)}"
        for year, measure, value in zip(
            stated["year"].astype(int), stated["measure"], stated["value_usd"], strict=True
        )
    ]
    return (
        f"Bars for the yearly sum of bilateral turnover among members in the data, {sums['year'].min()} to "
        f"{sums['year'].max()} (latest {_bn(sums.sort_values('year')['bilateral_sum_usd'].iloc[-1])} bn), "
        f"on a log scale, with markers for {len(stated)} stated totals in USD billion: "
        + "; ".join(statements)
        + "."
    )


def suppliers_alt(shares: pd.DataFrame) -> str:
    """Alt text of one importer's suppliers over time (rows of ``import_suppliers``)."""
    importer = ", ".join(sorted(shares["importer_iso3"].unique()))
    parts = []
    for supplier, rows in shares.sort_values("year").groupby("supplier_iso3"):
        years = rows["year"]
        parts.append(f"{supplier} in {len(rows)} years ({years.min()}-{years.max()})")
    return f"Line chart of recorded imports of {importer} by supplier, USD billion: " + "; ".join(parts) + "."


def defense_events_alt(by_year: pd.DataFrame) -> str:
    """Alt text of the defence events by year and kind (``defense_events_by_year``)."""
    per_year = by_year.groupby("year")["n_events"].sum()
    peak = per_year.index[int(per_year.argmax())]
    return (
        f"Stacked bars of {int(per_year.sum())} defence-cooperation events per year from "
        f"{per_year.index.min()} to {per_year.index.max()}, by kind; "
        f"the most, {int(per_year.max())}, in {peak}."
    )


def network_alt(edges: pd.DataFrame, nodes: pd.DataFrame) -> str:
    """Alt text of the defence-ties network (``defense_network_edges`` and ``_nodes``)."""
    strongest = edges.sort_values(["weight", "country_a", "country_b"], ascending=[False, True, True]).head(3)
    ties = [f"{row.country_a}-{row.country_b} ({row.weight})" for row in strongest.itertuples(index=False)]
    top = nodes.sort_values(["strength", "iso3"], ascending=[False, True]).head(3)["iso3"].tolist()
    return (
        f"Circular network of {len(nodes)} states and {len(edges)} ties; line width is the number of shared "
        f"defence events. Strongest ties: {', '.join(ties)}. Most connected: {', '.join(top)}."
    )


def arms_alt(arms: pd.DataFrame) -> str:
    """Alt text of the arms suppliers' shares (``arms_supplier_shares``)."""
    largest = arms.sort_values("share_pct", ascending=False).drop_duplicates(
        ["recipient_iso3", "period_start", "period_end"]
    )
    parts = [
        f"{row.recipient_iso3} {row.period_start}-{row.period_end}: {row.supplier_iso3} {row.share_pct:g}%"
        for row in largest.sort_values(["recipient_iso3", "period_end"]).itertuples(index=False)
    ]
    return (
        "Horizontal bars of suppliers' shares of arms imports; the largest supplier per period: "
        + "; ".join(parts)
        + "."
    )


def coverage_alt(counts: pd.DataFrame) -> str:
    """Alt text of the matrix coverage heatmap, from ``trade_coverage_counts``."""
    parts = []
    for group, rows in counts.groupby("pair_group", sort=False):
        total = int(rows["pair_years"].sum())
        found = "; ".join(
            f"{int(n)} {level}" for level, n in zip(rows["coverage"], rows["pair_years"], strict=True)
        )
        parts.append(f"{str(group).capitalize()}s, {total} pair-years: {found}")
    return (
        "Heatmap of pairs by year, coloured by how many sides report the pair's trade. "
        + ". ".join(parts)
        + "."
    )
