"""Every figure function on the real data returns a Figure with labelled axes and drawn data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from ots_analysis import figures
from ots_analysis.articles import find_article
from ots_analysis.build import compute_article_tables, compute_tables
from ots_analysis.claims import claims_register
from ots_analysis.load import RawData
from ots_analysis.scoreboard import verdict_counts, verdicts_by_section


@pytest.fixture(scope="module")
def tables(raw: RawData) -> dict[str, pd.DataFrame]:
    return compute_tables(raw) | compute_article_tables(raw, find_article(raw.articles), claims_register(raw))


FIGURES: dict[str, Callable[[RawData, dict[str, pd.DataFrame]], Figure]] = {
    "scoreboard": lambda raw, t: figures.verdicts_by_section_figure(
        verdicts_by_section(t["claims"], find_article(raw.articles).sections)
    ),
    "verdict_counts": lambda raw, t: figures.verdict_counts_figure(verdict_counts(t["claims"])),
    "timeline": lambda raw, t: figures.timeline_figure(raw.events),
    "intervals": lambda raw, t: figures.interval_figure(t["intervals"]),
    "memberships": lambda raw, t: figures.membership_heatmap(t["membership_matrix"], raw.countries),
    "turnover": lambda raw, t: figures.turnover_figure(t["turnover_best_estimate"]),
    "aggregates": lambda raw, t: figures.aggregates_figure(
        t["aggregate_comparison"], t["intra_ots_bilateral_sums"]
    ),
    "suppliers": lambda raw, t: figures.suppliers_figure(
        t["import_suppliers"].query("importer_iso3 == 'TKM'")
    ),
    "defense_events": lambda raw, t: figures.defense_events_figure(t["defense_events_by_year"]),
    "network": lambda raw, t: figures.network_figure(t["defense_network_edges"], t["defense_network_nodes"]),
    "arms": lambda raw, t: figures.arms_suppliers_figure(raw.arms_suppliers, raw.countries),
    "coverage": lambda raw, t: figures.coverage_heatmap(t["trade_coverage"]),
}


def _drawn_artists(fig: Figure) -> int:
    return sum(len(ax.lines) + len(ax.collections) + len(ax.patches) + len(ax.images) for ax in fig.axes)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_has_labelled_axes_data_and_source(
    name: str, raw: RawData, tables: dict[str, pd.DataFrame]
) -> None:
    fig = FIGURES[name](raw, tables)
    try:
        assert isinstance(fig, Figure)
        visible = [ax for ax in fig.axes if ax.get_visible()]
        assert visible, "no visible axes"
        for ax in visible:
            assert ax.get_xlabel(), f"{name}: x axis has no label"
        assert any(ax.get_ylabel() for ax in visible) or name == "network"
        assert _drawn_artists(fig) > 0, f"{name}: nothing is drawn"
        assert any("Source:" in text.get_text() for text in fig.texts), f"{name}: no source line"
    finally:
        plt.close(fig)


def test_every_public_figure_function_is_tested() -> None:
    tested = {
        "verdicts_by_section_figure",
        "verdict_counts_figure",
        "timeline_figure",
        "interval_figure",
        "membership_heatmap",
        "turnover_figure",
        "aggregates_figure",
        "suppliers_figure",
        "defense_events_figure",
        "network_figure",
        "arms_suppliers_figure",
        "coverage_heatmap",
        "save_png",
        "cached_png",
        "figure_key",
    }
    assert set(figures.__all__) == tested


def test_save_png_writes_a_png_and_closes_the_figure(raw: RawData, tmp_path: Path) -> None:
    fig = figures.timeline_figure(raw.events)
    path = figures.save_png(fig, tmp_path / "nested" / "timeline.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)


def test_turnover_figure_has_one_panel_per_partner(tables: dict[str, pd.DataFrame]) -> None:
    best = tables["turnover_best_estimate"]
    partners = set(best.loc[best["country_a"] == "TUR", "country_b"]) | set(
        best.loc[best["country_b"] == "TUR", "country_a"]
    )
    fig = figures.turnover_figure(best)
    try:
        titles = {ax.get_title() for ax in fig.axes if ax.get_visible()}
        assert titles == {f"TUR-{p}" for p in partners}
    finally:
        plt.close(fig)


def test_a_cached_figure_is_drawn_once_per_key_and_replaced_when_the_key_changes(
    raw: RawData, tmp_path: Path
) -> None:
    drawn = []

    def draw() -> Figure:
        drawn.append(1)
        return figures.timeline_figure(raw.events)

    first_key, second_key = figures.figure_key({"a.csv": "1"}), figures.figure_key({"a.csv": "2"})
    assert first_key != second_key and len(first_key) == 12
    first = figures.cached_png(draw, tmp_path / "timeline.png", first_key)
    again = figures.cached_png(draw, tmp_path / "timeline.png", first_key)
    assert first == again == tmp_path / f"timeline-{first_key}.png" and len(drawn) == 1
    second = figures.cached_png(draw, tmp_path / "timeline.png", second_key)
    assert len(drawn) == 2 and second.is_file() and not first.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [second.name]


def test_coverage_heatmap_has_a_row_per_pair_and_a_column_per_year(tables: dict[str, pd.DataFrame]) -> None:
    coverage = tables["trade_coverage"]
    fig = figures.coverage_heatmap(coverage)
    try:
        (ax,) = [ax for ax in fig.axes if ax.get_visible()]
        rows = {label.get_text() for label in ax.get_yticklabels()}
        assert rows == set(coverage["country_a"] + "-" + coverage["country_b"])
        assert [int(label.get_text()) for label in ax.get_xticklabels()] == sorted(set(coverage["year"]))
        one = coverage.loc[coverage["coverage"] == "one reporter", "reporters"]
        assert set(one) <= {text.get_text().rstrip("*") for text in ax.texts}
    finally:
        plt.close(fig)
