"""The bibliography (CSL JSON) and what the report says about dates: a publication date known only as a
lower bound is never given as the date of issue."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ots_analysis.bibliography import csl_item, csl_json
from ots_analysis.presentation import sources_dating_sentence
from ots_analysis.presentation.tables import citation_labels


def source(published: str | None, basis: str | None) -> pd.Series:
    return pd.Series(
        {
            "source_id": "example-2022-page",
            "title": "A page",
            "publisher": "Example News",
            "url": "https://example.org/page",
            "published": pd.Timestamp(published) if published else pd.NaT,
            "published_basis": basis,
            "published_note": None if basis == "page" else "how it was found",
            "accessed": pd.Timestamp("2026-12-05"),
            "language": "en",
            "kind": "news",
        }
    )


@pytest.mark.parametrize("basis", ["page", "metadata", "url", "inferred"])
def test_a_known_date_is_the_date_of_issue(basis: str) -> None:
    item = csl_item(source("2023-05-17", basis))
    assert item["issued"] == {"date-parts": [[2023, 5, 17]]}


def test_a_lower_bound_is_printed_as_a_bound_not_as_the_date() -> None:
    item = csl_item(source("2022-11-01", "not_before"))
    assert item["issued"] == {"literal": "not before 2022-11-01"}
    assert "date-parts" not in json.dumps(item["issued"])
    assert item["accessed"] == {"date-parts": [[2026, 12, 5]]}


def test_an_undated_source_has_no_issued_date() -> None:
    assert "issued" not in csl_item(source(None, None))


def test_citation_labels_show_the_bound_or_nd() -> None:
    sources = pd.DataFrame(
        [source("2023-05-17", "page"), source("2022-11-01", "not_before"), source(None, None)]
    ).assign(source_id=["a-page", "b-bound", "c-undated"])
    labels = citation_labels(json.loads(csl_json(sources)))
    assert labels == {
        "a-page": "Example News 2023",
        "b-bound": "Example News not before 2022-11-01",
        "c-undated": "Example News n.d.",
    }


def test_the_report_counts_lower_bounds_apart_from_undated_sources() -> None:
    references = [
        {"id": "a", "issued": {"date-parts": [[2023, 5, 17]]}},
        {"id": "b", "issued": {"literal": "not before 2022-11-01"}},
        {"id": "c"},
    ]
    sentence = sources_dating_sentence(references)
    assert "Of the 3 sources, 1 (33%) have no publication date" in sentence
    assert "For 1 more, only the earliest date they can have appeared is known" in sentence
    assert "For " not in sources_dating_sentence([references[0], references[2]])
