"""Broken copies of the real raw files: each breakage must fail cleanly, located, with nothing written.

Every case copies ``data/raw`` (the ``scratch`` fixture), breaks one file in one way, and runs the command
line in-process. The CLI must exit 1, name ``<file>:<line>:<column>`` of the broken cell (and the column's
name where there is one), print no traceback, write nothing to the processed folder, and leave the raw
files byte for byte as they were. ``validate`` must report exactly what ``build`` reports (without
build's "Nothing was written.").

Files are edited as text (or bytes), so only the intended cell changes; each edit is checked against the
csv module's reading of the file before and after.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pycountry
import pytest

from ots_analysis.cli import main
from ots_analysis.paths import ProjectPaths, project_paths
from ots_analysis.publish import leftovers


@dataclass(frozen=True)
class Expected:
    """Where and why the failure must be reported."""

    file: str  # file name in the raw folder, e.g. "trade.csv"
    line: int  # physical CSV line, 1 = header
    column_number: int  # 1-based CSV column; 0 where the failure has no single column
    column: str | None  # column name, where there is one
    rule: str  # a fragment of the rule's wording
    value: str | None = None  # the cell as written in the file, where the message must show it
    alone: bool = False  # the root cause must be the only failure reported (no echoes)


Breakage = Callable[[Path], Expected]
BREAKAGES: dict[str, Breakage] = {}


def breakage(failure_class: str) -> Callable[[Breakage], Breakage]:
    """Register a function that breaks a copy of data/raw and says where the failure must be reported."""

    def register(function: Breakage) -> Breakage:
        BREAKAGES[failure_class] = function
        return function

    return register


# --- editing helpers --------------------------------------------------------------------------------


def field_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each field of one CSV record (quotes included), split at unquoted commas."""
    spans: list[tuple[int, int]] = []
    start, quoted = 0, False
    for offset, char in enumerate(line):
        if char == '"':
            quoted = not quoted  # a doubled quote inside a quoted field toggles twice
        elif char == "," and not quoted:
            spans.append((start, offset))
            start = offset + 1
    spans.append((start, len(line)))
    return spans


def read_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    assert "\r" not in text, "the raw files end lines with \\n only"
    return text.split("\n")


