"""Read the build's outputs (``data/processed``) back, typed, after checking they are current.

``data/processed`` is the contract that CI checks (``ots-analysis build --check``); the report reads
it, not a second computation. Before anything is read, :func:`freshness_problems` compares the
manifest with the files: every raw input must still have the hash it had when the outputs were built,
and every output the hash the manifest records. A mix of old and new files, or outputs older than
the raw data, is refused with :class:`StaleOutputsError`, whose message says how to rebuild.
Column types come back from the kinds the manifest records for each table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ots_analysis.articles import Article, find_article
from ots_analysis.build import sha256_bytes
from ots_analysis.paths import MANIFEST_NAME, ProjectPaths, article_output_name
from ots_analysis.schemas import TABLES

REBUILD_HINT = "Run `ots-analysis build` (or `nox -s build`) to rebuild data/processed from data/raw."


class StaleOutputsError(RuntimeError):
    """Raised when data/processed is missing, incomplete, or not what the current raw data build."""


def _manifest(paths: ProjectPaths) -> dict[str, Any] | None:
    path = paths.processed / MANIFEST_NAME
    if not path.is_file():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def freshness_problems(paths: ProjectPaths, manifest: dict[str, Any] | None = None) -> list[str]:
    """Why data/processed cannot be read as the build of the current data/raw (empty = it can).

    ``manifest`` is the one already read from data/processed, if the caller has it.
    """
    manifest = manifest if manifest is not None else _manifest(paths)
    if manifest is None:
        return [f"no {MANIFEST_NAME} in {paths.processed}"]
    problems = []
    expected_inputs = {f"{name}.csv" for name in TABLES}
    if set(manifest["inputs"]) != expected_inputs:
        problems.append("the manifest lists other raw tables than this version of the package reads")
    for name, entry in sorted(manifest["inputs"].items()):
        path = paths.raw / name
        if not path.is_file() or sha256_bytes(path.read_bytes()) != entry["sha256"]:
            problems.append(f"data/raw/{name} changed since data/processed was built")
    for name, entry in sorted(manifest["outputs"].items()):
        path = paths.processed / name
        if not path.is_file():
            problems.append(f"missing output: {name}")
        elif sha256_bytes(path.read_bytes()) != entry["sha256"]:
            problems.append(f"output differs from its manifest entry: {name}")
    return problems


def ensure_fresh(paths: ProjectPaths) -> dict[str, Any]:
    """The manifest, if data/processed is the complete build of the current raw data; else raise."""
    manifest = _manifest(paths)
    problems = freshness_problems(paths, manifest)
    if problems or manifest is None:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise StaleOutputsError(f"data/processed is not current:\n{listed}\n{REBUILD_HINT}")
    return manifest


def _typed(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    converted: dict[str, pd.Series] = {}
    for column, kind in kinds.items():
        values = frame[column]
        if kind == "integer":
            converted[column] = pd.to_numeric(values).astype("Int64")
        elif kind == "number":
            converted[column] = pd.to_numeric(values).astype("float64")
        elif kind == "date":
            converted[column] = pd.to_datetime(values, format="%Y-%m-%d")
        elif kind == "boolean":
            converted[column] = values.map({"True": True, "False": False}).astype("boolean")
    return frame.assign(**converted)


def read_output(path: Path, kinds: dict[str, str]) -> pd.DataFrame:
    """One processed CSV table with the column kinds of the manifest (empty cells are missing)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return _typed(frame, kinds)


@dataclass(frozen=True)
class ArticleOutputs:
    """One article's processed outputs."""

    article: Article
    claims: pd.DataFrame
    check_parameters: pd.DataFrame
    intervals: pd.DataFrame
    membership_matrix: pd.DataFrame
    claimreview_jsonld: str


class ProcessedData:
    """The outputs of one build, read on demand; created only when they are current."""

    def __init__(self, paths: ProjectPaths) -> None:
        self.paths = paths
        self.manifest = ensure_fresh(paths)

    def table(self, name: str) -> pd.DataFrame:
        """A processed table by output name without ``.csv`` (e.g. ``"turnover_best_estimate"``), or by
        its path relative to the processed folder (``"articles/<id>/claims.csv"``)."""
        filename = name if name.endswith(".csv") else f"{name}.csv"
        entry = self.manifest["outputs"].get(filename)
        if entry is None:
            raise KeyError(f"no processed table {filename!r}")
        return read_output(self.paths.processed / filename, entry["columns"])

    @cached_property
    def references(self) -> list[dict[str, Any]]:
        """The bibliography (CSL JSON items, one per source)."""
        items: list[dict[str, Any]] = json.loads(
            (self.paths.processed / "references.json").read_text(encoding="utf-8")
        )
        return items

    def raw_rows(self) -> dict[str, int]:
        """Rows of each raw table when the outputs were built, by file name."""
        return {name: int(entry["rows"]) for name, entry in self.manifest["inputs"].items()}

    def article(self, article_id: str | None = None) -> Article:
        """The article ``article_id`` (default: the one marked is_default)."""
        return find_article(self.table("articles"), article_id)

    def article_outputs(self, article_id: str | None = None) -> ArticleOutputs:
        """Everything built for one article (default: the default article)."""
        article = self.article(article_id)

        def read(filename: str) -> pd.DataFrame:
            return self.table(article_output_name(article.article_id, filename))

        jsonld = self.paths.article_file(article.article_id, "claimreview.jsonld")
        return ArticleOutputs(
            article=article,
            claims=read("claims.csv"),
            check_parameters=read("check_parameters.csv"),
            intervals=read("intervals.csv"),
            membership_matrix=read("membership_matrix.csv").fillna(""),
            claimreview_jsonld=jsonld.read_text(encoding="utf-8"),
        )


def load_processed(paths: ProjectPaths) -> ProcessedData:
    """The current build's outputs; raises :class:`StaleOutputsError` if they are not current."""
    return ProcessedData(paths)
