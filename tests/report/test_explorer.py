"""The explorable register in the HTML: filters and search work in a browser with the network off.

The structure is checked everywhere; the behaviour in a headless Chromium where one is installed
(Debian's ``chromium``), with networking disabled, on the explorer's HTML alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ots_analysis.paths import ProjectPaths
from ots_analysis.presentation import register_explorer_html
from ots_analysis.processed import load_processed

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def explorer(real_paths: ProjectPaths) -> tuple[str, int, int]:
    """The explorer's HTML, the article's number of claims, and how many are contradicted."""
    data = load_processed(real_paths)
    outputs = data.article_outputs()
    block = register_explorer_html(outputs.claims, outputs.article, data.references)
    html = block.removeprefix("```{=html}\n").removesuffix("\n```")
    claims = outputs.claims
    return html, len(claims), int((claims["final_verdict"] == "contradicted").sum())


def test_the_explorer_lists_every_claim_with_its_filter_values(explorer: tuple[str, int, int]) -> None:
    html, n_claims, _ = explorer
    rows = re.findall(r'<tr data-verdict="([a-z_]+)" data-section="(\d+)" data-category="([a-z]+)">', html)
    assert len(rows) == n_claims
    for control in ("verdict", "section", "category", "text"):
        assert f'data-filter="{control}"' in html
    assert "http" not in re.sub(r'href="[^"]*"', "", html), "the explorer must not load anything"


HARNESS = """
<script>
  const root = document.querySelector(".ots-register");
  const visible = () => Array.from(root.querySelectorAll("tbody tr")).filter((row) => !row.hidden).length;
  const results = [visible()];
  const verdict = root.querySelector('[data-filter="verdict"]');
  verdict.value = "contradicted"; verdict.dispatchEvent(new Event("input"));
  results.push(visible());
  verdict.value = ""; verdict.dispatchEvent(new Event("input"));
  const text = root.querySelector('[data-filter="text"]');
  text.value = "KAZAKHSTAN"; text.dispatchEvent(new Event("input"));
  results.push(visible());
  document.body.setAttribute("data-results", results.join(","));
</script>
"""


@pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (apt-get install chromium) for the browser check"
)
def test_filters_and_search_work_offline(explorer: tuple[str, int, int], tmp_path: Path) -> None:
    html, n_claims, n_contradicted = explorer
    page = tmp_path / "explorer.html"
    page.write_text(f"<!doctype html><html><body>{html}{HARNESS}</body></html>", encoding="utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
    ]
    proxy = ["--proxy-server=127.0.0.1:9", "--user-data-dir=" + str(tmp_path / "profile")]  # network off
    dom = subprocess.run(
        [str(CHROMIUM), *flags, *proxy, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'data-results="(\d+),(\d+),(\d+)"', dom)
    assert found is not None, dom[-2000:]
    shown_all, shown_contradicted, shown_kazakhstan = map(int, found.groups())
    assert (shown_all, shown_contradicted) == (n_claims, n_contradicted)
    rows = re.findall(r"<tr .*?</tr>", html)
    mentions = sum("kazakhstan" in re.sub(r"<[^>]+>", " ", row).lower() for row in rows)  # visible text only
    assert 0 < shown_kazakhstan == mentions < n_claims
