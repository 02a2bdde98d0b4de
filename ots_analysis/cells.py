"""Rules for the text of every cell and header of a raw table, whatever its column.

They run before the pandera models and look at each cell exactly as it is written in the file, so a
failure shows what the curator typed rather than what Python made of it: ``２０２３`` is not 2023 here,
and ``1e309`` is not infinity. The rules are generic over a table's pandera model (its columns, in
order, and each column's dtype), so a new table gets them without code of its own:

- no cell longer than its column allows (:data:`~ots_analysis.schemas.TEXT_MAX_CHARS`, and
  :data:`~ots_analysis.schemas.EVIDENCE_MAX_CHARS` for verbatim excerpts);
- no invisible, unassigned or private character: every character of the Unicode categories Cc, Cf,
  Co, Cn, Cs, Zl and Zp, the variation selectors, the characters Unicode lists as ignorable fillers
  (``Other_Default_Ignorable_Code_Point``), and U+FFFD, the mark of a character lost in conversion;
  no leading or trailing whitespace;
- no cell that a spreadsheet would run as a formula (CSV injection);
- numbers in numeric columns written with ASCII digits, at most a decimal point, and at most
  :data:`MAX_DIGITS` digits (so every number is finite and stored exactly);
- in text that is not a verbatim excerpt, no word that mixes letters of two scripts (``Cholpon-Аta``
  with a Cyrillic ``А``): a look-alike letter makes a name that no check matches;
- a header that is exactly the model's columns in the model's order.

Each cell gets at most one failure, from the first rule it breaks, in the order above.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd
import pandera.pandas as pa

from ots_analysis.errors import Failure
from ots_analysis.schemas import EVIDENCE_MAX_CHARS, TEXT_MAX_CHARS

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
"""Control, format, private-use, unassigned and surrogate code points, line and paragraph separators."""
_VARIATION_SELECTORS = "\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef"
"""Unicode's Variation_Selector property (PropList.txt): they change how the letter before looks."""
_IGNORABLE_FILLERS = "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
"""The letters and marks of Unicode's Other_Default_Ignorable_Code_Point (PropList.txt) that are not
in the categories above: fillers (Hangul, Khmer) and the combining grapheme joiner, which render as
nothing."""
_REPLACEMENT = "\ufffd"
_OUTSIDE_CATEGORIES = re.compile(f"[{_VARIATION_SELECTORS}{_IGNORABLE_FILLERS}{_REPLACEMENT}]")
_CONTROL_NAMES = {
    0x00: "NUL",
    0x09: "TAB",
    0x0A: "LINE FEED (a line break inside the cell)",
    0x0D: "CARRIAGE RETURN (a line break inside the cell)",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}
_CATEGORY_NAMES = {
    "Co": "private-use character",
    "Cn": "unassigned code point",
    "Cs": "surrogate code point",
}

MAX_DIGITS = 15
"""Digits a number cell may have: a double holds every 15-digit number exactly, and a longer one
(``1`` followed by 308 zeros reads as infinity) is a typo."""

FORMULA_PREFIX = re.compile(r"[=+@\t\r]|-[^\W\d_]|-\(")
"""What makes a spreadsheet read a cell as a formula: ``=``, ``+``, ``@``, a tab, or ``-`` then a letter or
``(`` (OWASP's CSV-injection list; a minus before a digit is an ordinary negative number)."""

