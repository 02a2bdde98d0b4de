"""Rules for the text of every cell and header of a raw table, whatever its column.

They run before the pandera models and look at each cell exactly as it is written in the file, so a
failure shows what the curator typed rather than what Python made of it: ``２０２３`` is not 2023 here,
and ``1e309`` is not infinity. The rules are generic over a table's pandera model (its columns, in
order, and each column's dtype), so a new table gets them without code of its own:

- no invisible or control characters (C0/C1 controls, bidirectional overrides, zero-width characters,
  line and paragraph separators) and no leading or trailing whitespace;
- no cell that a spreadsheet would run as a formula (CSV injection);
- numbers in numeric columns written with ASCII digits and at most a decimal point;
- a header that is exactly the model's columns in the model's order.

Each cell gets at most one failure, from the first rule it breaks, in the order above.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import pandas as pd
import pandera.pandas as pa

from ots_analysis.errors import Failure

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# Unicode puts format characters (Cf) in planes 0, 1 and 14 only; scanning them once takes ~20 ms.
_SCANNED_PLANES = (range(0, 0x20000), range(0xE0000, 0xE1000))
_CONTROL_NAMES = {
    0x00: "NUL",
    0x09: "TAB",
    0x0A: "LINE FEED (a line break inside the cell)",
    0x0D: "CARRIAGE RETURN (a line break inside the cell)",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}

FORMULA_PREFIX = re.compile(r"[=+@\t\r]|-[^\W\d_]|-\(")
"""What makes a spreadsheet read a cell as a formula: ``=``, ``+``, ``@``, a tab, or ``-`` then a letter or
``(`` (OWASP's CSV-injection list; a minus before a digit is an ordinary negative number)."""

_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@cache
def _invisible_pattern() -> re.Pattern[str]:
    """A character class of every control, format, line- and paragraph-separator character."""
    chars = [
        chr(code)
        for plane in _SCANNED_PLANES
        for code in plane
        if unicodedata.category(chr(code)) in _INVISIBLE_CATEGORIES
    ]
    return re.compile("[" + "".join(re.escape(char) for char in chars) + "]")


def character_name(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and, where Unicode has one, its name."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "control character")
    return f"U+{code:04X} {name}"


def invisible_character_rule(cell: str) -> str | None:
    """Why ``cell`` holds a character a reader cannot see, or None if it holds none."""
    found = _invisible_pattern().search(cell)
    if found is None:
        return None
    position = found.start() + 1
    return (
        f"invisible or control character {character_name(found.group())} at character {position} "
        "of the cell: delete it (retype the text around it if unsure)"
    )


def formula_rule(cell: str) -> str | None:
    """Why a spreadsheet would run ``cell`` as a formula, or None if it would not."""
    if not FORMULA_PREFIX.match(cell):
        return None
    start = cell[:2] if cell.startswith("-") else cell[:1]
    return (
        f"cell begins with {start!r}, which a spreadsheet runs as a formula (CSV injection): "
        "reword it so that it starts with a letter, digit or quotation mark"
    )


def number_rule(cell: str, integer: bool) -> str | None:
    """Why ``cell`` is not a number as the CSV must write it, or None if it is one."""
    if integer and not _INTEGER.fullmatch(cell):
        return "not a whole number: write ASCII digits 0-9 only (an optional leading '-')"
    if not integer and not _DECIMAL.fullmatch(cell):
        return (
            "not a plain number: write ASCII digits 0-9 with at most one '.' as decimal point "
            "(no thousands separators, underscores, exponents, inf or NaN)"
        )
    return None


def _cell_rule(cell: str, kind: str | None) -> str | None:
    """The first rule ``cell`` breaks (``kind``: 'integer', 'decimal' or None for text)."""
    rule = invisible_character_rule(cell)
    if rule is None and cell != cell.strip():
        rule = "leading or trailing whitespace in cell"
    if rule is None:
        rule = formula_rule(cell)
    if rule is None and kind is not None:
        rule = number_rule(cell, integer=kind == "integer")
    return rule


@cache
def numeric_kinds(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """``'integer'`` or ``'decimal'`` for each numeric column of ``model``, read from its dtypes."""
    kinds: dict[str, str] = {}
    for name, column in model.to_schema().columns.items():
        dtype = getattr(column.dtype, "type", None)
        if dtype is None or pd.api.types.is_bool_dtype(dtype):
            continue
        if pd.api.types.is_integer_dtype(dtype):
            kinds[name] = "integer"
        elif pd.api.types.is_float_dtype(dtype):
            kinds[name] = "decimal"
    return kinds


def model_columns(model: type[pa.DataFrameModel]) -> tuple[str, ...]:
    """The columns of ``model`` in their declared order: the order the CSV header must have."""
    return tuple(model.to_schema().columns)


def cell_failures(frame: pd.DataFrame, model: type[pa.DataFrameModel], file: str) -> list[Failure]:
    """One failure per cell of ``frame`` (text as read, index = CSV line) that breaks a text rule."""
    kinds = numeric_kinds(model)
    failures: list[Failure] = []
    for number, column in enumerate(frame.columns, start=1):
        kind = kinds.get(column)
        cells = frame[column].dropna()
        if kind is None:
            # Most text cells pass every rule; look closer only at those that might not.
            # str.isprintable is false for every invisible character (and a few visible spaces),
            # and ten times faster than searching each cell for them.
            suspect = [
                not cell.isprintable() or FORMULA_PREFIX.match(cell) is not None or cell != cell.strip()
                for cell in cells
            ]
            cells = cells.loc[suspect]
        for line, cell in cells.items():
            rule = _cell_rule(str(cell), kind)
            if rule is not None:
                failures.append(Failure(file, int(str(line)), number, str(column), str(cell), rule))
    return failures


def header_failures(header: Sequence[str], expected: Sequence[str], file: str) -> list[Failure]:
    """Failures of a header that is not exactly ``expected``, in order; each names the columns involved.

    Missing and unexpected names are reported as such. When the names are right but their order is
    not, two columns that trade places are reported together ("'title' and 'publisher' are
    swapped"); any other misplaced column is reported where it stands, with the name expected there.
    """
    if tuple(header) == tuple(expected):
        return []
    order = ",".join(expected)
    failures = [
        Failure(file, 1, 0, name, "", f"required column is missing; the header must be: {order}")
        for name in expected
        if name not in header
    ]
    failures += [
        Failure(file, 1, number, name, name, "unexpected column (not in the schema)")
        for number, name in enumerate(header, start=1)
        if name not in expected
    ]
    if failures or len(set(header)) != len(header):
        return failures
    misplaced = [index for index, name in enumerate(header) if expected[index] != name]
    reported: set[int] = set()
    for index in misplaced:
        if index in reported:
            continue
        partner = expected.index(header[index])
        if header[partner] == expected[index]:
            first, second = sorted((index, partner))
            rule = (
                f"columns '{header[first]}' ({first + 1}) and '{header[second]}' ({second + 1}) are "
                f"swapped; the header must be: {order}"
            )
            failures.append(Failure(file, 1, first + 1, header[first], header[first], rule))
            reported |= {first, second}
        else:
            rule = (
                f"column '{header[index]}' is out of place: the schema puts '{expected[index]}' in "
                f"column {index + 1}; the header must be: {order}"
            )
            failures.append(Failure(file, 1, index + 1, header[index], header[index], rule))
            reported.add(index)
    return failures


def unsafe_output_cells(text: str) -> list[tuple[int, int, str]]:
    """(line, column, cell) of each cell of CSV ``text`` that a spreadsheet would run as a formula."""
    reader = csv.reader(io.StringIO(text, newline=""))
    found: list[tuple[int, int, str]] = []
    line = 1
    for record in reader:
        found += [
            (line, number, cell) for number, cell in enumerate(record, start=1) if FORMULA_PREFIX.match(cell)
        ]
        line = reader.line_num + 1
    return found
