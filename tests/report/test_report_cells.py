"""The site's cells run without Quarto, read only data/processed, and write text that follows the data.

An article page is the generated stub's ``ARTICLE_ID`` cell followed by ``report/_article.qmd`` (see
:func:`ots_analysis.preview.article_page_source`); its cells run in ``report/articles/``, as Quarto runs them.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from ots_analysis.articles import find_article
from ots_analysis.paths import ProjectPaths
from ots_analysis.presentation import claimreview_head_path
from ots_analysis.presentation.prepare import main as prepare
from ots_analysis.presentation.site import site_url
from ots_analysis.preview import (
    CELL,
    FRONT_MATTER,
    Cell,
    article_page_source,
    execute_document,
    parse_cell,
    resolve_includes,
)
from ots_analysis.processed import StaleOutputsError, load_processed

IMAGE = re.compile(r'!\[([^\]]*)\]\(([^)]+)\)\{#(fig-[a-z0-9-]+) fig-alt="((?:[^"\\]|\\.)*)"\}')
CITATION = re.compile(r"@([a-z0-9]+(?:-[a-z0-9]+)+)")


def run_report(paths: ProjectPaths, article_id: str | None = None) -> str:
    """The executed Markdown of an article's page (None: the default article)."""
    try:
        return execute_document(article_page_source(paths.report, article_id), paths.report / "articles")
    finally:
        plt.close("all")


def run_page(paths: ProjectPaths, name: str) -> str:
    """The executed Markdown of a page of the site other than an article's (``index.qmd``, ...)."""
    text = FRONT_MATTER.sub("", (paths.report / name).read_text(encoding="utf-8"))
    try:
        return execute_document(resolve_includes(text, paths.report), paths.report)
    finally:
        plt.close("all")


def all_cells(report: Path) -> list[Cell]:
    """The cells of every page and include of the site."""
    return [
        parse_cell(source)
        for path in sorted(report.glob("*.qmd"))
        for source in CELL.findall(path.read_text(encoding="utf-8"))
    ]


@pytest.fixture(scope="module")
def executed(shared_project: ProjectPaths) -> str:
    return run_report(shared_project)


def test_cells_run_and_write_every_section(executed: str) -> None:
    for heading in (
        "# Summary",
        "# The timeline",
        "# Trade",
        "# The claims, section by section",
        "# Updates",
        "# References",
    ):
        assert heading in executed


def test_every_figure_is_a_png_with_a_caption_and_an_alt_text(
    executed: str, shared_project: ProjectPaths
) -> None:
    figures = IMAGE.findall(executed)
    assert len(figures) >= 9
    for caption, path, label, alt in figures:
        assert caption and len(alt.split()) >= 8, label
        assert "_" not in label, f"Quarto labels must not contain '_': {label}"
        assert (shared_project.report / "articles" / path).is_file(), path


def test_tables_have_labels_and_captions(real_paths: ProjectPaths) -> None:
    cells = all_cells(real_paths.report)
    tables = [cell for cell in cells if str(cell.options.get("label", "")).startswith("tbl-")]
    assert len(tables) >= 8
    for cell in tables:
        assert cell.options.get("tbl-cap") and cell.options.get("output") == "asis", cell.options["label"]


def test_every_cross_reference_points_to_a_label(executed: str) -> None:
    labels = {label for _, _, label, _ in IMAGE.findall(executed)}
    labels |= set(re.findall(r"\{#(tbl-[a-z0-9-]+)\}", executed))
    references = set(re.findall(r"@((?:fig|tbl)-[a-z0-9-]+)", executed))
    assert references and references <= labels, references - labels


def test_citations_resolve_to_the_bibliography(executed: str, shared_project: ProjectPaths) -> None:
    ids = {item["id"] for item in load_processed(shared_project).references}
    cited = set(CITATION.findall(" ".join(re.findall(r"\[@[^\]]+\]", executed))))
    assert cited and cited <= ids, cited - ids


def claimreviews(head: Path) -> list[dict[str, object]]:
    text = head.read_text(encoding="utf-8")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, flags=re.DOTALL)
    assert len(scripts) == 1
    graph: list[dict[str, object]] = json.loads(scripts[0])["@graph"]
    return graph


