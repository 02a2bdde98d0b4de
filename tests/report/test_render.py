"""Rendering the site with a real Quarto (skipped where none is installed): a page and a PDF per article
of articles.csv, PDFs that pass the layout check, ClaimReview with absolute URLs that resolve, the home,
data and methods pages, offline search; one article alone; a bad site-url stops the render."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest

from ots_analysis.paths import ROOT_ENV, ProjectPaths, project_paths
from ots_analysis.presentation.prepare import main as prepare
from ots_analysis.presentation.site import site_url
from ots_analysis.preview import article_page_source, execute_document, layout_problems, typst_markdown
from ots_analysis.processed import load_processed

QUARTO = shutil.which("quarto")
RenderedSite = Any  # tests/report/conftest.py: the rendered project copy, its output folder, log and time
Render = Callable[..., subprocess.CompletedProcess[str]]
pytestmark = [
    pytest.mark.quarto,
    pytest.mark.skipif(
        QUARTO is None, reason="Quarto is not installed here; the render is checked at review"
    ),
]

with project_paths().raw_table("articles").open(encoding="utf-8", newline="") as _handle:
    ARTICLE_IDS = [row["article_id"] for row in csv.DictReader(_handle)]


def claimreviews(html: str) -> list[dict[str, object]]:
    head = html.split("</head>", 1)[0]
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, flags=re.DOTALL)
    return [item for script in scripts for item in json.loads(script).get("@graph", [])]


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_each_articles_pdf_holds_every_claim_and_passes_the_layout_check(
    rendered_site: RenderedSite, article_id: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pdf = rendered_site.output / "articles" / f"{article_id}.pdf"
    assert pdf.is_file() and (rendered_site.output / "articles" / f"{article_id}.html").is_file()
    monkeypatch.setenv(ROOT_ENV, str(rendered_site.paths.root))
    claims = load_processed(rendered_site.paths).article_outputs(article_id).claims
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False
    ).stdout
    if pdf_text:
        assert not [claim_id for claim_id in claims["claim_id"] if claim_id not in pdf_text]
    try:
        source = article_page_source(rendered_site.paths.report, article_id)
        markdown = typst_markdown(execute_document(source, tmp_path))
    finally:
        plt.close("all")
    assert layout_problems(pdf, markdown) == []


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_each_articles_claimreview_urls_are_absolute_and_resolve_to_an_anchor(
    rendered_site: RenderedSite, article_id: str
) -> None:
    html = (rendered_site.output / "articles" / f"{article_id}.html").read_text(encoding="utf-8")
    claims = load_processed(rendered_site.paths).article_outputs(article_id).claims
    reviews = claimreviews(html)
    assert sorted(str(review["identifier"]) for review in reviews) == sorted(claims["claim_id"])
    page = f"{site_url(rendered_site.paths.report)}articles/{article_id}.html"
    anchors = set(re.findall(r'\bid="([^"]+)"', html))
    for review in reviews:
        url = str(review["url"])
        assert url.startswith(page + "#"), url
        assert url.split("#", 1)[1] in anchors, url
        assert review["datePublished"]


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_each_article_page_links_its_pdf_as_pdf_and_keeps_claim_ids_whole(
    rendered_site: RenderedSite, article_id: str
) -> None:
    html = (rendered_site.output / "articles" / f"{article_id}.html").read_text(encoding="utf-8")
    formats = re.search(r'class="quarto-alternate-formats">(.*?)</ul>', html, flags=re.DOTALL)
    assert formats is not None
    assert f'href="{article_id}.pdf"' in formats.group(1)
    assert ">PDF</a>" in formats.group(1) and "Typst" not in formats.group(1)
    assert re.search(r'<span id="claim-c\d+" class="claim-id">', html)
    assert 'class="ots-register"' in html and 'id="updates"' in html
    css = (rendered_site.output / "styles.css").read_text(encoding="utf-8")
    assert re.search(r"\.claim-id\s*\{\s*white-space:\s*nowrap", css)


def test_the_home_page_lists_every_article_and_the_site_has_its_pages(rendered_site: RenderedSite) -> None:
    home = (rendered_site.output / "index.html").read_text(encoding="utf-8")
    for article_id in ARTICLE_IDS:
        assert f'href="./articles/{article_id}.html"' in home or f'href="articles/{article_id}.html"' in home
        assert f"articles/{article_id}.pdf" in home
    assert home.count('<img src="_figures/home/') == len(ARTICLE_IDS)
    for page in ("data.html", "methods.html"):
        assert (rendered_site.output / page).is_file()
    searchable = {
        entry["href"].split("#")[0]
        for entry in json.loads((rendered_site.output / "search.json").read_text())
    }
    assert {
        "index.html",
        "data.html",
        "methods.html",
        *(f"articles/{a}.html" for a in ARTICLE_IDS),
    } <= searchable


def test_the_site_loads_nothing_from_elsewhere(rendered_site: RenderedSite) -> None:
    # links to the sources are fine; scripts, styles, fonts and images come from the site itself
    for page in rendered_site.output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.findall(r'<(?:script|img|iframe)[^>]+src="(?:https?:)?//', text), page
        assert not re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="(?:https?:)?//', text), page
    for sheet in rendered_site.output.rglob("*.css"):
        assert not re.search(
            r"@import\s*(?:url\()?[\"']?(?:https?:)?//", sheet.read_text(encoding="utf-8")
        ), sheet


def test_one_article_renders_alone(project: ProjectPaths, quarto_render: Render) -> None:
    # what `nox -s report -- ARTICLE_ID` does: prepare (checks the id, writes the pages), then render one page
    article_id = ARTICLE_IDS[-1]
    assert prepare([article_id]) == 0
    done = quarto_render(project, str(project.report / "articles" / f"{article_id}.qmd"))
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    written = sorted(path.name for path in (project.report_output / "articles").iterdir() if path.is_file())
    assert written == [f"{article_id}.html", f"{article_id}.pdf"]
    assert not (project.report_output / "data.html").exists()


def test_a_bad_site_url_stops_quartos_render_and_says_where_to_fix_it(
    project: ProjectPaths, quarto_render: Render
) -> None:
    config = project.report / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        re.sub(r"(?m)^  site-url: .*$", '  site-url: "www.example.org/ots"', text), encoding="utf-8"
    )
    shutil.rmtree(project.report_output, ignore_errors=True)
    done = quarto_render(project)
    assert done.returncode != 0
    assert (
        f"{config}: website.site-url is 'www.example.org/ots', not an absolute http(s) URL"
        in done.stderr + done.stdout
    )
    assert not project.report_output.exists() or not list(project.report_output.rglob("*.html"))