_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def character_name(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and, where Unicode has one, its name."""
    code = ord(char)
    fallback = _CATEGORY_NAMES.get(unicodedata.category(char), "control character")
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        fallback = "noncharacter (never assigned)"
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, fallback)
    return f"U+{code:04X} {name}"


def is_invisible(char: str) -> bool:
    """True for a character a reader cannot see or that stands for nothing (see the module doc)."""
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or bool(_OUTSIDE_CATEGORIES.match(char))


def may_hold_invisible(text: str) -> bool:
    """A fast pre-test: False guarantees that ``text`` holds no invisible character.

    ``str.isprintable`` is false for every character of the categories C* and Z* but the space, and
    ten times faster than looking at each character.
    """
    return not text.isprintable() or _OUTSIDE_CATEGORIES.search(text) is not None


def first_invisible(text: str) -> tuple[int, str] | None:
    """(0-based position, character) of the first invisible character of ``text``, or None."""
    if not may_hold_invisible(text):
        return None
    return next(((i, char) for i, char in enumerate(text) if is_invisible(char)), None)


def invisible_character_rule(cell: str) -> str | None:
    """Why ``cell`` holds a character a reader cannot see, or None if it holds none."""
    found = first_invisible(cell)
    if found is None:
        return None
    position, char = found
    if char == _REPLACEMENT:
        return (
            f"{character_name(char)} at character {position + 1} of the cell: a character was lost "
            "when the text was converted between encodings; retype it from the source"
        )
    return (
        f"invisible, unassigned or control character {character_name(char)} at character "
        f"{position + 1} of the cell: delete it (retype the text around it if unsure)"
    )


def length_rule(cell: str, limit: int) -> str | None:
    """Why ``cell`` is too long for its column, or None if it is not longer than ``limit``."""
    if len(cell) <= limit:
        return None
    return f"cell has {len(cell)} characters; this column holds at most {limit}"


_WORD = re.compile(r"[^\W\d_]+")
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK", "IDEOGRAPHIC": "CJK"}
_NO_SCRIPT = frozenset({"MODIFIER", "COMBINING"})


@lru_cache(maxsize=4096)
def _script(char: str) -> str | None:
    """The script of a letter as the first word of its Unicode name (LATIN, CYRILLIC, GREEK, ...).

    Kana and Han count as one script (Japanese words mix them); modifier letters (Uzbek ``ʻ``) as
    none. Look-alike forms such as ``FULLWIDTH LATIN`` or ``MATHEMATICAL BOLD`` count as their own.
    """
    first = unicodedata.name(char, "").split(" ", 1)[0]
    if not first or first in _NO_SCRIPT:
        return None
    return _SCRIPT_GROUPS.get(first, first)


def mixed_script_rule(cell: str) -> str | None:
    """Why a word of ``cell`` mixes letters of two scripts, or None if no word does.

    The letter named is the first one of the script the word has fewer letters of: the look-alike.
    """
    if cell.isascii():
        return None
    for word in _WORD.findall(cell):
        if word.isascii():
            continue
        scripts = [_script(char) for char in word]
        counts = Counter(script for script in scripts if script is not None)
        if len(counts) < 2:
            continue
        main = max(counts, key=lambda script: (counts[script], -scripts.index(script)))
        odd = next(char for char, script in zip(word, scripts, strict=True) if script not in (main, None))
        return (
            f"word {word!r} mixes scripts: {character_name(odd)} among {main.title()} letters, a "
            "look-alike that no search or check matches; retype the word in one script"
        )
    return None


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
    digits = sum(char.isdigit() for char in cell)
    if digits > MAX_DIGITS:
        return f"number has {digits} digits; at most {MAX_DIGITS} are stored exactly (a typo?)"
    return None


@dataclass(frozen=True)
class ColumnRules:
    """What the cell rules need to know about one column of a model."""

    kind: str | None  # 'integer', 'decimal', or None for text
    max_chars: int
    verbatim: bool  # a quotation from a source: its own spelling is kept, look-alikes included


def _cell_rule(cell: str, rules: ColumnRules) -> str | None:
    """The first rule ``cell`` breaks."""
    rule = length_rule(cell, rules.max_chars)
    if rule is None:
        rule = invisible_character_rule(cell)
    if rule is None and cell != cell.strip():
        rule = "leading or trailing whitespace in cell"
    if rule is None:
        rule = formula_rule(cell)
    if rule is None and rules.kind is not None:
        rule = number_rule(cell, integer=rules.kind == "integer")
    if rule is None and rules.kind is None and not rules.verbatim:
        rule = mixed_script_rule(cell)
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


def is_verbatim(column: pa.Column) -> bool:
    """True for a column of verbatim excerpts (those with a word limit: ``evidence``)."""
    return any(check.name == "at_most_words" for check in column.checks)


def max_chars(column: pa.Column) -> int:
    """The most characters a cell of ``column`` may have."""
    return EVIDENCE_MAX_CHARS if is_verbatim(column) else TEXT_MAX_CHARS


@cache
def column_rules(model: type[pa.DataFrameModel]) -> dict[str, ColumnRules]:
    """The :class:`ColumnRules` of each column of ``model``."""
    kinds = numeric_kinds(model)
    return {
        name: ColumnRules(kinds.get(name), max_chars(column), is_verbatim(column))
        for name, column in model.to_schema().columns.items()
    }


def model_columns(model: type[pa.DataFrameModel]) -> tuple[str, ...]:
    """The columns of ``model`` in their declared order: the order the CSV header must have."""
    return tuple(model.to_schema().columns)


def cell_failures(frame: pd.DataFrame, model: type[pa.DataFrameModel], file: str) -> list[Failure]:
    """One failure per cell of ``frame`` (text as read, index = CSV line) that breaks a text rule."""
    rules = column_rules(model)
    failures: list[Failure] = []
    for number, column in enumerate(frame.columns, start=1):
        column_rule = rules.get(str(column), ColumnRules(None, TEXT_MAX_CHARS, verbatim=False))
        cells = frame[column].dropna()
        if column_rule.kind is None:
            # Most text cells pass every rule; look closer only at those that might not.
            suspect = [
                len(cell) > column_rule.max_chars
                or may_hold_invisible(cell)
                or FORMULA_PREFIX.match(cell) is not None
                or cell != cell.strip()
                or not (column_rule.verbatim or cell.isascii())
                for cell in cells
            ]
            cells = cells.loc[suspect]
        for line, cell in cells.items():
            rule = _cell_rule(str(cell), column_rule)
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
