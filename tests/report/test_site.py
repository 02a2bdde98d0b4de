"""The site without Quarto: its address, the generated article pages, and bad input (a bad site-url, an
article without claims, a claim without sources, no git history)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from ots_analysis.articles import articles_by_id
from ots_analysis.history import VerdictHistory
from ots_analysis.paths import ProjectPaths
from ots_analysis.presentation import (
    claimreview_head_path,
    datapackage_markdown,
    register_explorer_html,
    section_blocks_markdown,
)
from ots_analysis.presentation.markdown import NO_SOURCE
from ots_analysis.presentation.prepare import main as prepare
from ots_analysis.presentation.site import (
    GENERATED_MARK,
    SiteConfigError,
    article_registers,
    check_site_url,
    is_placeholder,
    site_url,
    updates_markdown,
    write_article_pages,
)
from ots_analysis.preview import FRONT_MATTER, article_page_source, execute_document, resolve_includes
from ots_analysis.processed import load_processed


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "example.org/ots", "/ots-analysis/", "ftp://example.org/", "https:///path",
     "https://a b.org/", "https://example.org/?page=1", "https://example.org/#top", 42],
)  # fmt: skip
def test_a_site_url_that_is_not_an_absolute_http_url_is_refused_saying_where(value: object) -> None:
    with pytest.raises(SiteConfigError, match=r"report/_quarto\.yml: website\.site-url .*Set it there"):
        check_site_url(value, "report/_quarto.yml")


@pytest.mark.parametrize(
    ("value", "base"),
    [
        ("https://example.org/ots", "https://example.org/ots/"),
        ("http://localhost:8000", "http://localhost:8000/"),
    ],
)
def test_a_site_url_is_the_base_of_every_page(value: str, base: str) -> None:
    assert check_site_url(value, "x") == base


def test_the_projects_site_url_is_absolute(real_paths: ProjectPaths) -> None:
    assert site_url(real_paths.report).startswith(("https://", "http://"))


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [("https://example.org/ots/", True), ("https://docs.example.com/", True),
     ("https://ots.example.net/", True), ("https://notexample.org/", False),
     ("https://factcheck.org/ots/", False)],
)  # fmt: skip
def test_a_documentation_domain_is_a_placeholder(value: str, placeholder: bool) -> None:
    assert is_placeholder(value) is placeholder


def test_prepare_notes_a_placeholder_address(
    project: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_site_url(project.report, "https://example.org/ots-analysis/")
    assert prepare([]) == 0
    assert "is a placeholder; before publishing, set website.site-url in" in capsys.readouterr().err
    _set_site_url(project.report, "https://ots.factcheck.test/")
    assert prepare([]) == 0
    assert "placeholder" not in capsys.readouterr().err


def _set_site_url(report: Path, value: str) -> None:
    config = report / "_quarto.yml"
    lines = [
        f'  site-url: "{value}"' if line.startswith("  site-url:") else line
        for line in config.read_text(encoding="utf-8").splitlines()
    ]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_bad_site_url_stops_the_render_before_any_page_is_written(
    project: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_site_url(project.report, "ots-analysis.example.org")
    shutil.rmtree(project.report / "articles")
    (project.report / "articles").mkdir()
    assert prepare([]) == 1
    error = capsys.readouterr().err
    assert f"{project.report / '_quarto.yml'}: website.site-url is 'ots-analysis.example.org'" in error
    assert not list((project.report / "articles").glob("*.qmd"))
    assert not project.report_generated.exists() or not list(project.report_generated.rglob("*.html"))


def test_an_unknown_article_is_refused_with_the_known_ones(
    project: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert prepare(["no-such-article"]) == 1
    assert "no article 'no-such-article' in articles.csv; the articles are:" in capsys.readouterr().err


def test_one_page_per_article_and_only_generated_pages_are_replaced(project: ProjectPaths) -> None:
    articles = articles_by_id(load_processed(project).table("articles"))
    folder = project.report / "articles"
    stale = folder / "an-article-no-longer-listed.qmd"
    stale.write_text(f"---\n{GENERATED_MARK}\n---\n", encoding="utf-8")
    mine = folder / "notes.qmd"
    mine.write_text("---\ntitle: hand-written\n---\n", encoding="utf-8")
    written = write_article_pages(project.report, articles.values())
    assert sorted(path.stem for path in written) == sorted(articles)
    assert not stale.exists() and mine.exists()
    assert (folder / "_metadata.yml").is_file()
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert GENERATED_MARK in text and f"ARTICLE_ID = {path.stem!r}" in text
        assert "{{< include /_article.qmd >}}" in text
    # a hand-written file where an article's page goes is not overwritten
    first = written[0]
    first.write_text("---\ntitle: mine\n---\n", encoding="utf-8")
    with pytest.raises(SiteConfigError, match="was not generated"):
        write_article_pages(project.report, articles.values())


def test_the_generated_pages_are_ignored_by_git(real_paths: ProjectPaths) -> None:
    if shutil.which("git") is None or not (real_paths.root / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "-C", str(real_paths.root), "check-ignore", "-q", "report/articles/any-article.qmd"],
        check=False,
    )
    kept = subprocess.run(
        ["git", "-C", str(real_paths.root), "check-ignore", "-q", "report/articles/_metadata.yml"],
        check=False,
    )
    assert (ignored.returncode, kept.returncode) == (0, 1)


def _add_article_without_claims(paths: ProjectPaths) -> str:
    path = paths.raw_table("articles")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    new = dict(rows[-1], article_id="dailysabah-2099-unchecked", is_default="false", review_date="")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows([*rows, new])
    return new["article_id"]


def test_an_article_without_claims_is_listed_and_its_page_renders(
    project: ProjectPaths, rebuilt: Callable[[ProjectPaths], None]
) -> None:
    article_id = _add_article_without_claims(project)
    rebuilt(project)
    assert prepare([]) == 0
    assert (project.report / "articles" / f"{article_id}.qmd").is_file()
    assert '"@graph": []' in claimreview_head_path(project, article_id).read_text(encoding="utf-8").replace(
        '"@graph":[]', '"@graph": []'
    )
    try:
        home = execute_document(
            resolve_includes(
                FRONT_MATTER.sub("", (project.report / "index.qmd").read_text("utf-8")), project.report
            ),
            project.report,
        )
        page = execute_document(article_page_source(project.report, article_id), project.report / "articles")
    finally:
        plt.close("all")
    entry = home.split(f"](articles/{article_id}.html)\n", 1)[1]  # after its heading
    assert "No claim of this article has been checked yet." in entry.split("\n## ", 1)[0]
    assert "None of its claims has been checked yet" in page
    assert "No claim of this article has been checked yet." in page
    assert "# Updates" in page and "# The timeline" in page


def test_a_claim_without_sources_says_so() -> None:
    claims = pd.DataFrame(
        {
            "claim_id": ["C01", "C02"],
            "section": [0, 0],
            "claim": ["A claim.", "Another."],
            "category": ["event", "event"],
            "final_verdict": ["supported", "contradicted"],
            "rationale": ["Why one.", "Why two."],
            "source_ids": ["", None],
        }
    )
    blocks = section_blocks_markdown(claims, 0)
    assert "[]" not in blocks and blocks.count(NO_SOURCE) == 2
    article = next(iter(articles_by_id(pd.DataFrame([_article_row()])).values()))
    explorer = register_explorer_html(claims, article, [])
    assert explorer.count("(no source cited)") == 2


def _article_row() -> dict[str, object]:
    return {
        "article_id": "a1", "headline": "H", "gist": "argues", "publisher": "P", "author": None,
        "published": "2025-01-01", "published_note": None, "url": "https://example.com", "language": "en",
        "sections": "Lead", "part_read": "all", "organization": "OTS", "region": None,
        "review_date": "2025-02-01", "is_default": True,
    }  # fmt: skip


def test_without_git_history_the_updates_say_so() -> None:
    text = updates_markdown(VerdictHistory(unavailable="git is not installed (git not found)"), "a1", ["C01"])
    assert text.startswith("The history of the verdicts could not be read here (git is not installed")


def test_the_site_renders_without_git_history(project: ProjectPaths) -> None:
    # a copy of the project, as from a source archive: not a git repository
    assert not (project.root / ".git").exists()
    try:
        page = execute_document(article_page_source(project.report, None), project.report / "articles")
    finally:
        plt.close("all")
    updates = page.split("# Updates", 1)[1]
    assert "could not be read here" in updates and "not in a git repository" in updates


def test_the_data_package_table_shows_descriptions_only_where_there_are_some() -> None:
    fields = {"fields": [{"name": "a"}, {"name": "b"}]}
    trade = {
        "name": "trade",
        "path": "trade.csv",
        "description": "Bilateral trade figures.",
        "schema": fields,
    }
    described = {"resources": [trade]}
    bare = {"resources": [{"name": "sums", "path": "sums.csv", "schema": {"fields": [{"name": "a"}]}}]}
    with_text = datapackage_markdown(described, {"trade.csv": 194}, "data/raw")
    assert with_text.splitlines()[0] == "| Resource | File | Rows | Columns | Description |"
    assert "| trade | data/raw/trade.csv | 194 | 2 | Bilateral trade figures. |" in with_text
    without = datapackage_markdown(bare, {}, "data/processed")
    assert without.splitlines()[0] == "| Resource | File | Rows | Columns |"


def test_the_home_page_lists_every_article_newest_first(real_paths: ProjectPaths) -> None:
    data = load_processed(real_paths)
    entries = article_registers(data)
    assert {entry.article.article_id for entry in entries} == set(articles_by_id(data.table("articles")))
    dates = [entry.article.published for entry in entries]
    assert dates == sorted(dates, reverse=True)