def read_records(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def set_cell(path: Path, line: int, column: str, value: str) -> tuple[str, int]:
    """Replace one cell's text; return its old text and its 1-based column number.

    ``value`` is written verbatim, so it must need no quoting. The csv module must then read exactly
    one different cell: the one at ``line`` and ``column``.
    """
    before = read_records(path)
    lines = read_lines(path)
    number = before[0].index(column) + 1
    start, end = field_spans(lines[line - 1])[number - 1]
    old = lines[line - 1][start:end]
    assert not old.startswith('"'), "pick an unquoted cell so the edit is a plain text replacement"
    lines[line - 1] = lines[line - 1][:start] + value + lines[line - 1][end:]
    path.write_text("\n".join(lines), encoding="utf-8")

    after = read_records(path)
    assert len(after) == len(before)
    changed = [
        (row, col)
        for row, (old_record, new_record) in enumerate(zip(before, after, strict=True))
        for col, (old_cell, new_cell) in enumerate(zip(old_record, new_record, strict=True))
        if old_cell != new_cell
    ]
    assert changed == [(line - 1, number - 1)], changed
    assert [len(record) for record in after] == [len(record) for record in before]
    return old, number


def line_of(file: str, **match: str) -> int:
    """The physical line (1 = header) of the first record of the real ``data/raw/<file>`` whose cells
    equal ``match`` (column -> value). Cases pick their row by key, not by position, so adding rows
    to the data never moves a case onto another row."""
    records = read_records(project_paths().raw / file)
    assert len(records) == len(read_lines(project_paths().raw / file)) - 1, "one line per record"
    header = records[0]
    for number, record in enumerate(records[1:], start=2):
        if all(record[header.index(column)] == value for column, value in match.items()):
            return number
    raise LookupError(f"no row of {file} has {match}")


SOURCE_LINE = line_of("sources.csv", source_id="aa-2019-09-turkey-welcomes-uzbekistan-turkic-council")
"""A source published on 2019-09-14 whose title, publisher and address need no quoting."""


def cell(path: Path, line: int, column: str) -> str:
    """The text of one cell as the csv module reads it."""
    records = read_records(path)
    return records[line - 1][records[0].index(column)]


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- one breakage per failure class ---------------------------------------------------------------


@breakage("missing-column")
def drop_period_column(raw: Path) -> Expected:
    path = raw / "trade.csv"
    before = read_records(path)
    number = before[0].index("period") + 1
    lines = read_lines(path)
    edited = []
    for text in lines:
        if not text:
            edited.append(text)
            continue
        start, end = field_spans(text)[number - 1]
        edited.append(text[: start - 1] + text[end:])  # the field and the comma before it
    path.write_text("\n".join(edited), encoding="utf-8")
    assert read_records(path) == [record[: number - 1] + record[number:] for record in before]
    return Expected("trade.csv", 1, 0, "period", "required column is missing")


@breakage("unexpected-column")
def add_note_column(raw: Path) -> Expected:
    path = raw / "trade.csv"
    before = read_records(path)
    lines = read_lines(path)
    edited = [text + (",note" if index == 0 else ",") if text else text for index, text in enumerate(lines)]
    path.write_text("\n".join(edited), encoding="utf-8")
    assert read_records(path) == [before[0] + ["note"]] + [[*record, ""] for record in before[1:]]
    return Expected("trade.csv", 1, len(before[0]) + 1, "note", "unexpected column")


@breakage("wrong-type-value_usd")
def text_in_value_usd(raw: Path) -> Expected:
    _, number = set_cell(raw / "trade.csv", 5, "value_usd", "about-two-billion")
    return Expected("trade.csv", 5, number, "value_usd", "not a plain number")


@breakage("wrong-type-year")
def text_in_year(raw: Path) -> Expected:
    _, number = set_cell(raw / "trade.csv", 5, "year", "twenty")
    return Expected("trade.csv", 5, number, "year", "not a whole number")


@breakage("empty-required-cell")
def empty_publisher(raw: Path) -> Expected:
    _, number = set_cell(raw / "sources.csv", 3, "publisher", "")
    return Expected("sources.csv", 3, number, "publisher", "required cell is empty")


@breakage("duplicate-key")
def repeated_source_id(raw: Path) -> Expected:
    path = raw / "sources.csv"
    first = cell(path, 2, "source_id")
    _, number = set_cell(path, 3, "source_id", first)
    return Expected("sources.csv", 3, number, "source_id", "must be unique")


@breakage("unknown-country-code")
def country_not_in_countries_csv(raw: Path) -> Expected:
    path = raw / "trade.csv"
    assert pycountry.countries.get(alpha_3="FRA") is not None  # a valid ISO code ...
    assert "FRA" not in {record[0] for record in read_records(raw / "countries.csv")}  # ... not listed
    assert cell(path, 5, "partner_iso3") != "FRA"
    _, number = set_cell(path, 5, "reporter_iso3", "FRA")
    return Expected("trade.csv", 5, number, "reporter_iso3", "not listed in countries.csv")


@breakage("dangling-source-id")
def source_id_not_in_sources_csv(raw: Path) -> Expected:
    # Appended, so every source the row cited stays cited and only the dangling id fails.
    path = raw / "trade.csv"
    old = cell(path, 2, "source_ids")
    _, number = set_cell(path, 2, "source_ids", f"{old};no-such-source-2020")
    return Expected("trade.csv", 2, number, "source_ids", "unknown source_id")


@breakage("negative-value")
def negative_value_usd(raw: Path) -> Expected:
    path = raw / "trade.csv"
    _, number = set_cell(path, 2, "value_usd", "-" + cell(path, 2, "value_usd"))
    return Expected("trade.csv", 2, number, "value_usd", "greater_than_or_equal_to(0)")


@breakage("exports-above-turnover")
def turnover_below_its_exports(raw: Path) -> Expected:
    # The first full-year turnover whose source also states the exports: lower it below them.
    path = raw / "trade.csv"
    records = read_records(path)
    header = records[0]
    at = {name: header.index(name) for name in ("flow", "period", "source_ids", "reporter_iso3", "year")}

    def key(record: list[str]) -> tuple[str, ...]:
        return tuple(
            record[at[name]] for name in ("reporter_iso3", "partner_iso3", "year", "period", "source_ids")
        )

    at["partner_iso3"] = header.index("partner_iso3")
    exports = {key(r): line for line, r in enumerate(records, start=1) if r[at["flow"]] == "exports"}
    line, exports_line = next(
        (line, exports[key(r)])
        for line, r in enumerate(records, start=1)
        if r[at["flow"]] == "turnover" and r[at["period"]] == "full_year" and key(r) in exports
    )
    exported = float(cell(path, exports_line, "value_usd"))
    set_cell(path, line, "value_usd", str(int(exported // 2)))
    number = header.index("value_usd") + 1
    return Expected(
        "trade.csv", exports_line, number, "value_usd", "exceed the turnover the same source states"
    )


@breakage("self-trade")
def partner_is_the_reporter(raw: Path) -> Expected:
    path = raw / "trade.csv"
    _, number = set_cell(path, 2, "partner_iso3", cell(path, 2, "reporter_iso3"))
    return Expected("trade.csv", 2, number, "partner_iso3", "reporter and partner must differ")


@breakage("theme-not-in-evidence")
def theme_reworded(raw: Path) -> Expected:
    _, number = set_cell(raw / "event_themes.csv", 2, "theme", "Peace and Prosperity")
    return Expected("event_themes.csv", 2, number, "theme", "not written in the row's evidence")


@breakage("theme-of-unknown-event")
def theme_of_a_missing_event(raw: Path) -> Expected:
    _, number = set_cell(raw / "event_themes.csv", 2, "event_id", "ots-summit-99")
    return Expected("event_themes.csv", 2, number, "event_id", "no event with this event_id")


@breakage("statistic-not-in-evidence")
def area_off_by_a_thousand(raw: Path) -> Expected:
    path = raw / "country_statistics.csv"
    _, number = set_cell(path, 2, "value", cell(path, 2, "value") + "000")
    return Expected("country_statistics.csv", 2, number, "value", "not written in the row's evidence")


@breakage("future-date")
def event_in_2099(raw: Path) -> Expected:
    _, number = set_cell(raw / "events.csv", 4, "date", "2099-01-01")
    return Expected("events.csv", 4, number, "date", "must not be in the future")


@breakage("malformed-url")
def url_without_scheme(raw: Path) -> Expected:
    _, number = set_cell(raw / "sources.csv", SOURCE_LINE, "url", "www.example.com/page")
    return Expected("sources.csv", SOURCE_LINE, number, "url", "http(s) URL")


def latin1_cell(raw: Path, file: str, line: int, column: str) -> Expected:
    """Re-encode one cell as latin-1, as a spreadsheet might; the rest of the file stays UTF-8.

    The cell must hold a letter that latin-1 can encode (and none that it cannot). Only that cell's
    bytes change.
    """
    path = raw / file
    records = read_records(path)
    number = records[0].index(column) + 1
    lines = read_lines(path)
    start, end = field_spans(lines[line - 1])[number - 1]
    field = lines[line - 1][start:end]  # as written, quotes included
    assert next(csv.reader([field])) == [records[line - 1][number - 1]]
    assert any(ord(char) > 127 for char in field)
    old_bytes = path.read_bytes()
    head = ("\n".join(lines[: line - 1]) + "\n" + lines[line - 1][:start]).encode("utf-8")
    tail = old_bytes[len(head) + len(field.encode("utf-8")) :]
    assert old_bytes == head + field.encode("utf-8") + tail
    path.write_bytes(head + field.encode("latin-1") + tail)
    return Expected(file, line, number, column, "not valid UTF-8")


@breakage("not-utf8")
def latin1_bytes(raw: Path) -> Expected:
    # "Turkish Trade Minister Ömer Bolat", unquoted
    return latin1_cell(raw, "trade_aggregates.csv", 2, "stated_by")


@breakage("not-utf8-in-quoted-cell")
def latin1_bytes_after_quoted_commas(raw: Path) -> Expected:
    # "In 2021, the trade turnover between Türkiye and ...": the bad byte follows a comma inside quotes.
    # The row is found by its text, so that adding or removing data rows above it does not break the case.
    records = read_records(raw / "trade.csv")
    column = records[0].index("evidence")
    line = next(
        number
        for number, record in enumerate(records, start=1)
        if record[column].startswith("In 2021, the trade turnover between Türkiye")
    )
    return latin1_cell(raw, "trade.csv", line, "evidence")


@breakage("byte-order-mark")
def utf8_bom(raw: Path) -> Expected:
    path = raw / "countries.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return Expected("countries.csv", 1, 1, None, "byte-order mark")


@breakage("stray-whitespace")
def trailing_space_in_cell(raw: Path) -> Expected:
    path = raw / "trade.csv"
    _, number = set_cell(path, 4, "flow", cell(path, 4, "flow") + " ")
    return Expected("trade.csv", 4, number, "flow", "whitespace")


@breakage("empty-file")
def zero_bytes(raw: Path) -> Expected:
    (raw / "arms_suppliers.csv").write_bytes(b"")
    return Expected("arms_suppliers.csv", 1, 0, None, "file is empty")


@breakage("ragged-row")
def row_missing_last_field(raw: Path) -> Expected:
    path = raw / "trade.csv"
    before = read_records(path)
    lines = read_lines(path)
    start, _ = field_spans(lines[5])[-1]
    lines[5] = lines[5][: start - 1]  # drop the last field (evidence) and its comma on line 6
    path.write_text("\n".join(lines), encoding="utf-8")
    expected_records = [*before[:5], before[5][:-1], *before[6:]]
    assert read_records(path) == expected_records
    width = len(before[0])
    rule = f"row has {width - 1} fields but the header has {width}"
    return Expected("trade.csv", 6, width, before[0][-1], rule)


# --- issue 11: wrong input that fuzzing got past -----------------------------------------------------
# Each class of the issue has a case here; the message must name the file, line and column (and the
# column's name), and, where a value is given, show the cell as it is written in the file.

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def number_case(file: str, line: int, column: str, written: str, rule: str) -> Breakage:
    def breaking(raw: Path) -> Expected:
        _, number = set_cell(raw / file, line, column, written)
        return Expected(file, line, number, column, rule, value=written)

    return breaking


BREAKAGES["number-fullwidth-digits"] = number_case(
    "trade.csv", 5, "value_usd", "4509000000".translate(FULLWIDTH), "not a plain number"
)
BREAKAGES["number-arabic-indic-digits"] = number_case(
    "trade.csv", 5, "year", "2019".translate(ARABIC_INDIC), "not a whole number"
)
BREAKAGES["number-underscores"] = number_case(
    "trade.csv", 2, "value_usd", "2_863_000_000", "not a plain number"
)
BREAKAGES["number-infinity"] = number_case("trade.csv", 2, "value_usd", "1e309", "not a plain number")
BREAKAGES["number-nan"] = number_case("arms_suppliers.csv", 2, "share_pct", "NaN", "not a plain number")
BREAKAGES["number-plus-sign"] = number_case("trade.csv", 2, "months", "+12", "formula")


def cell_case(file: str, line: int, column: str, edit: Callable[[str], str], rule: str) -> Breakage:
    """Replace one cell by ``edit(old text)``; the failure is expected at that cell."""

    def breaking(raw: Path) -> Expected:
        path = raw / file
        written = edit(cell(path, line, column))
        _, number = set_cell(path, line, column, written)
        return Expected(file, line, number, column, rule, value=written)

    return breaking


BREAKAGES["date-year-zero"] = cell_case(
    "events.csv", 3, "date", lambda _: "0000-10-18", "0000-10-18 is before 1988-01-01, the earliest"
)
BREAKAGES["date-year-one"] = cell_case(
    "events.csv", 3, "date", lambda _: "0001-10-18", "is before 1988-01-01, the earliest date this column"
)
BREAKAGES["date-accessed-in-1900"] = cell_case(
    "sources.csv", SOURCE_LINE, "accessed", lambda _: "1900-01-01", "1900-01-01 is before 1991-01-01"
)
BREAKAGES["date-defense-before-2010"] = cell_case(
    "defense_cooperation.csv", 2, "date", lambda _: "2009-12-31", "2009-12-31 is before 2010-01-01"
)
BREAKAGES["date-accessed-before-published"] = cell_case(
    "sources.csv", SOURCE_LINE, "accessed", lambda _: "2019-09-13", "accessed is before published"
)


# Limits and forms: the message gives the count or value that broke the limit, and a form in words.
BREAKAGES["limit-year-below-minimum"] = cell_case(
    "trade.csv", 5, "year", lambda _: "1985", "1985 is below the minimum, 1991"
)
BREAKAGES["limit-months-above-maximum"] = cell_case(
    "trade.csv", 5, "months", lambda _: "13", "13 is above the maximum, 12"
)
BREAKAGES["limit-section-beyond-the-article"] = cell_case(
    "claims.csv", 2, "section", lambda _: "9", "section 9 is beyond the article's 5 section(s)"
)
BREAKAGES["limit-two-default-articles"] = cell_case(
    "articles.csv", 3, "is_default", lambda _: "true", "2 articles have is_default = true; exactly one may"
)
BREAKAGES["form-claim-id-in-words"] = cell_case(
    "claims.csv",
    2,
    "claim_id",
    lambda _: "A3-01",
    "a claim id is C followed by two or three digits, e.g. C07",
)
BREAKAGES["form-parameter-name-in-words"] = cell_case(
    "check_parameters.csv", 2, "parameter", lambda _: "Stated-USD", "a parameter name is snake_case"
)


def first_unquoted_line(path: Path, column: str) -> int:
    """The first data line whose ``column`` cell is written without quotation marks."""
    number = read_records(path)[0].index(column)
    lines = read_lines(path)
    for index, text in enumerate(lines[1:], start=2):
        start, _ = field_spans(text)[number]
        if text and not text[start:].startswith('"'):
            return index
    raise AssertionError(f"every {column} cell of {path.name} is quoted")


@breakage("limit-evidence-words-counted")
def evidence_of_31_words(raw: Path) -> Expected:
    path = raw / "trade.csv"
    line = first_unquoted_line(path, "evidence")
    written = " ".join(["word"] * 31)
    _, number = set_cell(path, line, "evidence", written)
    return Expected("trade.csv", line, number, "evidence", "evidence has 31 words; at most 25", value=written)


@breakage("empty-evidence")
def event_without_evidence(raw: Path) -> Expected:
    path = raw / "events.csv"
    line = first_unquoted_line(path, "evidence")
    _, number = set_cell(path, line, "evidence", "")
    return Expected("events.csv", line, number, "evidence", "required cell is empty")


@breakage("date-year-precision-not-1-january")
def year_precision_on_18_october(raw: Path) -> Expected:
    path = raw / "events.csv"
    assert cell(path, 3, "date") == "1994-10-18"
    set_cell(path, 3, "date_precision", "year")
    number = read_records(path)[0].index("date") + 1
    return Expected("events.csv", 3, number, "date", "must be 1 January of its year", value="1994-10-18")


@breakage("date-month-precision-not-the-1st")
def month_precision_on_the_3rd(raw: Path) -> Expected:
    path = raw / "memberships.csv"
    assert cell(path, 2, "start_date") == "2009-10-03"
    set_cell(path, 2, "start_precision", "month")
    number = read_records(path)[0].index("start_date") + 1
    return Expected("memberships.csv", 2, number, "start_date", "must be the 1st of its month")


def insert(char: str, at: int) -> Callable[[str], str]:
    return lambda text: text[:at] + char + text[at:]


BREAKAGES["invisible-nul"] = cell_case("sources.csv", SOURCE_LINE, "title", insert("\x00", 6), "U+0000 NUL")
BREAKAGES["invisible-bidi-override"] = cell_case(
    "sources.csv", SOURCE_LINE, "publisher", insert("\u202e", 0), "U+202E RIGHT-TO-LEFT OVERRIDE"
)
BREAKAGES["invisible-bidi-isolate"] = cell_case(
    "events.csv", 3, "city", insert("\u2066", 3), "U+2066 LEFT-TO-RIGHT ISOLATE"
)
BREAKAGES["invisible-zero-width-space"] = cell_case(
    "trade.csv", 5, "reporter_iso3", insert("\u200b", 3), "U+200B ZERO WIDTH SPACE"
)
BREAKAGES["invisible-word-joiner"] = cell_case(
    "trade.csv", 5, "source_ids", insert("\u2060", 4), "U+2060 WORD JOINER"
)
BREAKAGES["invisible-line-separator"] = cell_case(
    "events.csv", 3, "title", insert("\u2028", 4), "U+2028 LINE SEPARATOR"
)
BREAKAGES["invisible-c1-control"] = cell_case("events.csv", 3, "kind", insert("\x85", 2), "U+0085")
BREAKAGES["invisible-in-url"] = cell_case(
    "sources.csv", SOURCE_LINE, "url", insert("\ufeff", 12), "U+FEFF ZERO WIDTH NO-BREAK SPACE"
)
# A space in the middle of whatever address sits on that line, so adding a source that sorts before it
# does not turn the edit into a no-op.
BREAKAGES["url-with-a-space"] = cell_case(
    "sources.csv",
    SOURCE_LINE,
    "url",
    lambda url: url[: len(url) // 2] + " " + url[len(url) // 2 :],
    "http(s) URL",
)

for prefix, where in [
    ("=HYPERLINK(1)", ("sources.csv", SOURCE_LINE, "title")),
    ("+90 ", ("sources.csv", SOURCE_LINE, "publisher")),
    ("@SUM(1) ", ("events.csv", 3, "title")),
    ("-cmd ", ("events.csv", 3, "title")),
    ("-(2+3) ", ("trade_aggregates.csv", 2, "stated_by")),
]:
    BREAKAGES[f"formula-{prefix[:2].strip()}"] = cell_case(*where, insert(prefix, 0), "runs as a formula")
BREAKAGES["formula-tab"] = cell_case("sources.csv", SOURCE_LINE, "title", insert("\t", 0), "U+0009 TAB")


@breakage("header-columns-swapped")
def title_and_publisher_swapped(raw: Path) -> Expected:
    path = raw / "sources.csv"
    lines = read_lines(path)
    assert lines[0].startswith("source_id,title,publisher,")
    lines[0] = lines[0].replace("title,publisher", "publisher,title", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    rule = "columns 'publisher' (2) and 'title' (3) are swapped"
    return Expected("sources.csv", 1, 2, "publisher", rule, alone=True)


@breakage("header-column-repeated")
def second_note_column(raw: Path) -> Expected:
    """Every schema column present, one of them twice (found by fuzzing: it used to crash)."""
    path = raw / "claim_evidence.csv"
    before = read_records(path)
    lines = read_lines(path)
    edited = [text + (",note" if index == 0 else ",x") if text else text for index, text in enumerate(lines)]
    path.write_text("\n".join(edited), encoding="utf-8")
    assert read_records(path)[0] == [*before[0], "note"]
    return Expected(
        "claim_evidence.csv", 1, len(before[0]) + 1, "note", "header name is repeated", alone=True
    )


BREAKAGES["vocabulary-period-reversed"] = cell_case(
    "trade.csv", 6, "period", lambda _: "nov-jan", "month range"
)
BREAKAGES["vocabulary-period-en-dash"] = cell_case(
    "trade.csv", 6, "period", lambda _: "jan–nov", "month range"
)
BREAKAGES["vocabulary-period-length"] = cell_case(
    "trade.csv", 6, "months", lambda months: str(int(months) - 1), "number of months in period"
)
BREAKAGES["vocabulary-language-not-iso-639-1"] = cell_case(
    "sources.csv", SOURCE_LINE, "language", lambda _: "xx", "ISO 639-1"
)
BREAKAGES["vocabulary-language-three-letters"] = cell_case(
    "sources.csv", SOURCE_LINE, "language", lambda _: "eng", "ISO 639-1"
)
BREAKAGES["scale-times-1000"] = cell_case(
    "trade.csv",
    2,
    "value_usd",
    lambda value: value + "000",
    "not written in the row's evidence excerpt at this scale",
)
BREAKAGES["scale-divided-by-1000"] = cell_case(
    "trade_aggregates.csv", 2, "value_usd", lambda value: value[:-3], "at this scale"
)


@breakage("root-cause-truncated-inside-quotes")
def file_cut_inside_a_quoted_cell(raw: Path) -> Expected:
    """A truncated file: the last record's quoted evidence is never closed."""
    path = raw / "trade.csv"
    lines = read_lines(path)
    last = max(index for index, text in enumerate(lines) if text)
    number = read_records(path)[0].index("evidence") + 1
    start, end = field_spans(lines[last])[number - 1]
    if lines[last][start] != '"':  # quote the last evidence (the same value), whatever row sorts last
        field = lines[last][start:end]
        assert '"' not in field
        lines[last] = f'{lines[last][:start]}"{field}"{lines[last][end:]}'
    path.write_text("\n".join(lines[:last]) + "\n" + lines[last][: start + 10], encoding="utf-8")
    return Expected("trade.csv", last + 1, number, "evidence", "never closed", alone=True)


@breakage("root-cause-oversized-cell")
def one_megabyte_title(raw: Path) -> Expected:
    """A 1 MB cell used to yield dozens of 'source is not cited' lines before the real failure."""
    path = raw / "sources.csv"
    lines = read_lines(path)
    row = SOURCE_LINE - 1
    start, end = field_spans(lines[row])[1]
    lines[row] = lines[row][:start] + '"' + "x" * 1_000_000 + '"' + lines[row][end:]
    path.write_text("\n".join(lines), encoding="utf-8")
    return Expected("sources.csv", SOURCE_LINE, 2, "title", "longer than 131072 characters", alone=True)


@breakage("dangling-symlink")
def sources_link_to_nowhere(raw: Path) -> Expected:
    path = raw / "sources.csv"
    path.unlink()
    path.symlink_to(raw.parent / "moved-away" / "sources.csv")
    return Expected("sources.csv", 0, 0, None, "symbolic link to", alone=True)


@breakage("folder-instead-of-csv")
def trade_is_a_folder(raw: Path) -> Expected:
    path = raw / "trade.csv"
    path.unlink()
    path.mkdir()
    return Expected("trade.csv", 0, 0, None, "is a folder, not a CSV file", alone=True)


# --- the tests ---------------------------------------------------------------------------------------


def run_cli(paths: ProjectPaths, command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``ots-analysis --raw-dir R --processed-dir P <command>`` in-process; return code, out, err.

    An exception escaping ``main`` fails the test (the CLI must turn bad data into a message).
    """
    code = main(["--raw-dir", str(paths.raw), "--processed-dir", str(paths.processed), command])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def failure_line(err: str, expected: Expected) -> str:
    """The stderr line reporting ``expected``'s location (fails if there is none)."""
    location = f"raw/{expected.file}:{expected.line}:{expected.column_number}:"
    lines = [line for line in err.splitlines() if line.strip().startswith(location)]
    assert lines, f"no failure at {location} in:\n{err}"
    return next((line for line in lines if expected.rule in line), lines[0])


def assert_fails_cleanly(
    scratch: ProjectPaths, expected: Expected, capsys: pytest.CaptureFixture[str]
) -> None:
    """``build`` and ``validate`` exit 1, report ``expected`` where it is, write nothing and keep
    data/raw as it is (``scratch.raw`` already broken)."""
    raw_before = tree_hashes(scratch.raw)

    code, out, err = run_cli(scratch, "build", capsys)

    assert code == 1, err
    assert "Traceback" not in out + err
    assert out == ""
    line = failure_line(err, expected)
    assert expected.rule in line
    if expected.column is not None:
        assert f"column '{expected.column}'" in line
    if expected.value is not None:
        assert f"value {expected.value!r}" in line
    if expected.alone:
        assert err.startswith("1 validation failure(s):\n"), err
    assert "Nothing was written." in err
    assert list(scratch.processed.iterdir()) == []
    assert not leftovers(scratch.processed)  # no staging folder left behind
    assert tree_hashes(scratch.raw) == raw_before

    validate_code, validate_out, validate_err = run_cli(scratch, "validate", capsys)

    assert validate_code == 1
    assert validate_out == ""
    assert validate_err == err.replace("Nothing was written.\n", "")  # validate never writes
    assert list(scratch.processed.iterdir()) == []
    assert tree_hashes(scratch.raw) == raw_before


@pytest.mark.parametrize("failure_class", list(BREAKAGES))
def test_broken_raw_file_fails_cleanly(
    failure_class: str, scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """``build`` and ``validate`` exit 1, locate the broken cell, write nothing and keep data/raw as is."""
    assert_fails_cleanly(scratch, BREAKAGES[failure_class](scratch.raw), capsys)
