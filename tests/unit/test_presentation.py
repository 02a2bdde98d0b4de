"""Markdown building blocks of the report: column widths that leave room for every word."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ots_analysis import presentation
from ots_analysis.presentation.markdown import (
    CELL_PADDING_CHARS,
    PAGE_LINE_CHARS,
    WORD_SAFETY,
    column_shares,
    longest_word,
    pipe_table,
)


def test_longest_word_counts_citations_as_they_print() -> None:
    # printed as "see (AA 2025)": the longest word is "2025)", not the key
    labels = {"a-very-long-source-key-2025": "AA 2025"}
    assert longest_word(["see [@a-very-long-source-key-2025]"], labels) == len("2025)")
    assert longest_word(["Partly supported"]) == len("supported")


def test_short_columns_get_room_for_their_longest_word() -> None:
    columns = {
        "ID": ["C01", "C02"],
        "Verdict": ["Partly supported", "Contradicted"],
        "Why": ["a long explanation " * 20, "another long explanation " * 15],
    }
    shares = column_shares(columns)
    assert sum(shares.values()) == pytest.approx(1)
    assert shares["Verdict"] * PAGE_LINE_CHARS >= len("Contradicted") * WORD_SAFETY + CELL_PADDING_CHARS
    assert shares["Why"] > shares["Verdict"] > shares["ID"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet="abcdefgh ", min_size=1, max_size=60), min_size=1, max_size=5),
        min_size=1,
        max_size=5,
    )
)
def test_every_column_gets_its_need_when_the_needs_fit(texts: list[list[str]]) -> None:
    columns = {f"c{i}": values for i, values in enumerate(texts)}
    needs = {
        name: longest_word([*values, name]) * WORD_SAFETY + CELL_PADDING_CHARS
        for name, values in columns.items()
    }
    shares = column_shares(columns)
    assert sum(shares.values()) == pytest.approx(1)
    if sum(needs.values()) <= PAGE_LINE_CHARS:
        for name, need in needs.items():
            assert shares[name] * PAGE_LINE_CHARS >= need - 1e-9


def test_pipe_table_writes_widths_as_dashes_and_escapes_bars() -> None:
    table = pipe_table(pd.DataFrame({"ID": ["C01"], "Value": [1.25], "Text": ["a | b"]}))
    _header, separator, row = table.splitlines()
    assert len(separator) > 72  # pandoc applies relative widths only to lines wider than 72 columns
    assert separator.split("|")[2].endswith(":")  # numbers right-aligned
    assert row == "| C01 | 1.2 | a \\| b |"


def test_disputes_are_listed_at_their_own_scale_or_said_to_be_none() -> None:
    disputes = pd.DataFrame(
        {
            "reporter_iso3": ["UZB"],
            "partner_iso3": ["AZE"],
            "year": [2022],
            "flow": ["imports"],
            "basis": ["stated"],
            "tied_low_usd": [46.4e6],
            "tied_high_usd": [49.5e6],
            "spread_pct": [6.465],
            "estimate_usd": [47.95e6],
            "source_ids": ["a;b"],
        }
    )
    table = presentation.disputes_markdown(disputes)
    assert "46.4 mn to 49.5 mn" in table and "47.95 mn" in table and "6.5" in table
    assert "No trade figure is disputed" in presentation.disputes_markdown(disputes.iloc[0:0])


def test_coverage_sentence_counts_estimated_pair_years_per_group() -> None:
    counts = pd.DataFrame(
        {
            "pair_group": ["member pair"] * 3,
            "coverage": ["both reporters", "one reporter", "missing"],
            "pair_years": [16, 50, 34],
        }
    )
    sentence = presentation.coverage_sentence(counts)
    assert "66 of the 100 member pair-years" in sentence and "16 from both reporters, 50 from one" in sentence
