"""Validation failures, reported cell by cell: file, CSV line, column, value, rule broken.

Everything a failure shows comes from the data (file names, header names, cells), so it is printed
escaped: a header that carries a terminal escape sequence is shown as ``\\x1b]0;...`` rather than
retitling or recolouring the reader's terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def escaped(text: str) -> str:
    """``text`` with every character that is not printable written as a Python escape (``\\x1b``,
    ``\\u202e``, ``\\U000e0001``): controls, format characters, separators other than the space,
    unassigned and private code points. Printable text is returned as it is."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True, order=True)
class Failure:
    """One broken rule at one place of a raw file.

    ``line`` is the physical line of the CSV file (1 = header); ``column`` is the column's name
    (empty for whole-file problems) and ``column_number`` its 1-based position (0 if unknown).
    """

    file: str
    line: int
    column_number: int
    column: str
    value: str
    rule: str

    def location(self) -> str:
        """``file:line:column`` in the style compilers use, so editors can jump to it."""
        return f"{self.file}:{self.line}:{self.column_number}"

    def describe(self) -> str:
        """One readable line, escaped (see :func:`escaped`)."""
        details = []
        if self.column:
            details.append(f"column '{self.column}'")
        if self.value != "":
            details.append(f"value {self.value!r}")
        prefix = " ".join([f"{self.location()}:", *details])
        return escaped(f"{prefix}: {self.rule}" if details else f"{prefix} {self.rule}")


class DataValidationError(Exception):
    """Raised when raw data break their schema or cross-table rules; carries every failure."""

    def __init__(self, failures: list[Failure]) -> None:
        self.failures = sorted(failures)
        super().__init__(format_failures(self.failures))


def display_path(path: Path, base: Path | None = None) -> str:
    """``path`` relative to ``base`` where possible (shorter messages), else absolute.

    Only the folders are resolved, never the file itself: a symbolic link is named as it is in
    its folder, not by the file it points to (which may not even exist).
    """
    if base is not None:
        try:
            return str((path.parent.resolve() / path.name).relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)


def format_failures(failures: list[Failure], limit: int | None = None) -> str:
    """A readable report: a count, then one line per failure, sorted by file, line and column."""
    ordered = sorted(failures)
    shown = ordered if limit is None else ordered[:limit]
    lines = [f"{len(ordered)} validation failure(s):"]
    lines.extend(f"  {failure.describe()}" for failure in shown)
    if len(shown) < len(ordered):
        lines.append(f"  ... and {len(ordered) - len(shown)} more")
    return "\n".join(lines)
