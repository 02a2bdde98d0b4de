"""The report's figures: one function per figure, DataFrames in, a matplotlib ``Figure`` out.

All figures share one seaborn style and the colour-blind-safe "colorblind" palette, label their
axes with units, and carry a source line. They draw the tables of
:func:`ots_analysis.build.compute_tables` (or the raw tables, where stated) and compute nothing
beyond layout.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ots_analysis.verdicts import SCALE
from ots_analysis.vocab import HEADS_OF_STATE_SERIES, MEMBERSHIP_STATUS_RANK

STYLE = "whitegrid"
PALETTE = sns.color_palette("colorblind")
SOURCE_NOTE = "Source: ots-analysis, from the sourced tables in data/raw ({tables})."
BILLION = 1e9


def _figure(
    width: float = 8.0, height: float = 4.5, ncols: int = 1, nrows: int = 1
) -> tuple[Figure, np.ndarray]:
    with sns.axes_style(STYLE):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False, layout="constrained")
    return fig, axes


def _source_line(fig: Figure, tables: str) -> None:
    fig.text(0.0, -0.01, SOURCE_NOTE.format(tables=tables), ha="left", va="top", fontsize=8, color="0.35")


def save_png(fig: Figure, path: Path, dpi: int = 150) -> Path:
    """Save ``fig`` as a PNG at ``path`` (folders created), close it, and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return path


def verdicts_by_section_figure(by_section: pd.DataFrame) -> Figure:
    """Stacked horizontal bars: claims per article section, coloured by final verdict.

    ``by_section`` is :func:`ots_analysis.scoreboard.verdicts_by_section`; colours and labels come
    from the verdict scale (:mod:`ots_analysis.verdicts`).
    """
    fig, axes = _figure(8, 3.8)
    ax = axes[0, 0]
    labels = by_section["section_name"].tolist()
    left = np.zeros(len(by_section))
    for verdict in SCALE.values():
        counts = by_section[verdict.name].to_numpy(dtype=float)
        ax.barh(labels, counts, left=left, color=verdict.color, label=verdict.label)
        left += counts
    ax.invert_yaxis()
    ax.set_xlabel("Number of claims")
    ax.set_ylabel("Article section")
    ax.legend(title="Verdict", loc="lower right", fontsize=8)
    _source_line(fig, "claims.csv")
    return fig


