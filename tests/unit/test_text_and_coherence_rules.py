"""Issue 15's rules on small hand-made inputs: text of cells, reading, escaping, and the rules across
tables (whose failures on broken copies of the real data are tested in tests/data)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from ots_analysis.cells import (
    MAX_DIGITS,
    invisible_character_rule,
    is_invisible,
    length_rule,
    mixed_script_rule,
    number_rule,
)
from ots_analysis.coherence import (
    arms_shares_at_most_100,
    dates_agree_with_evidence,
    period_end,
    summits_in_order,
    years_in_text,
)
from ots_analysis.csvfile import csv_position, decode, parse_csv_text
from ots_analysis.datapackage import raw_package_problems
from ots_analysis.errors import Failure, escaped
from ots_analysis.paths import project_paths

# --- invisible characters: by category, not by list ----------------------------------------------------


def test_every_character_of_the_invisible_categories_is_rejected() -> None:
    categories = {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}  # Cs cannot occur in decoded UTF-8
    planes = [*range(0x0, 0x30000), *range(0xE0000, 0xE1000), 0xF0000, 0x10FFFD]
    missed = [
        f"U+{code:04X}"
        for code in planes
        if unicodedata.category(chr(code)) in categories and invisible_character_rule(chr(code)) is None
    ]
    assert missed == []


@pytest.mark.parametrize(
    "char", ["\ufe0f", "\ufe00", "\U000e0100", "\u180b", "\uffa0", "\u3164", "\u115f", "\u034f", "\ufffd"]
)
def test_selectors_fillers_and_the_replacement_character_are_rejected(char: str) -> None:
    assert is_invisible(char)
    rule = invisible_character_rule(f"Gab{char}ala")
    assert rule is not None and f"U+{ord(char):04X}" in rule and "at character 4" in rule


@pytest.mark.parametrize("text", ["Gabala", "Türkiye", "Қазақстан", "Oʻzbekiston", "東京", "a\u00a0b", "x y"])
def test_visible_text_passes(text: str) -> None:
    assert invisible_character_rule(text) is None


def test_a_noncharacter_is_named_as_one() -> None:
    assert "U+FFFF noncharacter" in (invisible_character_rule("\uffff") or "")


# --- scripts, lengths, digits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        ("Cholpon-\u0410ta", "U+0410 CYRILLIC CAPITAL LETTER A among Latin"),
        ("B\u0430yraktar", "U+0430 CYRILLIC SMALL LETTER A among Latin"),
        ("\u0410кинcи", "U+0063 LATIN SMALL LETTER C among Cyrillic"),
        ("\u0391nkara", "U+0391 GREEK CAPITAL LETTER ALPHA among Latin"),
        ("Ba\uff4bu", "U+FF4B FULLWIDTH LATIN SMALL LETTER K among Latin"),
    ],
)
def test_a_look_alike_letter_is_named(text: str, letter: str) -> None:
    rule = mixed_script_rule(f"the summit in {text} ended")
    assert rule is not None and letter in rule


@pytest.mark.parametrize(
    "text",
    ["Cholpon-Ata", "Чолпон-Ата", "Oʻzbekiston Respublikasi", "東京へ行く", "TB2 и Акинджи", "Ἀθῆναι"],
)
def test_words_in_one_script_pass(text: str) -> None:
    assert mixed_script_rule(text) is None


def test_lengths_and_digits() -> None:
    assert length_rule("x" * 300, 300) is None
    assert length_rule("x" * 301, 300) == "cell has 301 characters; this column holds at most 300"
    assert number_rule("9" * MAX_DIGITS, integer=True) is None
    assert number_rule("1" + "0" * 308, integer=False) == (
        "number has 309 digits; at most 15 are stored exactly (a typo?)"
    )
    assert number_rule("1234567890.123456", integer=False) is not None  # 16 digits in all


# --- escaping ----------------------------------------------------------------------------------------


def test_escaped_writes_controls_and_invisibles_as_escapes() -> None:
    assert escaped("plain, Türkiye 東京") == "plain, Türkiye 東京"
    assert escaped("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert escaped("a\u202eb\U000e0001") == "a\\u202eb\\U000e0001"


def test_a_failure_escapes_every_part_that_comes_from_the_data() -> None:
    failure = Failure("raw/\x1bx.csv", 1, 2, "na\x1b[31mme", "v\x9b", "rule about \x1b[0m")
    shown = failure.describe()
    assert "\x1b" not in shown and "\x9b" not in shown
    assert shown == "raw/\\x1bx.csv:1:2: column 'na\\x1b[31mme' value 'v\\x9b': rule about \\x1b[0m"


# --- reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2", (2, 2)),
        ('a,b\n1,"x,\ny",', (2, 3)),  # a quoted comma and line break stay in their field
        ("a,b\r2,3,", (2, 3)),
        ("a,b\r\n1,2\r\n3", (3, 1)),
    ],
)
def test_position_counts_records_and_fields(text: str, expected: tuple[int, int]) -> None:
    assert csv_position(text, lone_cr_breaks=True) == expected


def test_a_lone_cr_does_not_move_the_column_in_an_lf_file() -> None:
    text = 'a,b,c\n1,"x\ry",3\n'
    table = parse_csv_text(text, "x.csv")
    assert [(f.line, f.column_number, f.column) for f in table.failures] == [(2, 2, "b")]


@pytest.mark.parametrize(
    ("text", "where", "rule"),
    [
        ("a,b\r1,2\r", (1, 0), "carriage return (CR) alone"),
        ('a,b\r1,"2\r', (1, 0), "carriage return (CR) alone"),  # used to raise in _locate_field
        ("a,b\r\n1,2\n3,4\r\n", (2, 0), "line ends with LF alone while line 1 ends with CRLF"),
        ("a,b\n1,2\r\n", (2, 0), "line ends with CRLF while line 1 ends with LF alone"),
        ("a,b\n1,x\ry\n", (2, 2), "carriage return (U+000D) alone inside a line"),
        ("a\tb\n1\t2\n", (1, 1), "separated by tabs"),
        ("a;b\n1;2\n", (1, 1), "separated by semicolons"),
    ],
)
def test_line_endings_and_separators_are_reported_once(text: str, where: tuple[int, int], rule: str) -> None:
    table = parse_csv_text(text, "x.csv")
    assert not table.complete
    assert [(f.line, f.column_number) for f in table.failures] == [where]
    assert rule in table.failures[0].rule


def test_a_crlf_file_reads_as_lf() -> None:
    table = parse_csv_text('a,b\r\n1,"two, three"\r\n4,5\r\n', "x.csv")
    assert table.failures == ()
    assert table.frame.to_dict("records") == [{"a": "1", "b": "two, three"}, {"a": "4", "b": "5"}]


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16", "UTF-16 (little-endian, with a byte-order mark)"),
        ("utf-16-be", "UTF-16 (big-endian, without a byte-order mark)"),
        ("utf-32-le", "UTF-32 (little-endian, without a byte-order mark)"),
        ("utf-32", "UTF-32 (little-endian, with a byte-order mark)"),
    ],
)
def test_wide_encodings_are_named_at_line_1(encoding: str, name: str) -> None:
    text, failures = decode("iso3,name\nTUR,Türkiye\n".encode(encoding), "x.csv")
    assert text is None
    assert [(f.line, f.column_number) for f in failures] == [(1, 0)]
    assert name in failures[0].rule


def test_a_nul_byte_in_a_utf8_file_is_not_taken_for_utf16() -> None:
    text, failures = decode(b"i\x00so3,name\n", "x.csv")
    assert failures == [] and text == "i\x00so3,name\n"  # the cell rules report it as NUL


def test_a_bad_byte_in_a_cr_only_file_is_located_by_row_and_column() -> None:
    """Used to raise 'new-line character seen in unquoted field'."""
    text, failures = decode(b'a,b,c\r1,"x\ry",\xe9\r', "x.csv")
    assert text is None
    assert [(f.line, f.column_number, f.column) for f in failures] == [(2, 3, "c")]


def test_an_unreadable_datapackage_json_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "datapackage.json").write_text("{}", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    problems = raw_package_problems(project_paths(raw=raw, processed=tmp_path / "processed"))
    assert len(problems) == 1 and "cannot be read (Permission denied)" in problems[0]


# --- rules across tables ---------------------------------------------------------------------------------


def test_years_in_text() -> None:
    assert years_in_text("held in Bishkek on August 28, 1995") == {1995}
    assert years_in_text("in 2016-20 Russia supplied 94%") == {2016, 2020}
    assert years_in_text("between 2017–2021 and 1998") == {1998, 2017, 2021}
    assert years_in_text("2,019 million; 12019 units; 4.2019") == set()


def test_period_end_is_the_first_day_after_the_period() -> None:
    assert period_end(2023, "full_year") == pd.Timestamp("2024-01-01")
    assert period_end(2023, "jan-sep") == pd.Timestamp("2023-10-01")
    assert period_end(2023, "jan-dec") == pd.Timestamp("2024-01-01")


def _arms(shares: list[float], sources: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "recipient_iso3": "AZE",
            "supplier_iso3": [f"S{i}" for i in range(len(shares))],
            "period_start": pd.array([2016] * len(shares), dtype="Int64"),
            "period_end": pd.array([2020] * len(shares), dtype="Int64"),
            "share_pct": shares,
            "source_ids": sources,
        },
        index=pd.Index(range(2, 2 + len(shares)), name="csv_line"),
    )


def test_shares_add_up_per_source_with_rounding_slack() -> None:
    labels = {"arms_suppliers": "arms.csv"}
    rounded = _arms([33.3, 33.3, 33.4], ["s", "s", "s"])
    assert arms_shares_at_most_100({"arms_suppliers": rounded}, labels) == []
    other_sources = _arms([60, 60], ["s", "t"])
    assert arms_shares_at_most_100({"arms_suppliers": other_sources}, labels) == []
    shared = _arms([60, 50], ["s;t", "t"])  # both rows state source t
    failures = arms_shares_at_most_100({"arms_suppliers": shared}, labels)
    assert [(f.line, f.value) for f in failures] == [(2, "60"), (3, "50")]
    assert "in t (2016-2020) add up to 110 %" in failures[0].rule


def _events(dates: list[str], numbers: list[int], evidence: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(len(dates))],
            "date": pd.to_datetime(dates),
            "series": "s",
            "summit_number": pd.array(numbers, dtype="Int64"),
            "source_ids": "src",
            "evidence": evidence,
            "preferred": True,
        },
        index=pd.Index(range(2, 2 + len(dates)), name="csv_line"),
    )


def test_summits_out_of_order_are_reported_as_a_pair() -> None:
    events = _events(["2001-05-01", "2000-05-01", "2003-05-01"], [1, 2, 3], ["x", "x", "x"])
    failures = summits_in_order({"events": events}, {"events": "events.csv"})
    assert [f.line for f in failures] == [2, 3]
    assert "summit 1 of s is dated 2001-05-01, but summit 2 (line 3) 2000-05-01" in failures[0].rule


def test_a_date_agrees_with_the_years_its_evidence_writes() -> None:
    sources = pd.DataFrame({"source_id": ["src"], "published": pd.to_datetime(["2025-10-07"])})
    evidence = [
        "held on August 28, 1995",  # states 1995: the 1996 date is wrong
        "no year is written here",  # not judged
        "GABALA, October 7 ... joint exercises in 2026",  # dateline: the source's year 2025 counts
        "in 1998 and again in 1999",  # several years, one of them the date's
    ]
    events = _events(["1996-08-28", "2001-01-01", "2025-10-07", "1999-03-01"], [1, 2, 3, 4], evidence)
    tables = {"events": events, "sources": sources}
    failures = dates_agree_with_evidence(tables, {"events": "events.csv", "sources": "sources.csv"})
    assert [(f.line, f.value) for f in failures] == [(2, "1996-08-28")]
    assert "the evidence writes 1995 but not 1996" in failures[0].rule
