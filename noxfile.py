"""Automation: every session runs commands a person could run by hand.

nox -t check      # lock is current, lint, data validation, processed-is-fresh check, tests (what CI runs)
nox -s report     # build, then render the site (report/) with Quarto: every article in HTML and PDF
                  # (-- ARTICLE_ID renders one article's page alone)
nox -s preview    # the report's PDF without Quarto (pandoc + Typst), as PDF and PNG pages
nox -s bench      # time the build and the trade functions on a world-size synthetic table
nox -s fuzz       # 10,000 mutated copies of data/raw: tracebacks and wrongly accepted inputs

Every session installs the versions pinned in uv.lock (``uv sync --locked``), so a rebuild next year
gets the same packages; ``uv lock`` updates the lock after a change to pyproject.toml.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
# uv, not a virtualenv fallback: the sessions install from uv.lock with `uv sync`
nox.options.default_venv_backend = "uv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_external_run = True
nox.options.sessions = ["lock", "lint", "validate", "processed", "tests"]

ROOT = Path(__file__).resolve().parent
QUARTO_HELP = (
    "Quarto is needed to render the report and was not found. Install it from "
    "https://quarto.org/docs/get-started/ (or set QUARTO_PATH to its binary) and run `nox -s report` again."
)


def _install(session: nox.Session, extras: str = "") -> None:
    """Install the project and the versions uv.lock pins for it and ``extras`` (comma-separated).

    ``--locked`` fails if uv.lock does not match pyproject.toml; ``--no-editable`` tests the package as
    installed, and ``--reinstall-package`` rebuilds it, since uv does not notice edited source files.
    """
    session.run_install(
        "uv",
        "sync",
        "--locked",
        "--no-editable",
        "--reinstall-package=ots-analysis",
        f"--python={session.virtualenv.location}",
        *(f"--extra={extra}" for extra in extras.split(",") if extra),
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
    )


@nox.session(tags=["check"])
def lock(session: nox.Session) -> None:
    """Fail if uv.lock does not match pyproject.toml (after a dependency change, run `uv lock`)."""
    session.run("uv", "lock", "--check")


@nox.session(tags=["check"])
def lint(session: nox.Session) -> None:
    """ruff (lint and format) and mypy on the package; notebooks stored without outputs."""
    _install(session, "dev")
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("nbstripout", "--verify", *sorted(str(path) for path in ROOT.glob("notebooks/*.ipynb")))


@nox.session(tags=["check"])
def validate(session: nox.Session) -> None:
    """Validate data/raw against the schemas and the cross-table rules."""
    _install(session)
    session.run("ots-analysis", "validate", *session.posargs)


@nox.session(tags=["check"])
def processed(session: nox.Session) -> None:
    """Fail if the committed data/processed differs from a fresh build of data/raw."""
    _install(session)
    session.run("ots-analysis", "build", "--check", *session.posargs)


@nox.session(default=False)
def build(session: nox.Session) -> None:
    """Validate data/raw, then write data/processed and its manifest."""
    _install(session)
    session.run("ots-analysis", "build", *session.posargs)


@nox.session(tags=["check"])
def tests(session: nox.Session) -> None:
    """The test suite (no Quarto needed; the render test is skipped without it)."""
    _install(session, "test,report,preview")
    session.run("pytest", *session.posargs)


def _find_quarto() -> str | None:
    """Quarto from $QUARTO_PATH or PATH. The quarto-cli wheel is not tried: it downloads its binary
    at install time, which fails (with a long traceback) wherever there is no open internet."""
    explicit = os.environ.get("QUARTO_PATH")
    if explicit and Path(explicit).is_file():
        return explicit
    return shutil.which("quarto")


# the article `python -m ots_analysis.preview` prints (ots_analysis.paths.ARTICLE_ENV)
ARTICLE_ENV = "OTS_ANALYSIS_ARTICLE"


def _article_argument(session: nox.Session) -> tuple[str | None, list[str]]:
    """An article id as the first positional argument (not starting with '-'), and the rest."""
    args = list(session.posargs)
    if args and not args[0].startswith("-"):
        return args[0], args[1:]
    return None, args


@nox.session(default=False)
def report(session: nox.Session) -> None:
    """Build data/processed, then render the site with Quarto into report/_output/.

    `nox -s report` renders the whole site: the home page (every article of data/raw/articles.csv with
    its scoreboard), one page per article in HTML and PDF (articles/ARTICLE_ID.html and .pdf), and the
    data and methods pages. `nox -s report -- ARTICLE_ID` renders that article's page (HTML and PDF)
    alone. Further arguments go to `quarto render`. The site's address is `website.site-url` in
    report/_quarto.yml; the render stops, saying so, if it is not an absolute http(s) URL.
    """
    quarto = _find_quarto()
    if quarto is None:
        session.error(QUARTO_HELP)
    article, quarto_args = _article_argument(session)
    _install(session, "report")
    session.run("ots-analysis", "build")
    # checks site-url, data/processed and the article id, and writes the article pages (Quarto runs it
    # again as the project's pre-render step; it needs the pages to exist to render one of them)
    session.run("python", "-m", "ots_analysis.presentation.prepare", *([article] if article else []))
    target = ROOT / "report" / "articles" / f"{article}.qmd" if article else ROOT / "report"
    env = {"QUARTO_PYTHON": str(Path(session.bin) / "python")}
    session.run(quarto, "render", str(target), *quarto_args, env=env, external=True)
    output = ROOT / "report" / "_output"
    pattern = f"articles/{article}.*" if article else "**/*"
    for path in sorted(output.glob(pattern)):
        if path.suffix in (".html", ".pdf") and "site_libs" not in path.parts:
            session.log(f"written: {path}")


@nox.session(default=False)
def preview(session: nox.Session) -> None:
    """Print the report without Quarto (pandoc and Typst from PyPI) to report/_preview/index.pdf,
    with each page as a PNG in report/_preview/pages/; fails on overlapping or broken words.

    `nox -s preview -- ARTICLE_ID` previews another article.
    """
    article, _ = _article_argument(session)
    _install(session, "report,preview")
    session.run("ots-analysis", "build")
    session.run("python", "-m", "ots_analysis.preview", env={ARTICLE_ENV: article or ""})


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the real build, the report's Python work, and the trade functions at world scale."""
    _install(session, "test,report")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """Fuzz data/raw: 10,000 mutated copies through the CLI; prints tracebacks and wrongly accepted.

    `nox -s fuzz -- --seed N` reruns a seed; `-- --cases 500` runs fewer.
    """
    _install(session, "test")
    session.run("python", "tests/fuzz/fuzz_raw.py", "--cases", "10000", *session.posargs)
