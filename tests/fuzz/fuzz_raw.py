"""Fuzzing data/raw: mutate copies of the real tables, run the command line, check how it fails.

Each case changes one table of a scratch copy of ``data/raw`` in one way, drawn from a class of
wrong input (issue 11: numbers, dates, invisible characters, formula prefixes, header order,
vocabularies, scale, file structure and kind) or at random (bytes, rows, header). A case of a class
is wrong by construction and says where it must be reported (file, line and, mostly, column); a
random case may happen to be valid. Every case runs ``ots-analysis`` in-process (``build`` for a
wrong case, so that a wrongly accepted input would write; ``validate`` for a random one) and is
checked for:

- no traceback (no exception escapes the command line);
- a wrong case exits 1 and reports a failure at its file:line:column (and only that failure for
  root causes such as an unparseable file); any failure printed has the file:line:column form;
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

from ots_analysis.cells import numeric_kinds
from ots_analysis.checks import is_user_assigned_alpha3, official_alpha3_codes, period_months
from ots_analysis.cli import main as cli_main
from ots_analysis.paths import ProjectPaths, project_paths
from ots_analysis.publish import publish
from ots_analysis.schemas import TABLES, TableSpec

LOCATION = re.compile(r"^  (?P<file>\S.*?):(?P<line>\d+):(?P<column>\d+):")

# --- what a case is ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """Where a wrong case must be reported: ``lines`` and ``column`` of ``file`` (None: any)."""

    file: str
    lines: frozenset[int] | None
    column: int | None
    alone: bool = False  # a root cause: it must be the only failure reported

    def matches(self, location: re.Match[str]) -> bool:
        return (
            location["file"].endswith(f"raw/{self.file}")
            and (self.lines is None or int(location["line"]) in self.lines)
            and (self.column is None or int(location["column"]) == self.column)
        )

    def describe(self) -> str:
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


class SkipError(Exception):
    """The drawn table or row has nothing this mutation can change; draw again."""


# --- the real tables, parsed once ---------------------------------------------------------------------


@dataclass
class Table:
    """One real raw table: its spec, bytes and records (header first), and facts the mutations use."""

    spec: TableSpec
    data: bytes
    records: list[list[str]]

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
        # The expected line of a cell is its record's index + 1: true while no cell spans lines, and
        # the real files must round-trip through the writer so that only the mutated cell changes.
        assert not any("\n" in cell or "\r" in cell for record in records for cell in record), name
        assert to_bytes(records) == data, f"{name}.csv is not written as the csv module writes it"
        tables[name] = Table(spec, data, records)
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
        return self.case.expect is not None and self.code == 0


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
        command = "build" if case.expect is not None else "validate"
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
    with_problems: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        self.kinds[outcome.case.kind] += 1
        self.wrong += outcome.case.expect is not None
        self.random_accepted += outcome.case.expect is None and outcome.code == 0
        self.tracebacks += outcome.traceback
        self.wrongly_accepted += outcome.wrongly_accepted
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
        self.with_problems += other.with_problems
        self.problems += other.problems[: 30 - len(self.problems)]

    def summary(self, seconds: float) -> str:
        lines = [
            f"cases: {self.cases} in {seconds:.1f} s",
            f"  wrong by construction: {self.wrong}; random (may be valid): {self.cases - self.wrong}, "
            f"of which accepted: {self.random_accepted}",
            "  by class: " + ", ".join(f"{kind} {count}" for kind, count in sorted(self.kinds.items())),
            f"tracebacks: {self.tracebacks}",
            f"wrongly accepted: {self.wrongly_accepted}",
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
