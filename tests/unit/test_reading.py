"""Strict CSV reading: line numbers, header rules, whitespace; and the registered checks."""

from __future__ import annotations

import pandas as pd

from ots_analysis.checks import is_user_assigned_alpha3
from ots_analysis.load import parse_csv_text


def test_records_keep_their_physical_line_numbers() -> None:
    text = 'a,b\n1,"two\nlines"\n\n3,4\n'
    table = parse_csv_text(text, "x.csv")
    assert table.failures == ()
    assert table.frame.index.tolist() == [2, 4 + 1]
    assert table.frame.loc[2, "b"] == "two\nlines"


def test_empty_cells_become_missing_and_cells_keep_their_text() -> None:
    table = parse_csv_text("a,b\n1, x\n2,\n", "x.csv")
    assert table.failures == ()
    assert pd.isna(table.frame.loc[3, "b"])
    assert table.frame.loc[2, "b"] == " x"  # as written: the cell rules judge the whitespace


def test_a_ragged_row_is_reported_at_its_first_missing_field() -> None:
    table = parse_csv_text("a,b,c\n1,2\n1,2,3,4\n", "x.csv")
    located = [(f.line, f.column_number, f.column) for f in table.failures]
    assert located == [(2, 3, "c"), (3, 4, "")]
    assert table.frame.index.tolist() == []


def test_bad_header_names_are_reported() -> None:
    table = parse_csv_text("a,Bad Name,a\n1,2,3\n", "x.csv")
    rules = {(f.column_number, f.rule) for f in table.failures}
    assert (2, "header name must be snake_case") in rules
    assert (3, "header name is repeated") in rules


def test_user_assigned_codes() -> None:
    assert is_user_assigned_alpha3("XNC")
    assert is_user_assigned_alpha3("QMA")
    assert not is_user_assigned_alpha3("TUR")
    assert not is_user_assigned_alpha3("QAA")