def test_prepare_writes_each_articles_claimreview_with_absolute_urls(project: ProjectPaths) -> None:
    assert prepare([]) == 0
    data = load_processed(project)
    base = site_url(project.report)
    for article_id in data.table("articles")["article_id"]:
        claims = data.article_outputs(article_id).claims
        reviews = claimreviews(claimreview_head_path(project, article_id))
        assert sorted(str(review["identifier"]) for review in reviews) == sorted(claims["claim_id"])
        for review in reviews:
            assert review["@type"] == "ClaimReview"
            page = f"{base}articles/{article_id}.html#claim-{str(review['identifier']).lower()}"
            assert review["url"] == page
            assert review["datePublished"]
        assert (project.report / "articles" / f"{article_id}.qmd").is_file()


def test_another_article_renders_from_the_same_template(project: ProjectPaths) -> None:
    articles = load_processed(project).table("articles")
    other = articles.loc[~articles["is_default"].astype(bool), "article_id"].iloc[0]
    executed = run_report(project, other)
    article = find_article(articles, other)
    assert article.headline.rstrip(".") in executed
    n_claims = len(load_processed(project).article_outputs(other).claims)
    assert f"into {n_claims} checkable claims" in executed


def test_the_home_page_lists_every_article_with_its_scoreboard(shared_project: ProjectPaths) -> None:
    executed = run_page(shared_project, "index.qmd")
    data = load_processed(shared_project)
    for article_id in data.table("articles")["article_id"]:
        claims = data.article_outputs(article_id).claims
        assert f"](articles/{article_id}.html)" in executed
        assert f"](articles/{article_id}.pdf)" in executed
        assert f"{len(claims)} claims: " in executed
    assert len(IMAGE.findall(executed)) == len(data.table("articles"))


def test_the_data_and_methods_pages_run(shared_project: ProjectPaths) -> None:
    data_page = run_page(shared_project, "data.qmd")
    for name in ("trade.csv", "claims.csv", "sources.csv"):
        assert f"## {name}" in data_page, name
    assert "data/processed/turnover_best_estimate.csv" in data_page
    methods = run_page(shared_project, "methods.qmd")
    assert "**Verdict scale.**" in methods and "**Updates.**" in methods


def set_verdict(paths: ProjectPaths, claim_id: str, verdict: str) -> None:
    """Change a curated verdict of the default article in the copy's claims.csv."""
    path = paths.raw_table("claims")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    default = find_article(load_processed(paths).table("articles")).article_id
    for row in rows:
        if row[:2] == [default, claim_id]:
            assert row[-1] == "", f"{claim_id} has a computed check; pick a curated claim"
            row[5] = verdict
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def summary_of(executed: str) -> str:
    return executed.split("# Summary", 1)[1].split("# The timeline", 1)[0]


def test_changing_a_verdict_in_the_data_changes_the_summary(
    project: ProjectPaths, rebuilt: Callable[[ProjectPaths], None]
) -> None:
    before = summary_of(run_report(project))
    assert "**C02**" not in before.split("**Contradicted**", 1)[1].split("**Unverifiable**", 1)[0]
    set_verdict(project, "C02", "contradicted")
    rebuilt(project)
    after = summary_of(run_report(project))
    assert after != before
    contradicted = after.split("**Contradicted** (", 1)[1]
    count_before = int(before.split("**Contradicted** (", 1)[1].split(")", 1)[0])
    assert contradicted.startswith(f"{count_before + 1}):")
    assert "**C02**" in contradicted.split("**Unverifiable**", 1)[0]


def test_a_stale_data_processed_is_refused(project: ProjectPaths) -> None:
    set_verdict(project, "C02", "contradicted")  # raw changed, processed not rebuilt
    with pytest.raises(StaleOutputsError, match=r"claims\.csv changed since data/processed was built"):
        run_report(project)


def test_a_mix_of_old_and_new_outputs_is_refused(project: ProjectPaths) -> None:
    table = project.processed / "turnover_best_estimate.csv"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(
        StaleOutputsError, match=r"differs from its manifest entry: turnover_best_estimate\.csv"
    ):
        run_report(project)


def test_no_cell_is_labelled_as_a_figure(real_paths: ProjectPaths) -> None:
    # figures are Markdown images with their own #fig- id; a cell labelled fig-... would make Quarto
    # number an empty figure for the cell itself
    labels = [str(cell.options.get("label", "")) for cell in all_cells(real_paths.report)]
    assert not [label for label in labels if label.startswith("fig-")]
    assert all("_" not in label for label in labels)
