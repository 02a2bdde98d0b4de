"""Presentation for the report: Markdown tables and prose, alt texts, the claims register views.

The report's cells only call these functions (and :mod:`ots_analysis.figures`) on the build's outputs
(:mod:`ots_analysis.processed`); nothing in the report computes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ots_analysis.paths import ProjectPaths
from ots_analysis.presentation import alt_text
from ots_analysis.presentation.claims import (
    claims_by_section_markdown,
    register_explorer_html,
    section_blocks_markdown,
    section_table_markdown,
)
from ots_analysis.presentation.markdown import cite, column_shares, pipe_table
from ots_analysis.presentation.summary import (
    blocs_sentence,
    coverage_sentence,
    sources_dating_sentence,
    summary_markdown,
    verdict_scale_markdown,
)
from ots_analysis.presentation.tables import (
    aggregates_markdown,
    citation_labels,
    codebook_markdown,
    codebooks_markdown,
    computed_checks_markdown,
    datapackage_markdown,
    disputes_markdown,
    inputs_markdown,
    tables_markdown,
    versions_markdown,
)

CLAIMREVIEW_HEAD = "claimreview-head.html"
"""The file, in ``report/_generated/<article_id>/``, that an article page includes in its HTML head."""


def figure_markdown(path: Path | str, label: str, caption: str, alt: str) -> str:
    """A Markdown image that Quarto numbers and cross-references as a figure (``@fig-...``)."""
    escaped = alt.replace("\\", "\\\\").replace('"', '\\"')
    return f'![{caption}]({Path(path).as_posix()}){{#{label} fig-alt="{escaped}"}}'


def checked_values(check_parameters: pd.DataFrame, parameter: str) -> list[str]:
    """The distinct values an article's checks give ``parameter`` (e.g. every ``importer``), sorted."""
    return sorted(set(check_parameters.loc[check_parameters["parameter"] == parameter, "value"]))


def claimreview_head_html(claimreview_jsonld: str) -> str:
    """The ClaimReview JSON-LD as a ``<script>`` element for the HTML head (``include-in-header``).

    ``</`` is escaped so that no text of a claim can close the script element.
    """
    compact = json.dumps(json.loads(claimreview_jsonld), ensure_ascii=False, sort_keys=True)
    safe = compact.replace("</", "<\\/")
    return f'<script type="application/ld+json">{safe}</script>\n'


def claimreview_head_path(paths: ProjectPaths, article_id: str) -> Path:
    """Where an article page's ClaimReview head include is written (git-ignored)."""
    return paths.report_generated / article_id / CLAIMREVIEW_HEAD


def write_claimreview_head(paths: ProjectPaths, claimreview_jsonld: str, article_id: str) -> Path:
    """Write the HTML head include of an article's page (``report/_generated/<article_id>/``)."""
    path = claimreview_head_path(paths, article_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(claimreview_head_html(claimreview_jsonld), encoding="utf-8")
    return path


__all__ = [
    "CLAIMREVIEW_HEAD",
    "aggregates_markdown",
    "alt_text",
    "blocs_sentence",
    "checked_values",
    "citation_labels",
    "cite",
    "claimreview_head_html",
    "claimreview_head_path",
    "claims_by_section_markdown",
    "codebook_markdown",
    "codebooks_markdown",
    "column_shares",
    "computed_checks_markdown",
    "coverage_sentence",
    "datapackage_markdown",
    "disputes_markdown",
    "figure_markdown",
    "inputs_markdown",
    "pipe_table",
    "register_explorer_html",
    "section_blocks_markdown",
    "section_table_markdown",
    "sources_dating_sentence",
    "summary_markdown",
    "tables_markdown",
    "verdict_scale_markdown",
    "versions_markdown",
    "write_claimreview_head",
]
