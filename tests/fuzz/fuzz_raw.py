"""Fuzzing data/raw: mutate copies of the real tables, run the command line, check how it fails.

Each case changes one table of a scratch copy of ``data/raw`` in one way, drawn from a class of
wrong input (issue 11: numbers, dates, invisible characters, formula prefixes, header order,
vocabularies, scale, file structure and kind; issue 15: shares above 100 %, repeats in lists and
rows, self-pairs, numbers in check parameters, dates that contradict other tables or their
evidence, look-alike letters, unseen characters, lengths, encodings, line endings, separators) or at
random (bytes, rows, header). A case of a class declares whether it must be rejected, and then
where (file, line and, mostly, column), or must be accepted (a file whose lines all end with CRLF);
a random case may happen to be valid. Every case runs ``ots-analysis`` in-process (``build`` for a
wrong case, so that a wrongly accepted input would write; ``validate`` for the others) and is
checked for:

- no traceback (no exception escapes the command line);
- a wrong case exits 1 and reports a failure at its file:line:column (and only that failure for
  root causes such as an unparseable file); a right case exits 0; any failure printed has the
  file:line:column form;
- the raw folder is byte for byte what the case wrote, and the processed folder is unchanged.

Cases are reproducible: case ``i`` of seed ``s`` depends on ``(s, i)`` and the real data only. The
test suite runs a few hundred (``tests/fuzz/test_fuzz_raw.py``); ``nox -s fuzz`` runs this file as
a script for a long run and prints the counts::

    python tests/fuzz/fuzz_raw.py --cases 10000 [--seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import io
import itertools
import multiprocessing
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from ots_analysis.cells import max_chars, numeric_kinds
from ots_analysis.checks import is_user_assigned_alpha3, official_alpha3_codes, period_months
from ots_analysis.claims.kinds import CHECK_KINDS
from ots_analysis.cli import main as cli_main
from ots_analysis.coherence import DATELINE_TABLES, EVIDENCE_DATES, period_end, years_in_text
from ots_analysis.paths import ProjectPaths, project_paths
from ots_analysis.publish import publish
from ots_analysis.schemas import TABLES, TableSpec

LOCATION = re.compile(r"^  (?P<file>\S.*?):(?P<line>\d+):(?P<column>\d+):")

# --- what a case is ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """Where a wrong case must be reported: ``lines`` and ``column`` of ``file`` (None: any).

    With ``reject`` false the case is right by construction (a CRLF file) and must be accepted.
    """

    file: str
    lines: frozenset[int] | None
    column: int | None
    alone: bool = False  # a root cause: it must be the only failure reported
    reject: bool = True

    def matches(self, location: re.Match[str]) -> bool:
        return (
            location["file"].endswith(f"raw/{self.file}")
            and (self.lines is None or int(location["line"]) in self.lines)
            and (self.column is None or int(location["column"]) == self.column)
        )

    def describe(self) -> str:
        if not self.reject:
            return f"raw/{self.file} accepted"
        lines = "*" if self.lines is None else "|".join(str(line) for line in sorted(self.lines))
        column = "*" if self.column is None else str(self.column)
        return f"raw/{self.file}:{lines}:{column}" + (" (alone)" if self.alone else "")


@dataclass(frozen=True)
class Case:
    """One mutation of one table: new bytes (or another kind of file) and where it must fail."""

    number: int
    kind: str  # "class/variant", e.g. "number/fullwidth"
    table: str
    data: bytes | None  # the file's new content; None when ``replace_with`` says what takes its place
    expect: Expect | None  # None: the mutation may leave the data valid
    replace_with: str | None = None  # "folder", "dangling-symlink" or "nothing"
    note: str = ""  # what was changed, for the report

    def label(self) -> str:
        return f"#{self.number} {self.kind} {self.table}.csv {self.note}".rstrip()

    @property
    def must_reject(self) -> bool:
        return self.expect is not None and self.expect.reject

    @property
    def must_accept(self) -> bool:
        return self.expect is not None and not self.expect.reject


class SkipError(Exception):
    """The drawn table or row has nothing this mutation can change; draw again."""


# --- the real tables, parsed once ---------------------------------------------------------------------


@dataclass
class Table:
    """One real raw table: its spec, bytes and records (header first), and facts the mutations use."""

    spec: TableSpec
    data: bytes
    records: list[list[str]]
    world: dict[str, Table] = field(default_factory=dict, repr=False)  # every table, this one included

    @property
    def file(self) -> str:
        return f"{self.spec.name}.csv"

    @property
    def header(self) -> list[str]:
        return self.records[0]

    def column_number(self, column: str) -> int:
        return self.header.index(column) + 1

    def checks(self, column: str) -> dict[str, dict[str, object]]:
        schema_column = self.spec.model.to_schema().columns[column]
        return {check.name: dict(check.statistics) for check in schema_column.checks}

    def has_key(self) -> bool:
        schema = self.spec.model.to_schema()
        return bool(schema.unique) or any(column.unique for column in schema.columns.values())


def _field(cell: str) -> str:
    if any(char in cell for char in ',"\n\r'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def to_bytes(records: list[list[str]]) -> bytes:
    """CSV as the raw files are written: minimal quoting, ``\\n`` line ends.

    Like the csv module's writer, except that a cell holding a carriage return is quoted too (the
    writer leaves it bare when lines end in ``\\n``, which turns it into a line break on reading).
    """
    lines = ['""' if record == [""] else ",".join(_field(cell) for cell in record) for record in records]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def read_tables(raw: Path) -> dict[str, Table]:
    tables = {}
    for name, spec in TABLES.items():
        data = (raw / f"{name}.csv").read_bytes()
        records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        # The expected line of a cell is its record's index + 1: true while no cell spans lines.
        assert not any("\n" in cell or "\r" in cell for record in records for cell in record), name
        # Mutations start from the file as the csv module writes it (minimal quoting), so that only the
        # mutated cell changes; a curator's valid but differently quoted file reads the same.
        tables[name] = Table(spec, to_bytes(records), records, tables)
    return tables


# --- mutations: each returns (new bytes, expectation, note) for a table, or raises SkipError ---

Mutation = Callable[[random.Random, Table], tuple[bytes, Expect | None, str]]


def cell_at(table: Table, rng: random.Random, columns: list[str] | None = None) -> tuple[int, str]:
    """A random data row index (into records) and column name."""
    if len(table.records) < 2:
        raise SkipError
    candidates = columns if columns is not None else table.header
    if not candidates:
        raise SkipError
    return rng.randrange(1, len(table.records)), rng.choice(candidates)


def with_cell(table: Table, row: int, column: str, value: str) -> list[list[str]]:
    records = [list(record) for record in table.records]
    records[row][table.header.index(column)] = value
    return records


def at(table: Table, row: int, column: str, alone: bool = False) -> Expect:
    return Expect(table.file, frozenset({row + 1}), table.column_number(column), alone)


def set_cell(table: Table, row: int, column: str, value: str) -> tuple[bytes, Expect, str]:
    old = table.records[row][table.header.index(column)]
    if value == old:
        raise SkipError
    note = f"line {row + 1} {column}: {old[:30]!r} -> {value[:40]!r}"
    return to_bytes(with_cell(table, row, column, value)), at(table, row, column), note


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def mutate_number(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    kinds = numeric_kinds(table.spec.model)
    row, column = cell_at(table, rng, sorted(kinds))
    old = table.records[row][table.header.index(column)] or "12"
    digits = old.lstrip("-")
    variants = [
        old.translate(FULLWIDTH),
        old.translate(ARABIC_INDIC),
        old.translate(DEVANAGARI),
        "_".join(digits) if len(digits) > 1 else f"1_{digits}",
        "1e309",
        "1" + "0" * 308,
        "9" * 16,
        "-1e309",
        "inf",
        "Infinity",
        "NaN",
        "nan",
        f"{digits}e0",
        "0x1F",
        f"{int(float(digits)):,}" if float(digits) >= 1000 else "1,000",
        f"{digits[:1]} {digits[1:] or '0'}",
        f".{digits}",
        f"{digits}.",
        f"+{digits}",
        f"{digits}\u00a0",
    ]
    if kinds[column] == "integer":
        variants += [f"{digits}.0", f"{digits}.5"]
    return set_cell(table, row, column, rng.choice(variants))


def _date_columns(table: Table) -> list[str]:
    return [column for column in table.header if "iso_date" in table.checks(column)]


def _precision_pairs(table: Table) -> list[tuple[str, str]]:
    pairs = []
    for column in table.header:
        if column == "date_precision":
            pairs.append(("date", column))
        elif column.endswith("_precision"):
            pairs.append((column.removesuffix("_precision") + "_date", column))
    return [(date, precision) for date, precision in pairs if date in table.header]


def mutate_date(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    columns = _date_columns(table)
    row, column = cell_at(table, rng, columns)
    earliest = dt.date.fromisoformat(str(table.checks(column)["not_before"]["earliest"]))
    long_before = dt.date(rng.randrange(1, earliest.year), rng.randrange(1, 13), rng.randrange(1, 29))
    variants = [
        "0000-01-01",
        "0001-01-01",
        long_before.isoformat(),
        (earliest - dt.timedelta(days=rng.randrange(1, 400))).isoformat(),
        "2999-01-01",
        "2021-02-30",
        "2021-13-01",
        "2021-00-10",
        "21-01-01",
        "2021/01/01",
        "2021-1-1",
        "２０２１-01-01",
        "2021-01-01T00:00",
        "20210101",
    ]
    return set_cell(table, row, column, rng.choice(variants))


def mutate_date_order(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """accessed before published (the only pair of dates with an order within a row)."""
    if not {"published", "accessed"} <= set(table.header):
        raise SkipError
    published_at = table.header.index("published")
    rows = [i for i, record in enumerate(table.records[1:], start=1) if record[published_at]]
    if not rows:
        raise SkipError
    row = rng.choice(rows)
    published = dt.date.fromisoformat(table.records[row][published_at])
    earliest = dt.date.fromisoformat(str(table.checks("accessed")["not_before"]["earliest"]))
    accessed = published - dt.timedelta(days=rng.randrange(1, 400))
    if accessed < earliest:
        raise SkipError
    return set_cell(table, row, "accessed", accessed.isoformat())


def mutate_precision(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    pairs = _precision_pairs(table)
    if not pairs:
        raise SkipError
    date, precision = rng.choice(pairs)
    date_at = table.header.index(date)
    rows = [i for i, record in enumerate(table.records[1:], start=1) if record[date_at]]
    if not rows:
        raise SkipError
    row = rng.choice(rows)
    day = dt.date.fromisoformat(table.records[row][date_at])
    records = [list(record) for record in table.records]
    if day.day != 1:
        level = rng.choice(["month", "year"])
    elif day.month != 1:
        level = "year"
    else:
        level = rng.choice(["month", "year"])
        records[row][date_at] = day.replace(day=2).isoformat()
    records[row][table.header.index(precision)] = level
    note = f"line {row + 1} {precision} -> {level}, {date} {records[row][date_at]}"
    return to_bytes(records), at(table, row, date), note


INVISIBLE = (
    [chr(code) for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))]
    + ["\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff"]
    + [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    + ["\u2028", "\u2029"]
)


def mutate_invisible(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    row = rng.randrange(0, len(table.records))  # the header too
    column = rng.choice(table.header)
    old = table.records[row][table.header.index(column)]
    position = rng.randrange(0, len(old) + 1)
    char = rng.choice(INVISIBLE)
    records = with_cell(table, row, column, old[:position] + char + old[position:])
    note = f"line {row + 1} {column}: U+{ord(char):04X} at {position}"
    return to_bytes(records), at(table, row, column), note


FORMULA_STARTS = ["=", "+", "@", "\t", "-a", "-Z", "-é", "-(", "=HYPERLINK(", "@SUM(", "-cmd|' /C calc'!"]


def mutate_formula(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    row, column = cell_at(table, rng)
    old = table.records[row][table.header.index(column)]
    start = rng.choice(FORMULA_STARTS)
    value = start + (old if rng.random() < 0.7 else "1+1")
    return set_cell(table, row, column, value)


def mutate_header(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    records = [list(record) for record in table.records]
    header = records[0]
    width = len(header)
    variant = rng.choice(["swap-names", "swap-columns", "rename", "case", "drop-name", "repeat", "extra"])
    i, j = sorted(rng.sample(range(width), 2))
    if variant in ("swap-names", "swap-columns"):
        rows = records[:1] if variant == "swap-names" else records
        for record in rows:
            record[i], record[j] = record[j], record[i]
        expect = Expect(table.file, frozenset({1}), i + 1)
    elif variant == "rename":
        names = [header[i] + "_x", header[i][:-1], header[i] + "s", "note"]
        header[i] = rng.choice([name for name in names if name and name not in header])
        expect = Expect(table.file, frozenset({1}), i + 1)
    elif variant == "case":
        header[i] = header[i].title()
        expect = Expect(table.file, frozenset({1}), i + 1)
    elif variant == "drop-name":
        del header[i]
        expect = Expect(table.file, frozenset({1}), 0)  # a required column is missing
    elif variant == "repeat":
        header[j] = header[i]
        expect = Expect(table.file, frozenset({1}), j + 1)
    else:
        header.append("note")
        expect = Expect(table.file, frozenset({1}), width + 1)
    if records[0] == table.records[0] and variant != "swap-columns":
        raise SkipError
    return to_bytes(records), expect, f"{variant} {i + 1},{j + 1}"


def _bad_codes(check: str, statistics: dict[str, object]) -> list[str]:
    """Values just outside a coded column's vocabulary."""
    if check == "isin":
        allowed = [str(value) for value in statistics["allowed_values"]]
        near = [f(value) for value in allowed for f in (str.upper, lambda v: v + "s", lambda v: v[:-1])]
        return [value for value in near if value and value not in allowed]
    if check in ("iso3_code", "iso3_list"):
        official = official_alpha3_codes()
        codes = [c for c in ("tur", "TRK", "TU", "TURK", "T1R", "KZK") if c not in official]
        codes = [c for c in codes if not is_user_assigned_alpha3(c)]
        return codes if check == "iso3_code" else [f"AZE;{codes[0]}", "AZE,TUR", "AZE; TUR", "AZE;;TUR"]
    if check == "iso639_1":
        known = {language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")}
        return [c for c in ("xx", "zz", "qq", "eng", "EN", "e", "en-US", "En") if c not in known]
    if check == "month_period":
        return ["sep-jan", "jan–sep", "Jan-Sep", "jan-sept", "q1", "full-year", "jan-sep-oct", "jan_sep"]
    if check == "slug":
        return ["Bad_Slug", "slug--double", "trail-", "UPPER", "sp ace"]
    if check == "slug_list":
        return ["a;;b", "a; b", "A;b", "a,b", "a;"]
    if check == "str_matches":
        return ["C1", "c01", "C0001", "C٠١"]
    return []


def mutate_vocabulary(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    coded = {
        column: (name, statistics)
        for column in table.header
        for name, statistics in table.checks(column).items()
        if _bad_codes(name, statistics)
    }
    period_length = {"period", "months"} <= set(table.header)
    options = sorted(coded) + (["months"] if period_length else [])
    row, column = cell_at(table, rng, options)
    if column == "months" and period_length:
        period = table.records[row][table.header.index("period")]
        length = period_months(period)
        if length is None:
            raise SkipError
        wrong = rng.choice([n for n in range(1, 13) if n != length])
        return set_cell(table, row, "months", str(wrong))
    name, statistics = coded[column]
    return set_cell(table, row, column, rng.choice(_bad_codes(name, statistics)))


def mutate_scale(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    if "evidence" not in table.header:
        raise SkipError
    columns = [c for c, kind in numeric_kinds(table.spec.model).items() if kind == "decimal"]
    row, column = cell_at(table, rng, columns)
    old = table.records[row][table.header.index(column)]
    if not old or "." in old:
        raise SkipError
    scaled = [old + "000"] + ([old[:-3]] if old.endswith("000") and len(old) > 3 else [])
    return set_cell(table, row, column, rng.choice(scaled))


def mutate_structure(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """Unparseable or ragged files: each must be reported alone, where it starts."""
    variant = rng.choice(["truncated-in-quotes", "unbalanced-quote", "oversized-cell", "ragged"])
    lines = table.data.decode("utf-8").split("\n")
    row = rng.randrange(1, len(table.records))
    if variant == "truncated-in-quotes":
        quoted = [
            (i, number, start) for i in range(1, len(lines)) for number, start in _quoted_fields(lines[i])
        ]
        if not quoted:
            raise SkipError
        index, number, start = rng.choice(quoted)
        text = "\n".join(lines[:index]) + "\n" + lines[index][: start + 1 + rng.randrange(0, 5)]
        return text.encode(), Expect(table.file, frozenset({index + 1}), number, alone=True), variant
    if variant == "unbalanced-quote":
        column = rng.choice(table.header)
        old = table.records[row][table.header.index(column)]
        records = with_cell(table, row, column, "\x00")  # a placeholder the writer leaves unquoted
        text = to_bytes(records).decode().replace("\x00", '"' + old.replace('"', ""), 1)
        return text.encode(), at(table, row, column, alone=True), f"{variant} line {row + 1} {column}"
    if variant == "oversized-cell":
        column = rng.choice(table.header)
        value = "x" * rng.choice([131_073, 300_000, 1_000_000])
        return to_bytes(with_cell(table, row, column, value)), at(table, row, column, alone=True), variant
    records = [list(record) for record in table.records]
    if rng.random() < 0.5:
        del records[row][rng.randrange(len(records[row]))]
        column = len(table.header)
    else:
        records[row].insert(rng.randrange(len(records[row]) + 1), "extra")
        column = len(table.header) + 1
    return to_bytes(records), Expect(table.file, frozenset({row + 1}), column, alone=True), variant


def _quoted_fields(line: str) -> list[tuple[int, int]]:
    """(1-based field number, offset of its opening quote) of each quoted field of a CSV line."""
    found, number, quoted, at_start = [], 1, False, True
    for offset, char in enumerate(line):
        if char == '"' and at_start:
            found.append((number, offset))
        if char == '"':
            quoted = not quoted  # a doubled quote inside a quoted field toggles twice
        elif char == "," and not quoted:
            number += 1
        at_start = char == "," and not quoted
    return found


def mutate_file_kind(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    variant = rng.choice(["folder", "dangling-symlink", "nothing", "empty", "bom", "latin-1"])
    if variant in ("folder", "dangling-symlink", "nothing"):
        return b"", Expect(table.file, frozenset({0}), 0, alone=True), variant
    if variant == "empty":
        return b"", Expect(table.file, frozenset({1}), 0, alone=True), variant
    if variant == "bom":
        return b"\xef\xbb\xbf" + table.data, Expect(table.file, frozenset({1}), 1, alone=True), variant
    lines = table.data.decode("utf-8").split("\n")
    candidates = [i for i, line in enumerate(lines) if any(ord(c) > 127 for c in line) and _latin1(line)]
    if not candidates:
        raise SkipError
    index = rng.choice(candidates)
    encoded = [line.encode("latin-1") if i == index else line.encode("utf-8") for i, line in enumerate(lines)]
    return b"\n".join(encoded), Expect(table.file, frozenset({index + 1}), None, alone=True), variant


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


CONTROL_BYTES = frozenset([*range(0x00, 0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def mutate_random_bytes(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """Insert, delete or replace one byte anywhere. Inserting a control or non-ASCII byte is always
    wrong (any lone byte >= 0x80 breaks UTF-8); the rest may or may not be."""
    data = bytearray(table.data)
    offset = rng.randrange(len(data))
    line = table.data.count(b"\n", 0, offset) + 1
    operation = rng.choice(["insert", "delete", "replace"])
    byte = rng.randrange(256)
    expect = None
    if operation == "insert":
        data.insert(offset, byte)
        if byte in CONTROL_BYTES or byte >= 0x80:
            expect = Expect(table.file, frozenset({line}), None)
    elif operation == "delete":
        del data[offset]
    else:
        if data[offset] == byte:
            raise SkipError
        data[offset] = byte
    return bytes(data), expect, f"{operation} 0x{byte:02x} at {offset} (line {line})"


def mutate_random_rows(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    records = [list(record) for record in table.records]
    row = rng.randrange(1, len(records))
    operation = rng.choice(["duplicate", "delete", "swap", "blank-line", "truncate"])
    if operation == "duplicate":
        records.insert(row + 1, list(records[row]))
        expect = Expect(table.file, frozenset({row + 1, row + 2}), None) if table.has_key() else None
        return to_bytes(records), expect, f"{operation} line {row + 1}"
    if operation == "delete":
        del records[row]
        return to_bytes(records), None, f"{operation} line {row + 1}"
    if operation == "swap":
        other = rng.randrange(1, len(records))
        records[row], records[other] = records[other], records[row]
        return to_bytes(records), None, f"{operation} lines {row + 1},{other + 1}"
    if operation == "blank-line":
        lines = table.data.split(b"\n")
        lines.insert(row, b"")
        return b"\n".join(lines), None, f"{operation} before line {row + 1}"
    cut = rng.randrange(len(table.data))
    return table.data[:cut], None, f"{operation} at byte {cut}"


def mutate_random_header(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    records = [list(record) for record in table.records]
    index = rng.randrange(len(records[0]))
    name = records[0][index]
    position = rng.randrange(len(name))
    char = chr(rng.choice([*range(0x21, 0x7F), 0xE9, 0x131, 0x430]))
    if char == name[position]:
        raise SkipError
    records[0][index] = name[:position] + char + name[position + 1 :]
    note = f"{name!r} -> {records[0][index]!r}"
    return to_bytes(records), Expect(table.file, frozenset({1}), None), note


# --- issue 15: what a second fuzzer got past ------------------------------------------------------------


def rows_of(table: Table) -> list[dict[str, str]]:
    """Each data record as a dict (index i is record i + 1, on line i + 2)."""
    return [dict(zip(table.header, record, strict=True)) for record in table.records[1:]]


def appended(table: Table, record: list[str]) -> tuple[bytes, int]:
    """The table with ``record`` added at the end, and the line it lands on."""
    return to_bytes([*table.records, record]), len(table.records) + 1


def _source_dates(table: Table) -> dict[str, dt.date]:
    """Each source's date as the rules read it: published where known, else accessed."""
    return {
        row["source_id"]: dt.date.fromisoformat(row["published"] or row["accessed"])
        for row in rows_of(table.world["sources"])
    }


def mutate_shares(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """Another supplier with the same share, source and period, so that the shares pass 100 %."""
    if table.spec.name != "arms_suppliers":
        raise SkipError
    rows = rows_of(table)
    index = rng.randrange(len(rows))
    row = rows[index]
    period = ("recipient_iso3", "period_start", "period_end")
    group = [other for other in rows if all(other[key] == row[key] for key in period)]
    sources = row["source_ids"].split(";")
    totals = [
        sum(float(other["share_pct"]) for other in group if source in other["source_ids"].split(";"))
        for source in sources
    ]
    if max(totals) + float(row["share_pct"]) <= 100:
        raise SkipError
    taken = {other["supplier_iso3"] for other in group} | {row["recipient_iso3"]}
    codes = [record[0] for record in table.world["countries"].records[1:] if record[0] not in taken]
    supplier = rng.choice(codes)
    record = list(table.records[index + 1])
    record[table.header.index("supplier_iso3")] = supplier
    data, line = appended(table, record)
    note = f"line {line}: {supplier} with line {index + 2}'s {row['share_pct']} %"
    return data, Expect(table.file, frozenset({line}), table.column_number("share_pct")), note


def _list_columns(table: Table) -> list[str]:
    return [column for column in table.header if "distinct_items" in table.checks(column)]


def mutate_list_repeat(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """One value of a ';'-list written twice (also in a check parameter's list: HUN;HUN)."""
    columns = _list_columns(table) + (["value"] if table.spec.name == "check_parameters" else [])
    at_column = {column: table.header.index(column) for column in columns}
    cells = [
        (row, column)
        for row in range(1, len(table.records))
        for column in columns
        if table.records[row][at_column[column]]
        and (column != "value" or ";" in table.records[row][at_column[column]])
    ]
    if not cells:
        raise SkipError
    row, column = rng.choice(cells)
    items = table.records[row][at_column[column]].split(";")
    items.insert(rng.randrange(len(items) + 1), rng.choice(items))
    return set_cell(table, row, column, ";".join(items))


def mutate_reordered_row(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """A row repeated with a list of its key in another order."""
    key = table.spec.model.to_schema().unique or []
    listed = [column for column in _list_columns(table) if column in key]
    candidates = [
        (row, column)
        for row in range(1, len(table.records))
        for column in listed
        if len(set(table.records[row][table.header.index(column)].split(";"))) > 1
    ]
    if not candidates:
        raise SkipError
    row, column = rng.choice(candidates)
    record = list(table.records[row])
    at = table.header.index(column)
    items = record[at].split(";")
    while ";".join(items) == record[at]:
        rng.shuffle(items)
    record[at] = ";".join(items)
    data, line = appended(table, record)
    note = f"line {line} repeats line {row + 1} with {column} {record[at]!r}"
    return data, Expect(table.file, frozenset({line}), table.column_number(column)), note


def _id_parameter_pairs(table: Table) -> list[tuple[int, int]]:
    """(row, row) of check_parameters.csv: two single-valued id parameters of one type in one check."""
    claims = table.world["claims"]
    kinds = {(row["article_id"], row["claim_id"]): row["check_kind"] for row in rows_of(claims)}
    typed: dict[tuple[str, str], list[tuple[int, object]]] = {}
    for index, row in enumerate(rows_of(table), start=1):
        kind = CHECK_KINDS.get(kinds.get((row["article_id"], row["claim_id"]), ""))
        declared = kind.parameters().get(row["parameter"]) if kind is not None else None
        if declared is not None and declared.type.known is not None and not declared.type.many:
            typed.setdefault((row["article_id"], row["claim_id"]), []).append((index, declared.type.known))
    return [
        (first, second)
        for rows in typed.values()
        for (first, kind_a), (second, kind_b) in itertools.combinations(rows, 2)
        if kind_a is kind_b
    ]


def mutate_self_pair(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """A pair of a thing with itself: an arms supplier that is its recipient, a trade reporter that
    is its partner, a check comparing a country (or an event) with itself."""
    name = table.spec.name
    if name in ("arms_suppliers", "trade"):
        this, other = (
            ("supplier_iso3", "recipient_iso3")
            if name == "arms_suppliers"
            else ("partner_iso3", "reporter_iso3")
        )
        row = rng.randrange(1, len(table.records))
        return set_cell(table, row, this, table.records[row][table.header.index(other)])
    if name != "check_parameters":
        raise SkipError
    pairs = _id_parameter_pairs(table)
    if not pairs:
        raise SkipError
    first, second = rng.choice(pairs)
    at = table.header.index("value")
    source, target = (first, second) if rng.random() < 0.5 else (second, first)
    data, _, note = set_cell(table, target, "value", table.records[source][at])
    return data, Expect(table.file, frozenset({first + 1, second + 1}), at + 1), note


_NUMERIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def mutate_parameter_number(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """A number in a check parameter that is negative, has 309 digits (infinity) or 16."""
    if table.spec.name != "check_parameters":
        raise SkipError
    at = table.header.index("value")
    rows = [row for row in range(1, len(table.records)) if _NUMERIC.fullmatch(table.records[row][at])]
    if not rows:
        raise SkipError
    row = rng.choice(rows)
    old = table.records[row][at]
    value = rng.choice([f"-{old}", "1" + "0" * 308, "9" * 16, f"{old}{'0' * 16}", "-0.5"])
    return set_cell(table, row, "value", value)


def _shift_days(day: dt.date, rng: random.Random, low: int, high: int) -> dt.date:
    return day + dt.timedelta(days=rng.randrange(low, high))


def _at_precision(day: dt.date, precision: str) -> dt.date:
    if precision == "year":
        return day.replace(month=1, day=1)
    return day.replace(day=1) if precision == "month" else day


def mutate_dates_across(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """A date that contradicts another row or table (see ots_analysis.coherence)."""
    name = table.spec.name
    rows = rows_of(table)
    if name == "articles":
        row = rng.randrange(len(rows))
        published = dt.date.fromisoformat(rows[row]["published"])
        return set_cell(table, row + 1, "review_date", _shift_days(published, rng, -400, 0).isoformat())
    if name == "sources":
        return _accessed_after_review(rng, table)
    if name in ("trade", "trade_aggregates"):
        return _figure_before_period_end(rng, table)
    if name == "events":
        return _summits_swapped(rng, table)
    if name == "memberships":
        return _membership_before_founding(rng, table)
    raise SkipError


def _accessed_after_review(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    reviews = {
        row["article_id"]: dt.date.fromisoformat(row["review_date"])
        for row in rows_of(table.world["articles"])
    }
    cited: dict[str, dt.date] = {}
    for name in ("claims", "claim_evidence"):
        for row in rows_of(table.world[name]):
            for source in row["source_ids"].split(";"):
                cited[source] = min(cited.get(source, dt.date.max), reviews[row["article_id"]])
    rows = [
        (index, cited[row["source_id"]])
        for index, row in enumerate(rows_of(table), start=1)
        if row["source_id"] in cited
    ]
    if not rows:
        raise SkipError
    index, review = rng.choice(rows)
    if review >= dt.date.today():
        raise SkipError
    accessed = _shift_days(review, rng, 1, (dt.date.today() - review).days + 1)
    return set_cell(table, index, "accessed", accessed.isoformat())


def _figure_before_period_end(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """The figure's year moved to the year its earliest source is dated (an actual aggregate's
    statement moved before its period ended)."""
    dates = _source_dates(table)
    rows = rows_of(table)
    index = rng.randrange(len(rows))
    row = rows[index]
    if not row["year"] or not row["period"] or row.get("measure", "actual") != "actual":
        raise SkipError
    if table.spec.name == "trade_aggregates" and rng.random() < 0.5:
        end = period_end(int(row["year"]), row["period"]).date()
        stated = _shift_days(end, rng, -200, 0)
        if stated > dt.date.today():
            raise SkipError
        return set_cell(table, index + 1, "stated_on", stated.isoformat())
    earliest = min(dates[source] for source in row["source_ids"].split(";"))
    if period_end(earliest.year, row["period"]).date() <= earliest or earliest.year == int(row["year"]):
        raise SkipError
    return set_cell(table, index + 1, "year", str(earliest.year))


def _summits_swapped(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    rows = rows_of(table)
    numbered = [i for i, row in enumerate(rows) if row["summit_number"] and row["preferred"] == "true"]
    if not numbered:
        raise SkipError
    first = rng.choice(numbered)
    partners = [
        i
        for i in numbered
        if rows[i]["series"] == rows[first]["series"] and rows[i]["date"] != rows[first]["date"]
    ]
    if not partners:
        raise SkipError
    second = rng.choice(partners)
    records = [list(record) for record in table.records]
    at = table.header.index("date")
    records[first + 1][at], records[second + 1][at] = records[second + 1][at], records[first + 1][at]
    note = f"dates of lines {first + 2} and {second + 2} swapped"
    return to_bytes(records), Expect(table.file, frozenset({first + 2, second + 2}), at + 1), note


def _membership_before_founding(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    rows = rows_of(table)
    founders: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row["founding"] == "true" and row["preferred"] == "true" and row["start_date"]:
            founders.setdefault(row["organization"], []).append(i)
    index = rng.randrange(len(rows))
    row = rows[index]
    organization = row["organization"]
    if organization not in founders or not row["start_date"]:
        raise SkipError
    founded = min(dt.date.fromisoformat(rows[i]["start_date"]) for i in founders[organization])
    earliest = dt.date.fromisoformat(str(table.checks("start_date")["not_before"]["earliest"]))
    if row["founding"] == "false":
        start = _at_precision(_shift_days(founded, rng, -3000, 0), row["start_precision"] or "day")
        if not earliest <= start < founded:
            raise SkipError
        return set_cell(table, index + 1, "start_date", start.isoformat())
    if (
        index not in founders[organization]
        or len(founders[organization]) < 3
        or row["start_precision"] != "day"
    ):
        raise SkipError
    moved = _shift_days(founded, rng, 1, 400) if rng.random() < 0.5 else _shift_days(founded, rng, -400, 0)
    if (
        moved > dt.date.today()
        or moved < earliest
        or (row["end_date"] and moved.isoformat() > row["end_date"])
    ):
        raise SkipError
    return set_cell(table, index + 1, "start_date", moved.isoformat())


def mutate_evidence_year(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """A date (or a period's year) moved to a year its evidence does not write."""
    name = table.spec.name
    if name not in EVIDENCE_DATES:
        raise SkipError
    published = {
        row["source_id"]: int(row["published"][:4])
        for row in rows_of(table.world["sources"])
        if row["published"]
    }
    rows = rows_of(table)
    index = rng.randrange(len(rows))
    row = rows[index]
    column = rng.choice(EVIDENCE_DATES[name])
    written = years_in_text(row["evidence"])
    if not written or not row[column]:
        raise SkipError
    allowed = set(written)
    if name in DATELINE_TABLES:
        allowed |= {published[s] for s in row["source_ids"].split(";") if s in published}
    old_year = int(row[column][:4])
    checks = table.checks(column)
    first = int(str(checks["not_before"]["earliest"])[:4]) if "not_before" in checks else 1950
    years = [
        y
        for y in range(max(first, old_year - 6), min(dt.date.today().year, old_year + 6) + 1)
        if y not in allowed
    ]
    if not years:
        raise SkipError
    year = rng.choice(years)
    if name == "arms_suppliers":
        return set_cell(table, index + 1, column, str(year))
    try:
        moved = dt.date.fromisoformat(row[column]).replace(year=year)
    except ValueError:
        raise SkipError from None  # 29 February
    if moved > dt.date.today():
        raise SkipError
    return set_cell(table, index + 1, column, moved.isoformat())


LOOK_ALIKES = {
    **dict(zip("aeopcxyABEKMHOPCTXi", "аеорсхуАВЕКМНОРСТХі", strict=True)),
    **dict(zip("AoBEZ", "ΑοΒΕΖ", strict=True)),
}
LOOK_ALIKES_BACK = dict(zip("аеорсхАВЕКМНОРСТХ", "aeopcxABEKMHOPCTX", strict=True))


def _plain_text_columns(table: Table) -> list[str]:
    kinds = numeric_kinds(table.spec.model)
    return [c for c in table.header if c not in kinds and "at_most_words" not in table.checks(c)]


def mutate_look_alike(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """One letter of a word swapped for its look-alike from another script (Cholpon-Аta)."""
    columns = _plain_text_columns(table)
    spots = []
    for row in range(1, len(table.records)):
        for column in columns:
            text = table.records[row][table.header.index(column)]
            for word in re.finditer(r"[^\W\d_]{2,}", text):
                spots += [
                    (row, column, word.start() + i)
                    for i, char in enumerate(word.group())
                    if char in LOOK_ALIKES or char in LOOK_ALIKES_BACK
                ]
    if not spots:
        raise SkipError
    row, column, position = rng.choice(spots)
    old = table.records[row][table.header.index(column)]
    char = old[position]
    swapped = LOOK_ALIKES.get(char) or LOOK_ALIKES_BACK[char]
    return set_cell(table, row, column, old[:position] + swapped + old[position + 1 :])


UNSEEN = [
    *"\ufe0f\ufe00\u180b\u180f\uffa0\u3164\u115f\u1160\u034f\u17b4\ufffd\uffff\ufffe\ufdd0\ue000\u0378\u2064\u061c",
    "\U000e0100",
    "\U000f0000",
    "\U0010fffd",
    "\U000e0001",
    "\U000e007f",
    "\U0001d173",
]
"""Characters beyond the controls and zero-widths: variation selectors, fillers, the replacement
character, noncharacters, private-use, unassigned and tag code points, invisible operators."""
SURROGATE_BYTES = b"\xed\xa0\x80"  # U+D800 as UTF-8 would write it, were it allowed


def mutate_unseen(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    row, column = cell_at(table, rng)
    old = table.records[row][table.header.index(column)]
    position = rng.randrange(len(old) + 1)
    if rng.random() < 0.1:
        marker = "\U0010ffff"
        data = to_bytes(with_cell(table, row, column, old[:position] + marker + old[position:]))
        data = data.replace(marker.encode("utf-8"), SURROGATE_BYTES)
        return (
            data,
            at(table, row, column, alone=True),
            f"line {row + 1} {column}: surrogate bytes at {position}",
        )
    char = rng.choice(UNSEEN)
    data, expect, _ = set_cell(table, row, column, old[:position] + char + old[position:])
    return data, expect, f"line {row + 1} {column}: U+{ord(char):04X} at {position}"


def mutate_length(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """A cell longer than its column allows: one long word, or its own text repeated."""
    kinds = numeric_kinds(table.spec.model)
    row, column = cell_at(table, rng, [c for c in table.header if c not in kinds])
    limit = max_chars(table.spec.model.to_schema().columns[column])
    length = rng.choice([limit + 1, limit + rng.randrange(2, 5000), 100_000])
    old = table.records[row][table.header.index(column)] or "x"
    value = rng.choice(["x" * length, (old * (length // len(old) + 1))[:length]])
    data, expect, _ = set_cell(table, row, column, value)
    return data, expect, f"line {row + 1} {column}: {length} characters"


WIDE_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def mutate_encoding(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """The whole file saved as UTF-16 or UTF-32, with a byte-order mark or without."""
    encoding = rng.choice(WIDE_ENCODINGS)
    data = table.data.decode("utf-8").encode(encoding)
    return data, Expect(table.file, frozenset({1}), 0, alone=True), encoding


def mutate_line_endings(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    variant = rng.choice(["crlf", "cr-only", "cr-only-syntax", "cr-only-latin-1", "mixed", "lone-cr"])
    lines = table.data.split(b"\n")[:-1]  # the file ends with a line break
    if variant == "crlf":
        data = table.data.replace(b"\n", b"\r\n")
        return data, Expect(table.file, None, None, reject=False), variant
    if variant == "cr-only":
        return table.data.replace(b"\n", b"\r"), Expect(table.file, frozenset({1}), 0, alone=True), variant
    if variant in ("cr-only-syntax", "cr-only-latin-1"):
        inner = mutate_structure if variant == "cr-only-syntax" else mutate_file_kind
        data, expect, note = inner(rng, table)
        if expect is None or expect.lines == frozenset({0}) or not data or b"\n" not in data:
            raise SkipError
        if variant == "cr-only-syntax":
            expect = Expect(table.file, frozenset({1}), 0, alone=True)  # the line ends come first
        elif "latin-1" not in note:
            raise SkipError
        return data.replace(b"\n", b"\r"), expect, f"{variant}: {note}"
    if variant == "mixed":
        odd = rng.randrange(2, len(lines) + 1)  # 1-based line whose ending differs from line 1's
        usual, other = (b"\r\n", b"\n") if rng.random() < 0.5 else (b"\n", b"\r\n")
        data = b"".join(line + (other if i == odd else usual) for i, line in enumerate(lines, start=1))
        return data, Expect(table.file, frozenset({odd}), 0, alone=True), f"{variant} at line {odd}"
    row = rng.randrange(0, len(table.records))
    column = rng.choice(table.header)
    old = table.records[row][table.header.index(column)]
    position = rng.randrange(0, len(old) + 1)
    records = with_cell(table, row, column, old[:position] + "\r" + old[position:])
    note = f"lone CR at line {row + 1} {column}, character {position}"
    return to_bytes(records), at(table, row, column, alone=True), note


def mutate_delimiter(rng: random.Random, table: Table) -> tuple[bytes, Expect | None, str]:
    """The file saved separated by tabs or semicolons."""
    delimiter = rng.choice(["\t", ";"])
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(table.records)
    return out.getvalue().encode("utf-8"), Expect(table.file, frozenset({1}), 1, alone=True), repr(delimiter)


MUTATIONS: dict[str, Mutation] = {
    "number": mutate_number,
    "date/bound-or-form": mutate_date,
    "date/order": mutate_date_order,
    "date/precision": mutate_precision,
    "invisible": mutate_invisible,
    "formula": mutate_formula,
    "header": mutate_header,
    "vocabulary": mutate_vocabulary,
    "scale": mutate_scale,
    "structure": mutate_structure,
    "file-kind": mutate_file_kind,
    "random/bytes": mutate_random_bytes,
    "random/rows": mutate_random_rows,
    "random/header": mutate_random_header,
    "shares": mutate_shares,
    "list/repeat": mutate_list_repeat,
    "list/reordered-row": mutate_reordered_row,
    "self-pair": mutate_self_pair,
    "number/parameter": mutate_parameter_number,
    "date/across-tables": mutate_dates_across,
    "date/evidence-year": mutate_evidence_year,
    "script/look-alike": mutate_look_alike,
    "invisible/unseen": mutate_unseen,
    "length": mutate_length,
    "reading/encoding": mutate_encoding,
    "reading/line-endings": mutate_line_endings,
    "reading/delimiter": mutate_delimiter,
}
"""Every mutation class; case ``i`` uses class ``i mod len(MUTATIONS)``, so each gets its share."""


def make_case(seed: int, number: int, tables: dict[str, Table]) -> Case:
    """Case ``number`` of ``seed``: its class by rotation, the rest drawn from (seed, number)."""
    kind = list(MUTATIONS)[number % len(MUTATIONS)]
    rng = random.Random(f"{seed}-{number}")
    for _ in range(200):
        table = tables[rng.choice(sorted(tables))]
        try:
            data, expect, note = MUTATIONS[kind](rng, table)
        except SkipError:
            continue
        replace_with = (
            note if kind == "file-kind" and note in ("folder", "dangling-symlink", "nothing") else None
        )
        return Case(number, kind, table.spec.name, data, expect, replace_with, note)
    raise RuntimeError(f"no table offers a {kind} mutation")


def cases(seed: int, count: int, tables: dict[str, Table], start: int = 0) -> Iterator[Case]:
    for number in range(start, start + count):
        yield make_case(seed, number, tables)


# --- running a case -------------------------------------------------------------------------------------


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (and a marker for anything that is not a file)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.exists():
            found[name] = "symlink"
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[name] = "folder"
    return found


@dataclass
class Outcome:
    """What one case did, and each way it went wrong."""

    case: Case
    code: int
    err: str
    problems: list[str] = field(default_factory=list)

    @property
    def traceback(self) -> bool:
        return any(problem.startswith("traceback") for problem in self.problems)

    @property
    def wrongly_accepted(self) -> bool:
        return self.case.must_reject and self.code == 0

    @property
    def wrongly_rejected(self) -> bool:
        return self.case.must_accept and self.code != 0


class Workspace:
    """A scratch copy of data/raw with a built processed folder; runs cases against it."""

    def __init__(self, folder: Path, source: ProjectPaths) -> None:
        self.paths = project_paths(raw=folder / "raw", processed=folder / "processed")
        shutil.copytree(source.raw, self.paths.raw)
        self.tables = read_tables(self.paths.raw)
        code, _, err = self._cli("build")
        if code != 0:
            raise RuntimeError(f"the real data do not build:\n{err}")
        self.processed = {
            path.relative_to(self.paths.processed).as_posix(): path.read_bytes()
            for path in sorted(self.paths.processed.rglob("*"))
            if path.is_file()
        }
        self.processed_hashes = tree_hashes(self.paths.processed)

    def _cli(self, command: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        argv = ["--raw-dir", str(self.paths.raw), "--processed-dir", str(self.paths.processed), command]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(argv)
        return code, out.getvalue(), err.getvalue()

    def _apply(self, case: Case) -> None:
        path = self.paths.raw / f"{case.table}.csv"
        path.unlink()
        if case.replace_with == "folder":
            path.mkdir()
        elif case.replace_with == "dangling-symlink":
            path.symlink_to(self.paths.raw.parent / "moved-away" / path.name)
        elif case.replace_with is None:
            path.write_bytes(case.data or b"")

    def _restore(self, case: Case) -> None:
        path = self.paths.raw / f"{case.table}.csv"
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.write_bytes(self.tables[case.table].data)

    def run(self, case: Case) -> Outcome:
        self._apply(case)
        raw_as_written = tree_hashes(self.paths.raw)
        command = "build" if case.must_reject else "validate"
        try:
            code, out, err = self._cli(command)
        except BaseException as error:  # the property under test: nothing escapes the command line
            outcome = Outcome(case, -1, "", [f"traceback: {type(error).__name__}: {error}"])
            outcome.err = traceback.format_exc()
        else:
            outcome = Outcome(case, code, err)
            self._judge(outcome, out, err)
        if tree_hashes(self.paths.raw) != raw_as_written:
            outcome.problems.append("the raw folder was changed")
        if tree_hashes(self.paths.processed) != self.processed_hashes:
            outcome.problems.append("the processed folder was changed")
            publish(self.processed, self.paths.processed)
        self._restore(case)
        return outcome

    @staticmethod
    def _judge(outcome: Outcome, out: str, err: str) -> None:
        case, problems = outcome.case, outcome.problems
        if "Traceback" in out + err:
            problems.append("traceback printed")
        if outcome.code not in (0, 1):
            problems.append(f"exit code {outcome.code}")
        failure_lines = [line for line in err.splitlines() if line.startswith("  ")]
        unlocated = [line for line in failure_lines if not LOCATION.match(line)]
        if unlocated:
            problems.append(f"failure without file:line:column: {unlocated[0][:120]}")
        if case.expect is None:
            return
        if case.must_accept:
            if outcome.code != 0:
                problems.append(f"wrongly rejected (right by construction): {failure_lines[:3]}")
            return
        if outcome.code == 0:
            problems.append(f"wrongly accepted (expected a failure at {case.expect.describe()})")
            return
        locations = [match for line in failure_lines if (match := LOCATION.match(line))]
        if not any(case.expect.matches(location) for location in locations):
            problems.append(f"not reported at {case.expect.describe()}: {failure_lines[:3]}")
        if case.expect.alone and len(failure_lines) != 1:
            problems.append(f"{len(failure_lines)} failures for a root cause: {failure_lines[:3]}")


# --- the long run ----------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts over many outcomes, and the first problems in full (small enough to send between processes)."""

    cases: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    wrong: int = 0
    random_accepted: int = 0
    tracebacks: int = 0
    wrongly_accepted: int = 0
    right: int = 0
    wrongly_rejected: int = 0
    with_problems: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        self.kinds[outcome.case.kind] += 1
        self.wrong += outcome.case.must_reject
        self.right += outcome.case.must_accept
        self.random_accepted += outcome.case.expect is None and outcome.code == 0
        self.tracebacks += outcome.traceback
        self.wrongly_accepted += outcome.wrongly_accepted
        self.wrongly_rejected += outcome.wrongly_rejected
        if outcome.problems:
            self.with_problems += 1
            if len(self.problems) < 30:
                self.problems.append(f"{outcome.case.label()}: {'; '.join(outcome.problems)}")

    def merge(self, other: Tally) -> None:
        self.cases += other.cases
        self.kinds.update(other.kinds)
        self.wrong += other.wrong
        self.random_accepted += other.random_accepted
        self.tracebacks += other.tracebacks
        self.wrongly_accepted += other.wrongly_accepted
        self.right += other.right
        self.wrongly_rejected += other.wrongly_rejected
        self.with_problems += other.with_problems
        self.problems += other.problems[: 30 - len(self.problems)]

    def summary(self, seconds: float) -> str:
        lines = [
            f"cases: {self.cases} in {seconds:.1f} s",
            f"  wrong by construction: {self.wrong}; right by construction: {self.right}; "
            f"random (may be valid): {self.cases - self.wrong - self.right}, of which accepted: "
            f"{self.random_accepted}",
            "  by class: " + ", ".join(f"{kind} {count}" for kind, count in sorted(self.kinds.items())),
            f"tracebacks: {self.tracebacks}",
            f"wrongly accepted: {self.wrongly_accepted}",
            f"wrongly rejected: {self.wrongly_rejected}",
            f"cases with any problem: {self.with_problems}",
        ]
        return "\n".join(lines + [f"  {problem}" for problem in self.problems])


def run_chunk(seed: int, start: int, count: int) -> Tally:
    """Run cases ``start .. start + count - 1`` in a workspace of their own (progress every 1000)."""
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ots-fuzz-") as folder:
        workspace = Workspace(Path(folder), project_paths())
        for case in cases(seed, count, workspace.tables, start):
            tally.add(workspace.run(case))
            if tally.cases % 1000 == 0:
                elapsed = time.perf_counter() - started
                print(f"  cases {start}..{case.number}: {elapsed:.0f} s", flush=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="number of cases (default 10000)")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: a random one, printed)")
    parser.add_argument("--start", type=int, default=0, help="number of the first case (to rerun one)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    jobs = max(1, min(args.jobs, args.cases))
    print(
        f"fuzzing data/raw: seed {seed}, cases {args.start}..{args.start + args.cases - 1}, {jobs} processes"
    )
    started = time.perf_counter()
    bounds = [args.start + args.cases * job // jobs for job in range(jobs + 1)]
    chunks = [(seed, first, last - first) for first, last in itertools.pairwise(bounds)]
    tally = Tally()
    if jobs == 1:
        tally = run_chunk(*chunks[0])
    else:
        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            for part in pool.starmap(run_chunk, chunks):
                tally.merge(part)
    print(tally.summary(time.perf_counter() - started))
    return 1 if tally.with_problems else 0


if __name__ == "__main__":
    sys.exit(main())
