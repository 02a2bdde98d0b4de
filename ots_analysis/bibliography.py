"""The report's bibliography, generated from ``sources.csv`` as CSL JSON (never hand-edited).

Each source becomes one CSL item whose ``id`` is its ``source_id``, so the report cites
``[@source_id]`` and Quarto/Pandoc resolve it. CSL JSON is the format Pandoc's citeproc reads;
see https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html for the fields.

A publication date known only as a lower bound (``published_basis`` ``not_before``) is never given as
the date of issue: the item's ``issued`` is a literal date, "not before 2022-11-01", which citeproc
prints as written, in the citation and the reference list alike.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ots_analysis.vocab import LOWER_BOUND_BASIS

_CSL_TYPE = {
    "news": "article-newspaper",
    "official": "webpage",
    "statistics": "report",
    "academic": "article-journal",
    "reference": "entry-encyclopedia",
}


def _date_parts(value: pd.Timestamp) -> dict[str, list[list[int]]]:
    return {"date-parts": [[value.year, value.month, value.day]]}


def csl_item(source: pd.Series) -> dict[str, Any]:
    """One CSL JSON item for one row of ``sources``."""
    item: dict[str, Any] = {
        "id": source["source_id"],
        "type": _CSL_TYPE[source["kind"]],
        "title": source["title"],
        "publisher": source["publisher"],
        "container-title": source["publisher"],
        "URL": source["url"],
        "language": source["language"],
        "accessed": _date_parts(source["accessed"]),
    }
    if pd.notna(source["published"]):
        if source["published_basis"] == LOWER_BOUND_BASIS:
            item["issued"] = {"literal": lower_bound_text(source["published"])}
        else:
            item["issued"] = _date_parts(source["published"])
    return item


def lower_bound_text(earliest: pd.Timestamp) -> str:
    """How a publication date known only as a lower bound is printed: "not before 2022-11-01"."""
    return f"not before {earliest:%Y-%m-%d}"


def csl_json(sources: pd.DataFrame) -> str:
    """The whole bibliography as CSL JSON text, sorted by id, ending with a newline."""
    items = [csl_item(row) for _, row in sources.sort_values("source_id").iterrows()]
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
