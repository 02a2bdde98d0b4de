"""The rendered site in a browser: 0 axe-core violations on every page, search that works offline, and
claim ids that never break over lines.

Both need the site rendered by a real Quarto and a headless Chromium (Debian's ``chromium``); the axe
test also needs axe-core's script (the npm package ``axe-core``): ``npm install --no-save axe-core`` in
the project's folder puts it in ``node_modules/`` (git-ignored), or ``AXE_CORE_JS`` names
``axe.min.js``. Without them the tests are skipped, saying which is missing (CI has neither).

The site is served from 127.0.0.1 by a thread of this process; Chromium's network is otherwise off (a
proxy that does not exist), so a page that needed anything from elsewhere would show it.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ots_analysis.paths import project_paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
QUARTO = shutil.which("quarto")


def _axe_script() -> Path | None:
    explicit = os.environ.get("AXE_CORE_JS")
    candidates = [Path(explicit)] if explicit else []
    candidates.append(project_paths().root / "node_modules" / "axe-core" / "axe.min.js")
    return next((path for path in candidates if path.is_file()), None)


AXE = _axe_script()
pytestmark = [
    pytest.mark.quarto,
    pytest.mark.skipif(
        QUARTO is None, reason="Quarto is not installed here; the render is checked at review"
    ),
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)"),
]

RUN_AXE = """
<script src="/__axe.min.js"></script>
<script>
window.addEventListener("load", function () {
  axe.run(document, { resultTypes: ["violations"] }).then(function (result) {
    const found = result.violations.map(function (rule) {
      return { id: rule.id, impact: rule.impact, help: rule.help,
               nodes: rule.nodes.map(function (node) { return node.target.join(" "); }) };
    });
    const out = document.createElement("pre");
    out.id = "axe-result";
    out.textContent = JSON.stringify(found);
    document.body.appendChild(out);
  });
});
</script>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@pytest.fixture(scope="module")
def served_copy(rendered_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A copy of the rendered site (that tests may change) served over HTTP from 127.0.0.1."""
    folder = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(rendered_site.output, folder)
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def dump_dom(url: str, profile: Path, budget_ms: int = 30_000, width: int = 800) -> str:
    """The page's DOM after its scripts ran (``budget_ms`` of virtual time), in a headless Chromium."""
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--proxy-server=127.0.0.1:9",  # nothing but 127.0.0.1 (never proxied) can be reached
        f"--virtual-time-budget={budget_ms}",
        f"--window-size={width},900",
    ]
    done = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=300, check=True
    )
    return done.stdout


def _pages(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.html") if "site_libs" not in path.parts)


NO_AXE = "axe-core is not installed: `npm install --no-save axe-core` here, or set AXE_CORE_JS to axe.min.js"


def _probe(page: Path, folder: Path, original: Path, prefix: str, script: str) -> str:
    """A copy of ``page`` (of the rendered site in ``original``) beside it in the served ``folder``,
    with ``script`` before ``</body>``; returns its address relative to the site's root."""
    relative = page.relative_to(original)
    probe = folder / relative.parent / f"{prefix}-{relative.name}"
    probe.write_text(
        page.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8"
    )
    return probe.relative_to(folder).as_posix()


@pytest.mark.skipif(AXE is None, reason=NO_AXE)
def test_every_page_of_the_site_has_no_axe_violation(
    rendered_site: Any, served_copy: tuple[Path, str], tmp_path: Path
) -> None:
    folder, base = served_copy
    assert AXE is not None
    shutil.copy(AXE, folder / "__axe.min.js")
    pages = _pages(rendered_site.output)
    assert len(pages) >= 5
    violations: dict[str, list[dict[str, Any]]] = {}
    for page in pages:
        name = page.relative_to(rendered_site.output).as_posix()
        probe = _probe(page, folder, rendered_site.output, "axe", RUN_AXE)
        dom = dump_dom(base + probe, tmp_path / f"profile-{len(violations)}")
        found = re.search(r'<pre id="axe-result">(.*?)</pre>', dom, flags=re.DOTALL)
        assert found is not None, f"axe-core did not finish on {name}"
        violations[name] = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert {name: found for name, found in violations.items() if found} == {}


def test_search_finds_articles_offline(served_copy: tuple[Path, str], tmp_path: Path) -> None:
    # Quarto's search (fuse.js over search.json, in site_libs) opened from the home page with a query,
    # as a reader's search does; the results link to the article pages
    _, base = served_copy
    dom = dump_dom(base + "index.html?q=Kazakhstan&show-results=1", tmp_path / "profile", budget_ms=15_000)
    results = set(re.findall(r'href="\./(articles/[a-z0-9-]+\.html)\?q=Kazakhstan', dom))
    assert results, dom[-2000:]
    assert 'class="aa-Item"' in dom


MEASURE_IDS = """
<script>
window.addEventListener("load", function () {
  const ids = Array.from(document.querySelectorAll(".claim-id"));
  const broken = ids.filter(function (element) {
    const line = parseFloat(getComputedStyle(element).lineHeight) || 24;
    return element.getClientRects().length > 1 || element.getBoundingClientRect().height > 1.5 * line;
  }).map(function (element) { return element.textContent; });
  const out = document.createElement("pre");
  out.id = "ids-result";
  out.textContent = JSON.stringify({ ids: ids.length, broken: broken });
  document.body.appendChild(out);
});
</script>
"""


@pytest.mark.parametrize("width", [1280, 420])
def test_claim_ids_never_break_over_lines(served_copy: tuple[Path, str], tmp_path: Path, width: int) -> None:
    # without the .claim-id rule of report/styles.css, every id of the register's tables wrapped ("C/0/9")
    folder, base = served_copy
    for page in sorted((folder / "articles").glob("*.html")):
        probe = page.with_name(f"ids-{width}-{page.name}")
        probe.write_text(
            page.read_text(encoding="utf-8").replace("</body>", MEASURE_IDS + "</body>"), "utf-8"
        )
        dom = dump_dom(f"{base}articles/{probe.name}", tmp_path / f"profile-{page.stem}", 10_000, width)
        found = re.search(r'<pre id="ids-result">(.*?)</pre>', dom, flags=re.DOTALL)
        assert found is not None, page.name
        result = json.loads(found.group(1).replace("&quot;", '"'))
        assert result["ids"] > 0 and result["broken"] == [], (page.name, result)