def figure_key(*inputs: object) -> str:
    """A short key for what a figure is drawn from: ``inputs`` (e.g. the build manifest's outputs, with
    each file's sha256), this module's code and the plotting libraries' versions. A PNG saved under
    one key (:func:`cached_png`) is redrawn as soon as any of them changes."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"matplotlib {matplotlib.__version__} seaborn {sns.__version__}".encode())
    for item in inputs:
        digest.update(json.dumps(item, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:12]


def cached_png(draw: Callable[[], Figure], path: Path, key: str, dpi: int = 150) -> Path:
    """The PNG of ``draw()`` saved as ``path`` with ``key`` in its name (``timeline-<key>.png``),
    drawn only if that file does not exist yet; PNGs of the same figure under other keys are removed.

    A site renders each article page twice (HTML, then PDF) and draws the same data-wide figures on
    every article page: with one key per build of the data, each figure is drawn once.
    """
    target = path.with_name(f"{path.stem}-{key}{path.suffix}")
    if target.is_file():
        return target
    if path.parent.is_dir():
        stale = re.compile(rf"{re.escape(path.stem)}-[0-9a-f]{{12}}{re.escape(path.suffix)}")
        for old in path.parent.iterdir():
            if stale.fullmatch(old.name):
                old.unlink()
    partial = target.with_name(f".{target.name}.partial{target.suffix}")
    save_png(draw(), partial, dpi)
    partial.replace(target)  # a reader never finds a half-written PNG under the final name
    return target


def verdict_counts_figure(counts: pd.DataFrame) -> Figure:
    """A small scoreboard: one horizontal bar of an article's claims, split by final verdict, with
    each part's count written on it.

    ``counts`` is :func:`ots_analysis.scoreboard.verdict_counts` (verdicts in the scale's order).
    """
    fig, axes = _figure(6, 1.6)
    ax = axes[0, 0]
    left = 0.0
    for row in counts.itertuples(index=False):
        verdict = SCALE[str(row.verdict)]
        n_claims = int(str(row.n_claims))
        ax.barh([0], [n_claims], left=left, color=verdict.color, label=f"{verdict.label} ({n_claims})")
        if n_claims:
            ax.text(
                left + n_claims / 2, 0, str(n_claims), ha="center", va="center", fontsize=9, color="black"
            )
        left += n_claims
    ax.set_yticks([])
    ax.set_ylabel("All claims")
    ax.set_xlim(0, max(left, 1))
    ax.set_xlabel("Number of claims")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=4, fontsize=8, frameon=False)
    _source_line(fig, "claims.csv")
    return fig


def timeline_figure(events: pd.DataFrame) -> Figure:
    """Dated OTS milestones: summits of each series and other events, on one time axis.

    ``events`` is the timeline (``timeline_events``, or raw ``events.csv`` of which the preferred rows
    are drawn); each kind gets its own row.
    """
    shown = events.loc[events["preferred"].eq(True)] if "preferred" in events.columns else events
    shown = shown.sort_values("date")
    kinds = list(dict.fromkeys(shown["kind"]))
    fig, axes = _figure(9, 0.45 * len(kinds) + 1.8)
    ax = axes[0, 0]
    positions = {kind: i for i, kind in enumerate(kinds)}
    for kind, group in shown.groupby("kind", sort=False):
        color = PALETTE[positions[kind] % len(PALETTE)]
        ax.scatter(group["date"], [positions[kind]] * len(group), color=color, s=30, zorder=3)
    numbered = shown.loc[shown["series"].eq(HEADS_OF_STATE_SERIES)]
    for _, row in numbered.iterrows():
        ax.annotate(
            str(int(row["summit_number"])),
            (row["date"], positions["summit"]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7,
        )
    ax.set_yticks(range(len(kinds)), [kind.replace("_", " ") for kind in kinds])
    ax.set_xlabel("Date")
    ax.set_ylabel("Kind of event")
    ax.set_title("OTS timeline (numbers: OTS Council of Heads of State summits)", fontsize=10)
    _source_line(fig, "events.csv")
    return fig


def interval_figure(intervals: pd.DataFrame) -> Figure:
    """The article's stated intervals against the intervals in the data, in months.

    ``intervals`` has ``claim_id``, ``stated_months`` and ``actual_months``
    (:func:`ots_analysis.claims.interval_claims`).
    """
    long = intervals.melt(
        id_vars="claim_id",
        value_vars=["stated_months", "actual_months"],
        var_name="which",
        value_name="months",
    )
    long["which"] = long["which"].map(
        {"stated_months": "stated in the article", "actual_months": "in the data"}
    )
    fig, axes = _figure(6, 3.2)
    ax = axes[0, 0]
    sns.barplot(data=long, y="claim_id", x="months", hue="which", palette=[PALETTE[0], PALETTE[1]], ax=ax)
    ax.set_xlabel("Interval (months)")
    ax.set_ylabel("Claim")
    ax.legend(title=None, fontsize=8)
    _source_line(fig, "events.csv")
    return fig


def _category_heatmap(
    ax: Axes, codes: pd.DataFrame, colors: list[str], labels: pd.DataFrame, fontsize: int, linecolor: str
) -> None:
    """A heatmap of categories: ``codes`` (0, 1, ...) pick ``colors``, each cell is written with its
    label, and no colour bar (the labels say what the colours mean)."""
    sns.heatmap(
        codes,
        cmap=colors,
        vmin=-0.5,
        vmax=len(colors) - 0.5,
        annot=labels.to_numpy(),
        fmt="",
        annot_kws={"fontsize": fontsize},
        cbar=False,
        linewidths=0.5,
        linecolor=linecolor,
        ax=ax,
    )


def membership_heatmap(matrix: pd.DataFrame, countries: pd.DataFrame) -> Figure:
    """Status of each member and observer in OTS, NATO, CSTO, EAEU, CIS and SCO (a heatmap).

    ``matrix`` is the ``membership_matrix`` table; rows are labelled with country names.
    """
    names = countries.set_index("iso3")["name"]
    table = matrix.set_index("iso3")
    codes = table.apply(lambda column: column.map(MEMBERSHIP_STATUS_RANK)).astype(float)
    labels = table.apply(lambda column: column.str.replace("_", " "))
    codes.index = pd.Index([f"{names.get(str(code), str(code))} ({code})" for code in codes.index])
    colors = ["#ffffff", PALETTE[9], PALETTE[1], PALETTE[4], PALETTE[7], PALETTE[0]]
    fig, axes = _figure(8, 0.42 * len(codes) + 1.5)
    ax = axes[0, 0]
    _category_heatmap(ax, codes, colors, labels, fontsize=7, linecolor="0.85")
    ax.set_xlabel("Organisation")
    ax.set_ylabel("Country")
    ax.tick_params(axis="x", rotation=0)
    _source_line(fig, "memberships.csv")
    return fig


def turnover_figure(best: pd.DataFrame, country: str = "TUR") -> Figure:
    """``country``'s turnover with each partner over time: best estimate and the reported range.

    ``best`` is ``turnover_best_estimate``; the band spans every figure either side reported.
    """
    rows = best.loc[(best["country_a"] == country) | (best["country_b"] == country)]
    partner = rows["country_a"].where(rows["country_b"] == country, rows["country_b"])
    rows = rows.assign(partner=partner)
    partners = sorted(rows["partner"].unique())
    ncols = min(3, max(1, len(partners)))
    nrows = max(1, math.ceil(len(partners) / ncols))
    fig, axes = _figure(3.2 * ncols, 2.6 * nrows, ncols=ncols, nrows=nrows)
    for ax, (i, name) in zip(axes.flat, enumerate(partners), strict=False):
        series = rows.loc[rows["partner"] == name].set_index("year").sort_index()
        # a missing year breaks the line instead of being bridged
        series = series.reindex(range(int(series.index.min()), int(series.index.max()) + 1)).rename_axis(
            "year"
        )
        series = series.reset_index()
        color = PALETTE[i % len(PALETTE)]
        ax.fill_between(
            series["year"], series["low_usd"] / BILLION, series["high_usd"] / BILLION, color=color, alpha=0.25
        )
        ax.plot(series["year"], series["best_usd"] / BILLION, marker="o", color=color)
        ax.set_title(f"{country}-{name}", fontsize=10)
        ax.set_xlabel("Year")
        ax.set_ylabel("Turnover (USD bn)")
        ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=5, integer=True))
    for ax in list(axes.flat)[len(partners) :]:
        ax.set_visible(False)
    _source_line(fig, "trade.csv")
    return fig


def aggregates_figure(comparison: pd.DataFrame, sums: pd.DataFrame) -> Figure:
    """Sum of bilateral turnover among OTS members (bars) against stated intra-OTS totals (markers).

    The y axis is logarithmic so that a wildly different statement (one official put 2023 at
    USD 850 billion) stays on the chart without flattening the rest. Undated statements are left out.
    """
    fig, axes = _figure(8, 4)
    ax = axes[0, 0]
    ax.bar(
        sums["year"],
        sums["bilateral_sum_usd"] / BILLION,
        color=PALETTE[0],
        alpha=0.7,
        label="sum of bilateral rows in the data",
    )
    stated = comparison.loc[(comparison["scope"] == "intra_ots") & comparison["year"].notna()]
    markers = {"actual": "o", "expected": "D", "target": "^"}
    for i, (measure, group) in enumerate(stated.groupby("measure")):
        ax.scatter(
            group["year"],
            group["value_usd"] / BILLION,
            marker=markers.get(str(measure), "o"),
            s=45,
            color=PALETTE[1 + i],
            zorder=3,
            label=f"stated total ({measure})",
        )
    ax.set_yscale("log")
    ax.set_xlabel("Year")
    ax.set_ylabel("Trade (USD bn, log scale)")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.legend(fontsize=8)
    _source_line(fig, "trade.csv, trade_aggregates.csv")
    return fig


COVERAGE_CODES = {"missing": 0, "one reporter": 1, "both reporters": 2}
"""Colour codes of :func:`coverage_heatmap`, from no estimate to both sides reporting."""


def coverage_heatmap(coverage: pd.DataFrame) -> Figure:
    """Which pair-years of the bilateral trade matrix have a turnover estimate, and from how many sides.

    ``coverage`` is ``trade_coverage``: one row per pair and year. Rows are pairs (member pairs first,
    then observers with members), columns years; a cell names the single reporting side where only
    one reports, and a disputed estimate carries an asterisk.
    """
    groups = list(dict.fromkeys(coverage["pair_group"]))
    ordered = coverage.assign(
        pair=coverage["country_a"] + "-" + coverage["country_b"],
        group_order=coverage["pair_group"].map({group: i for i, group in enumerate(groups)}),
    ).sort_values(["group_order", "pair", "year"])
    pairs = list(dict.fromkeys(ordered["pair"]))
    codes = ordered.pivot_table(index="pair", columns="year", values="coverage", aggfunc="first").reindex(
        pairs
    )
    one = ordered["coverage"].eq("one reporter")
    marked = ordered["disputed"].fillna(False).astype(bool).map({True: "*", False: ""})
    text = ordered["reporters"].where(one, "").fillna("") + marked
    labels = ordered.assign(text=text).pivot_table(
        index="pair", columns="year", values="text", aggfunc="first"
    )
    labels = labels.reindex(index=pairs, columns=codes.columns)
    colors = ["#f2f2f2", PALETTE[1], PALETTE[0]]
    fig, axes = _figure(8, 0.3 * len(pairs) + 1.6)
    ax = axes[0, 0]
    codes = codes.apply(lambda column: column.map(COVERAGE_CODES)).astype(float)
    _category_heatmap(ax, codes, colors, labels, fontsize=6, linecolor="white")
    boundaries = ordered.drop_duplicates("pair").groupby("group_order", sort=True).size().cumsum()
    for edge in boundaries.iloc[:-1]:
        ax.axhline(edge, color="0.3", linewidth=1.2)
    handles = [
        plt.Rectangle((0, 0), 1, 1, facecolor=color, edgecolor="0.7", label=label)
        for label, color in zip(COVERAGE_CODES, colors, strict=True)
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_xlabel("Year (cell: the single reporting side; * a disputed estimate)")
    ax.set_ylabel("Pair (members, then observers with members)")
    ax.tick_params(axis="y", labelsize=7)
    _source_line(fig, "trade.csv")
    return fig


def suppliers_figure(shares: pd.DataFrame) -> Figure:
    """Imports of one country by supplier and year (e.g. Turkmenistan from Turkey, China, Russia)."""
    fig, axes = _figure(7, 3.8)
    ax = axes[0, 0]
    data = shares.assign(value_bn=shares["value_usd"] / BILLION)
    sns.lineplot(
        data=data, x="year", y="value_bn", hue="supplier_iso3", marker="o", palette="colorblind", ax=ax
    )
    ax.set_xlabel("Year")
    ax.set_ylabel("Imports (USD bn)")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.legend(title="Supplier", fontsize=8)
    _source_line(fig, "trade.csv")
    return fig


def defense_events_figure(by_year: pd.DataFrame) -> Figure:
    """Defence-cooperation events per year, stacked by kind."""
    wide = by_year.pivot_table(index="year", columns="kind", values="n_events", aggfunc="sum", fill_value=0)
    fig, axes = _figure(8, 4)
    ax = axes[0, 0]
    bottom = np.zeros(len(wide))
    for i, kind in enumerate(wide.columns):
        ax.bar(
            wide.index,
            wide[kind],
            bottom=bottom,
            color=PALETTE[i % len(PALETTE)],
            label=kind.replace("_", " "),
        )
        bottom += wide[kind].to_numpy()
    ax.set_xlabel("Year")
    ax.set_ylabel("Number of events")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.legend(title="Kind", fontsize=7, ncols=2)
    _source_line(fig, "defense_cooperation.csv")
    return fig


def network_figure(edges: pd.DataFrame, nodes: pd.DataFrame) -> Figure:
    """The defence-ties network on a circle: line width = shared events, dot size = node strength."""
    order = nodes.sort_values(["strength", "iso3"], ascending=[False, True])["iso3"].tolist()
    angles = np.linspace(0, 2 * np.pi, len(order), endpoint=False)
    xy = {code: (math.cos(a), math.sin(a)) for code, a in zip(order, angles, strict=True)}
    fig, axes = _figure(6, 6)
    ax = axes[0, 0]
    top = edges["weight"].max() if len(edges) else 1
    weights = edges["weight"].to_numpy(dtype="float64")
    for country_a, country_b, weight in zip(edges["country_a"], edges["country_b"], weights, strict=True):
        (x1, y1), (x2, y2) = xy[country_a], xy[country_b]
        ax.plot(
            [x1, x2],
            [y1, y2],
            color=PALETTE[0],
            linewidth=0.5 + 5 * weight / float(top),
            alpha=0.6,
            zorder=1,
        )
    strength = nodes.set_index("iso3")["strength"]
    for code, (x, y) in xy.items():
        ax.scatter(x, y, s=80 + 25 * strength[code], color=PALETTE[1], edgecolor="white", zorder=2)
        ax.annotate(
            code,
            (x, y),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=8,
            zorder=3,
        )
    ax.set_xlabel("Line width: number of shared defence events; dot size: all events of the state")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal")
    ax.margins(0.15)
    _source_line(fig, "defense_cooperation.csv")
    return fig


def arms_suppliers_figure(arms: pd.DataFrame, countries: pd.DataFrame) -> Figure:
    """Suppliers' shares of arms imports, per recipient and period (percent)."""
    names = countries.set_index("iso3")["name"]
    data = arms.assign(
        recipient=arms["recipient_iso3"].map(names).fillna(arms["recipient_iso3"])
        + " "
        + arms["period_start"].astype(str)
        + "-"
        + arms["period_end"].astype(str),
    )
    fig, axes = _figure(8, 0.35 * len(data) + 1.8)
    ax = axes[0, 0]
    sns.barplot(
        data=data,
        y="recipient",
        x="share_pct",
        hue="supplier_iso3",
        palette="colorblind",
        errorbar=None,
        ax=ax,
    )
    ax.set_xlabel("Share of arms imports (%)")
    ax.set_ylabel("Recipient and period")
    ax.set_xlim(0, 100)
    ax.legend(title="Supplier", fontsize=8)
    _source_line(fig, "arms_suppliers.csv")
    return fig


__all__ = [
    "aggregates_figure",
    "arms_suppliers_figure",
    "cached_png",
    "coverage_heatmap",
    "defense_events_figure",
    "figure_key",
    "interval_figure",
    "membership_heatmap",
    "network_figure",
    "save_png",
    "suppliers_figure",
    "timeline_figure",
    "turnover_figure",
    "verdict_counts_figure",
    "verdicts_by_section_figure",
]
