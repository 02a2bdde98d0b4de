"""Where the project's files live: the one module that builds paths.

The repository root is found from a marker (``pyproject.toml`` next to ``data/raw``), searched upwards
from this file and then from the working directory, so notebooks, tests, nox and Quarto all resolve the
same folders wherever they run. Each folder can be overridden, by argument or environment variable:

- ``OTS_ANALYSIS_ROOT``: the repository root;
- ``OTS_ANALYSIS_RAW_DIR``: the hand-curated input tables (default ``<root>/data/raw``);
- ``OTS_ANALYSIS_PROCESSED_DIR``: the built outputs (default ``<root>/data/processed``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "OTS_ANALYSIS_ROOT"
RAW_ENV = "OTS_ANALYSIS_RAW_DIR"
ARTICLE_ENV = "OTS_ANALYSIS_ARTICLE"
"""The article the report renders (an article_id of articles.csv); unset: the default article."""
PROCESSED_ENV = "OTS_ANALYSIS_PROCESSED_DIR"

MANIFEST_NAME = "manifest.json"
"""The build's index of data/processed: every output's rows and sha256, every input's sha256."""

DATAPACKAGE_NAME = "datapackage.json"
"""The Frictionless Data Package descriptor's file name, in data/raw and in data/processed."""

_MARKER_FILE = "pyproject.toml"
_MARKER_DIR = Path("data") / "raw"


class ProjectNotFoundError(RuntimeError):
    """Raised when no repository root (a folder with pyproject.toml and data/raw) can be found."""


def _is_root(candidate: Path) -> bool:
    return (candidate / _MARKER_FILE).is_file() and (candidate / _MARKER_DIR).is_dir()


def _search_upwards(start: Path) -> Path | None:
    for candidate in (start, *start.parents):
        if _is_root(candidate):
            return candidate
    return None


def find_root(start: Path | str | None = None) -> Path:
    """Return the repository root.

    Order: the ``start`` argument (searched upwards), ``$OTS_ANALYSIS_ROOT``, this module's location,
    then the current working directory.
    """
    explicit = start if start is not None else os.environ.get(ROOT_ENV)
    if explicit:
        found = _search_upwards(Path(explicit).resolve())
        if found is None:
            raise ProjectNotFoundError(
                f"{explicit} is not inside an ots-analysis checkout (no {_MARKER_FILE} next to data/raw)"
            )
        return found
    for start_dir in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        found = _search_upwards(start_dir)
        if found is not None:
            return found
    raise ProjectNotFoundError(
        "cannot find the ots-analysis repository (a folder with pyproject.toml and data/raw); "
        f"run from inside a clone, set {ROOT_ENV} to the clone's folder, or pass project_paths(root=...)"
    )


@dataclass(frozen=True)
class ProjectPaths:
    """The folders the library reads and writes."""

    root: Path
    raw: Path
    processed: Path

    @property
    def report(self) -> Path:
        """The Quarto project."""
        return self.root / "report"

    @property
    def report_output(self) -> Path:
        """Where Quarto writes the rendered HTML and PDF."""
        return self.report / "_output"

    @property
    def report_generated(self) -> Path:
        """Files the report includes that are generated for the article it renders (git-ignored)."""
        return self.report / "_generated"

    @property
    def manifest(self) -> Path:
        """The build manifest: row counts and sha256 of every output and input."""
        return self.processed / MANIFEST_NAME

    @property
    def raw_datapackage(self) -> Path:
        """The Frictionless descriptor of the raw tables (written by ``ots-analysis datapackage``)."""
        return self.raw / DATAPACKAGE_NAME

    @property
    def processed_datapackage(self) -> Path:
        """The Frictionless descriptor of the processed tables (written by ``ots-analysis build``)."""
        return self.processed / DATAPACKAGE_NAME

    def raw_table(self, name: str) -> Path:
        """The CSV file of raw table ``name`` (e.g. ``"trade"``)."""
        return self.raw / f"{name}.csv"

    def processed_file(self, filename: str) -> Path:
        """An output file in the processed folder (``filename`` may contain ``/``)."""
        return self.processed / filename

    def article_file(self, article_id: str, filename: str) -> Path:
        """An output file of one article (``data/processed/articles/<article_id>/<filename>``)."""
        return self.processed / article_output_name(article_id, filename)


ARTICLES_DIR = "articles"


def article_output_name(article_id: str, filename: str) -> str:
    """The name, relative to the processed folder, of an article's output file."""
    return f"{ARTICLES_DIR}/{article_id}/{filename}"


def project_paths(
    root: Path | str | None = None,
    raw: Path | str | None = None,
    processed: Path | str | None = None,
) -> ProjectPaths:
    """Resolve the project's folders; arguments win over environment variables over defaults.

    When both ``raw`` and ``processed`` are given (or set in the environment) no repository is needed,
    which lets tests and other projects point the library at any pair of folders. ``raw`` alone is
    enough outside a checkout too (``ots-analysis validate --raw-dir X``): the processed folder is
    then ``processed`` beside it.
    """
    raw_dir = raw if raw is not None else os.environ.get(RAW_ENV)
    processed_dir = processed if processed is not None else os.environ.get(PROCESSED_ENV)
    if root is None and raw_dir and processed_dir:
        root_dir = _search_upwards(Path(raw_dir).resolve()) or Path(raw_dir).resolve().parent
    elif root is None and raw_dir:
        # A raw folder alone is enough to validate, even outside a checkout; outputs then go to a
        # "processed" folder beside it, as data/processed sits beside data/raw.
        try:
            root_dir = find_root()
        except ProjectNotFoundError:
            root_dir = _search_upwards(Path(raw_dir).resolve()) or Path(raw_dir).resolve().parent
            processed_dir = str(Path(raw_dir).resolve().parent / "processed")
    else:
        root_dir = find_root(root)
    return ProjectPaths(
        root=root_dir,
        raw=Path(raw_dir).resolve() if raw_dir else root_dir / "data" / "raw",
        processed=Path(processed_dir).resolve() if processed_dir else root_dir / "data" / "processed",
    )
