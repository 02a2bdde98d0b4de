"""Issue 15: broken copies of the real raw files that a second fuzzer got past, and files it could not
read without a traceback. Each must now fail cleanly where it is broken.

The harness is :mod:`test_bad_input`'s: copy data/raw, break one thing, run ``build`` and ``validate``
in-process; both exit 1, name ``<file>:<line>:<column>`` (and the column's name), print no traceback,
write nothing and leave the raw files as they were. Cases here add rows as well as edit cells, and
some write bytes no editor would (other encodings, line endings, separators).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from test_bad_input import (
    Breakage,
    Expected,
    assert_fails_cleanly,
    cell,
    latin1_cell,
    line_of,
    read_records,
    run_cli,
    set_cell,
)

from ots_analysis.paths import ProjectPaths

CASES: dict[str, Breakage] = {}


def case(name: str) -> Callable[[Breakage], Breakage]:
    def register(function: Breakage) -> Breakage:
        CASES[name] = function
        return function

    return register


def to_csv(records: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    return out.getvalue()


def append_row(path: Path, record: list[str]) -> int:
    """Append one record (quoted as the csv module quotes); return its line number."""
    records = read_records(path)
    assert len(record) == len(records[0])
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    path.write_text(text + to_csv([record]), encoding="utf-8")
    assert read_records(path) == [*records, record]
    return len(records) + 1


def column_of(path: Path, column: str) -> int:
    return read_records(path)[0].index(column) + 1


def edit(file: str, line: int, column: str, value: str, rule: str, shown: str | None = None) -> Breakage:
    """Set one cell to ``value``; the failure is expected there, with ``rule`` in its message."""

    def breaking(raw: Path) -> Expected:
        _, number = set_cell(raw / file, line, column, value)
        return Expected(file, line, number, column, rule, value=shown)

    return breaking


# --- sums, repeats and self-pairs -------------------------------------------------------------------


@case("arms-shares-above-100")
def second_supplier_with_88_percent(raw: Path) -> Expected:
    """KAZ's shares 2020-2024 in one source: Russia 88 %, and now Turkey 88 % (stated in the same
    excerpt, so only the sum is wrong)."""
    path = raw / "arms_suppliers.csv"
    record = read_records(path)[1]
    assert record[:5] == ["KAZ", "RUS", "2020", "2024", "88"]
    line = append_row(path, ["KAZ", "TUR", *record[2:]])
    return Expected("arms_suppliers.csv", line, 5, "share_pct", "add up to 176 %, more than 100 %", "88")


CASES["list-repeat-source"] = edit(
    "trade.csv",
    2,
    "source_ids",
    "metbuat-2020-02-aze-tur-pta;metbuat-2020-02-aze-tur-pta",
    "a value is repeated in this ';'-separated list",
)
CASES["list-repeat-parties"] = edit(
    "defense_cooperation.csv", 2, "parties", "TUR;TUR", "a value is repeated", "TUR;TUR"
)
CASES["list-repeat-check-parameter"] = edit(
    "check_parameters.csv", 32, "value", "HUN;HUN", "lists 'HUN' twice", "HUN;HUN"
)


@case("row-repeated-with-list-reordered")
def trade_row_with_sources_swapped(raw: Path) -> Expected:
    path = raw / "trade.csv"
    records = read_records(path)
    # the first row citing exactly two sources, wherever new rows have moved it
    index = next(i for i, record in enumerate(records) if i and record[8].count(";") == 1)
    record = records[index]
    first, second = record[8].split(";")
    line = append_row(path, [*record[:8], f"{second};{first}", *record[9:]])
    return Expected("trade.csv", line, 9, "source_ids", f"repeats line {index + 1}", f"{second};{first}")


CASES["self-pair-arms"] = edit(
    "arms_suppliers.csv", 2, "supplier_iso3", "KAZ", "supplier and recipient must differ", "KAZ"
)
CASES["self-pair-check-countries"] = edit(
    "check_parameters.csv", 64, "value", "TUR", "names the same country as 'country_a' (line 63)", "TUR"
)


# --- numbers ------------------------------------------------------------------------------------------

CASES["negative-stated-usd"] = edit(
    "check_parameters.csv", 65, "value", "-6000000000", "must not be negative", "-6000000000"
)
CASES["parameter-with-309-digits"] = edit(
    "check_parameters.csv", 76, "value", "1" + "0" * 308, "has 309 digits", "1" + "0" * 308
)
CASES["value-usd-with-309-digits"] = edit(
    "trade.csv", 2, "value_usd", "1" + "0" * 308, "number has 309 digits", "1" + "0" * 308
)


# --- dates across tables ----------------------------------------------------------------------------

CASES["article-reviewed-before-published"] = edit(
    "articles.csv", 3, "review_date", "2025-09-01", "review_date is before the article was published"
)


@case("source-accessed-after-review")
def review_moved_before_a_source_was_read(raw: Path) -> Expected:
    """The seed article's review is dated back to 2026-11-30; a source it cites that was read on
    2026-12-02 (CTV News on Canada's drone export permits, cited by C33) is then read after it."""
    sources, articles = raw / "sources.csv", raw / "articles.csv"
    line = line_of("sources.csv", source_id="ctvnews-2021-04-canada-drone-permits")
    assert cell(sources, line, "accessed") == "2026-12-02"
    review = line_of("articles.csv", article_id="timestengri-2025-10-ots-military")
    set_cell(articles, review, "review_date", "2026-11-30")
    return Expected(
        "sources.csv", line, column_of(sources, "accessed"), "accessed", "read after the review of"
    )


CASES["full-year-not-over"] = edit(  # its source is dated 2022-03-28
    "trade.csv",
    line_of("trade.csv", source_ids="azernews-2022-03-aze-tur-2m", year="2021", flow="turnover"),
    "year",
    "2022",
    "a full_year figure for 2022 cannot be read before the period",
    "2022",
)
CASES["actual-total-stated-before-year-end"] = edit(
    "trade_aggregates.csv", 2, "stated_on", "2022-06-01", "cannot be stated before the period ended"
)
CASES["summits-in-opposite-order"] = edit(
    "events.csv", 4, "date", "1993-08-28", "numbers and dates run in opposite orders", "1993-08-28"
)
CASES["membership-before-founding"] = edit(
    "memberships.csv", 8, "start_date", "2008-09-03", "spell starts before OTS existed", "2008-09-03"
)
CASES["founder-on-another-day"] = edit(
    "memberships.csv", 2, "start_date", "2009-10-04", "starts on another day than its other founders"
)
CASES["date-moved-evidence-kept"] = edit(
    "events.csv", 4, "date", "1996-08-28", "the evidence writes 1995 but not 1996", "1996-08-28"
)


# --- text ----------------------------------------------------------------------------------------------

CASES["look-alike-letter"] = edit(
    "events.csv", 36, "city", "Cholpon-\u0410ta", "U+0410 CYRILLIC CAPITAL LETTER A among Latin letters"
)
for code, name in [
    (0xFFA0, "U+FFA0 HALFWIDTH HANGUL FILLER"),
    (0xFE0F, "U+FE0F VARIATION SELECTOR-16"),
    (0xFFFF, "U+FFFF noncharacter"),
    (0xFFFD, "U+FFFD REPLACEMENT CHARACTER"),
    (0xE000, "U+E000 private-use character"),
    (0x0378, "U+0378 unassigned code point"),
    (0xE0100, "U+E0100 VARIATION SELECTOR-17"),
]:
    CASES[f"invisible-{code:04x}"] = edit("events.csv", 3, "city", f"Istan{chr(code)}bul", name)
CASES["evidence-one-long-word"] = edit(
    "arms_suppliers.csv", 3, "evidence", "x" * 100_000, "100000 characters; this column holds at most 300"
)
CASES["title-too-long"] = edit("events.csv", 3, "title", "y" * 1001, "this column holds at most 1000")


# --- reading --------------------------------------------------------------------------------------------


def rewrite(file: str, change: Callable[[bytes], bytes], expected: Expected) -> Breakage:
    def breaking(raw: Path) -> Expected:
        path = raw / file
        path.write_bytes(change(path.read_bytes()))
        return expected

    return breaking


def whole_file(file: str, line: int, column: int, rule: str) -> Expected:
    return Expected(file, line, column, None, rule, alone=True)


CASES["cr-only"] = rewrite(
    "trade.csv", lambda data: data.replace(b"\n", b"\r"), whole_file("trade.csv", 1, 0, "(CR) alone")
)


@case("cr-only-with-unbalanced-quote")
def cr_only_with_a_syntax_error(raw: Path) -> Expected:
    """Used to raise 'substring not found' in _locate_field."""
    path = raw / "sources.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace(",Turkey welcomes", ',"Turkey welcomes', 1)
    path.write_text("\r".join(lines), encoding="utf-8")
    return whole_file("sources.csv", 1, 0, "(CR) alone")


@case("cr-only-with-latin-1-byte")
def cr_only_with_a_bad_byte(raw: Path) -> Expected:
    """Used to raise 'new-line character seen in unquoted field' in _decode: the bad byte is still
    found at its row (lines counted at each CR, as a CSV reader counts them) and column."""
    expected = latin1_cell(raw, "trade_aggregates.csv", 2, "stated_by")
    path = raw / "trade_aggregates.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    return Expected(expected.file, 2, expected.column_number, "stated_by", "not valid UTF-8", alone=True)


@case("mixed-line-endings")
def one_lf_line_in_a_crlf_file(raw: Path) -> Expected:
    path = raw / "events.csv"
    lines = path.read_bytes().split(b"\n")
    text = b"\r\n".join(lines[:5]) + b"\n" + b"\r\n".join(lines[5:])
    path.write_bytes(text)
    return whole_file("events.csv", 5, 0, "line ends with LF alone while line 1 ends with CRLF")


@case("lone-cr-before-a-later-error")
def lone_cr_then_bad_byte(raw: Path) -> Expected:
    """A CR inside a quoted title (line 4, column 2) is reported where it is; it no longer shifts the
    column of anything after it."""
    path = raw / "sources.csv"
    line = line_of("sources.csv", source_id="aa-2019-09-turkey-welcomes-uzbekistan-turkic-council")
    text = path.read_text(encoding="utf-8").split("\n")
    assert text[line - 1].split(",")[1] == "Turkey welcomes Uzbekistan in Turkic Council"
    edited = (
        text[line - 1].replace("Turkey welcomes", '"Turkey\rwelcomes', 1).replace("Council,", 'Council",', 1)
    )
    text[line - 1] = edited
    path.write_text("\n".join(text), encoding="utf-8", newline="")
    assert b'"Turkey\rwelcomes Uzbekistan in Turkic Council",' in path.read_bytes()
    rule = "carriage return (U+000D) alone inside a line"
    return Expected("sources.csv", line, 2, "title", rule, alone=True)


for encoding, label in [
    ("utf-16", "UTF-16 (little-endian, with a byte-order mark)"),
    ("utf-16-le", "UTF-16 (little-endian, without a byte-order mark)"),
    ("utf-16-be", "UTF-16 (big-endian, without a byte-order mark)"),
    ("utf-32", "UTF-32 (little-endian, with a byte-order mark)"),
    ("utf-32-be", "UTF-32 (big-endian, without a byte-order mark)"),
]:
    CASES[f"encoding-{encoding}"] = rewrite(
        "countries.csv",
        lambda data, encoding=encoding: data.decode("utf-8").encode(encoding),
        whole_file("countries.csv", 1, 0, f"written in {label}, not UTF-8"),
    )
for delimiter, word in [("\t", "tabs"), (";", "semicolons")]:

    def resave(data: bytes, delimiter: str = delimiter) -> bytes:
        records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(records)
        return out.getvalue().encode("utf-8")

    CASES[f"separated-by-{word}"] = rewrite(
        "events.csv", resave, whole_file("events.csv", 1, 1, f"the header is separated by {word}, not commas")
    )


@pytest.mark.parametrize("name", list(CASES))
def test_wrong_input_fails_cleanly_where_it_is(
    name: str, scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_fails_cleanly(scratch, CASES[name](scratch.raw), capsys)


def test_crlf_files_are_read_as_lf(scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]) -> None:
    """The decision: a file whose every line ends with CRLF (a Windows editor's) is valid, and reads
    exactly as with LF: the same result and the same warnings, if the data have any."""
    as_lf = run_cli(scratch, "validate", capsys)
    for path in sorted(scratch.raw.glob("*.csv")):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, out, err = run_cli(scratch, "validate", capsys)
    assert (code, out, err) == as_lf
    assert code == 0 and "is valid" in out
    assert "failure" not in err


def test_a_header_with_terminal_escapes_is_printed_escaped(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header that would retitle (OSC 0) and recolour (SGR) the terminal is shown as escapes."""
    path = scratch.raw / "countries.csv"
    hostile = "\x1b]0;pwned\x07\x1b[31mname"
    path.write_text(path.read_text(encoding="utf-8").replace(",name,", f',"{hostile}",', 1), encoding="utf-8")
    (scratch.raw / "\x1b[2Jnotes.csv").write_text("a\n", encoding="utf-8")

    code, out, err = run_cli(scratch, "validate", capsys)

    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in err
    assert "raw/countries.csv:1:2: column '\\x1b]0;pwned\\x07\\x1b[31mname'" in err
    assert "warning: raw/\\x1b[2Jnotes.csv: not a table of the schema" in err


def test_a_datapackage_json_that_is_not_utf8_is_a_message(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    package = scratch.raw / "datapackage.json"
    package.write_bytes(package.read_bytes().replace(b'"name"', b'"n\xe4me"', 1))
    code, _, err = run_cli(scratch, "validate", capsys)
    assert code == 1
    assert "Traceback" not in err
    assert "datapackage.json is not UTF-8 text (byte 0xe4 on line " in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_datapackage_json_is_a_message(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    package = scratch.raw / "datapackage.json"
    package.chmod(0)
    try:
        code, _, err = run_cli(scratch, "validate", capsys)
    finally:
        package.chmod(0o644)
    assert code == 1
    assert "datapackage.json cannot be read (Permission denied)" in err
