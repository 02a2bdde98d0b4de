"""Strict reading of one raw CSV file: its bytes, their encoding, line ends and separators, its records.

A file must be a regular UTF-8 file without a byte-order mark, comma-separated, with lines that all
end with LF or all with CRLF (read as LF), and parse as CSV. Whatever breaks that is one failure,
located at the first place it goes wrong (line, and CSV column where there is one), and the file is
not read further: a UTF-16 or UTF-32 file (with or without byte-order mark), a file separated by
tabs or semicolons, lines ending in CR alone or in LF and CRLF mixed, a lone CR inside a line, a
byte that is not UTF-8, a quotation mark never closed. Positions are found by one CSV-aware scan
(:func:`csv_position`), so a quoted comma or line break never shifts a reported column.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ots_analysis.errors import Failure

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class RawTable:
    """A raw CSV file as text cells, before validation."""

    frame: pd.DataFrame
    header: tuple[str, ...]
    failures: tuple[Failure, ...]
    complete: bool = True
    """False when reading stopped early (unreadable file, CSV syntax error): ``frame`` is then empty."""


def text_failure(file: str, line: int, column: int, rule: str) -> Failure:
    return Failure(file=file, line=line, column_number=column, column="", value="", rule=rule)


_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with a byte-order mark)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with a byte-order mark)"),
    (b"\xfe\xff", "UTF-16 (big-endian, with a byte-order mark)"),
    (b"\xff\xfe", "UTF-16 (little-endian, with a byte-order mark)"),
)
"""Byte-order marks of the wide encodings, longest first (UTF-32 LE's begins like UTF-16 LE's)."""


def _wide_encoding(raw: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding ``raw`` is written in, or None if it is not one of them.

    Without a byte-order mark the header's first ASCII letters give it away: in UTF-16 every other
    byte is NUL (``s\\0o\\0``), in UTF-32 three of four. A single NUL byte in a UTF-8 file does not
    look like that, and is reported where it is, as an invisible character.
    """
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    head = raw[:4]
    if len(head) < 4:
        return None
    zero = [byte == 0 for byte in head]
    patterns = {
        (False, True, True, True): "UTF-32 (little-endian, without a byte-order mark)",
        (True, True, True, False): "UTF-32 (big-endian, without a byte-order mark)",
        (False, True, False, True): "UTF-16 (little-endian, without a byte-order mark)",
        (True, False, True, False): "UTF-16 (big-endian, without a byte-order mark)",
    }
    return patterns.get(tuple(zero))  # type: ignore[arg-type]


def csv_position(text: str, lone_cr_breaks: bool) -> tuple[int, int]:
    """(line where the record starts, 1-based field) at the end of ``text``, read as CSV.

    Quoted fields may hold commas and line breaks. Lines end at ``\\n`` and ``\\r\\n``, and also at a
    lone ``\\r`` when ``lone_cr_breaks`` (as the csv module reads them); otherwise a lone ``\\r`` is
    an ordinary character, as it is to the curator's editor in a file whose lines end with LF.
    """
    line, record_line, field = 1, 1, 1
    quoted, field_start = False, True
    i, length = 0, len(text)
    while i < length:
        char = text[i]
        crlf = char == "\r" and text[i + 1 : i + 2] == "\n"
        breaks = char == "\n" or crlf or (char == "\r" and lone_cr_breaks)
        step = 2 if crlf else 1
        if quoted:
            if char == '"' and text[i + 1 : i + 2] == '"':
                step = 2
            elif char == '"':
                quoted = False
            elif breaks:
                line += 1
        elif char == ",":
            field += 1
        elif breaks:
            line += 1
            record_line, field = line, 1
        elif char == '"' and field_start:
            quoted = True
        field_start = not quoted and (char == "," or breaks)
        i += step
    return record_line, field


def _header_names(text: str) -> list[str]:
    """The names of the first line of ``text`` (which may be cut short or hold odd bytes)."""
    first = re.split(r"[\r\n]", text, maxsplit=1)[0]
    try:
        return next(csv.reader([first]), [])
    except csv.Error:
        return []


def _column_name(header: list[str], line: int, number: int) -> str:
    return header[number - 1] if line > 1 and 0 < number <= len(header) else ""


def decode(raw: bytes, file: str) -> tuple[str | None, list[Failure]]:
    """Decode strict UTF-8; a failure names the line and CSV column of the first bad byte."""
    if not raw.strip():
        return None, [text_failure(file, 1, 0, "file is empty: expected a header row")]
    wide = _wide_encoding(raw)
    if wide is not None:
        rule = f"file is written in {wide}, not UTF-8: save it as UTF-8 (without BOM)"
        return None, [text_failure(file, 1, 0, rule)]
    if raw.startswith(_BOM):
        rule = "file starts with a UTF-8 byte-order mark (BOM): save it as UTF-8 without BOM"
        return None, [text_failure(file, 1, 1, rule)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8")  # valid: decoding stops at the first bad byte
        line, column = csv_position(before, lone_cr_breaks=True)
        name = _column_name(_header_names(raw.decode("utf-8", errors="replace")), line, column)
        bad = raw[error.start : error.start + 1].hex()
        rule = f"not valid UTF-8 (byte 0x{bad}): save the file as UTF-8"
        return None, [Failure(file, line, column, name, "", rule)]


def _line_ending_failure(text: str, file: str) -> Failure | None:
    """Lines must all end with LF, or all with CRLF; a lone CR is never a line end.

    The first line decides which; the first line that ends otherwise, or the first lone CR, whichever
    comes first, is reported (at its line, and for a lone CR at its field).
    """
    if "\r" not in text:
        return None
    if "\n" not in text:
        rule = (
            "lines end with a carriage return (CR) alone, the old Mac format: save the file with LF "
            "(or CRLF) line endings"
        )
        return text_failure(file, 1, 0, rule)
    first_end = text.index("\n")
    crlf = first_end > 0 and text[first_end - 1] == "\r"
    other_ending = re.compile("(?<!\r)\n" if crlf else "\r\n").search(text)
    lone_cr = re.compile("\r(?!\n)").search(text)
    found = [match for match in (other_ending, lone_cr) if match is not None]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    if first is other_ending:
        line = text.count("\n", 0, first.start()) + 1
        ends, other = ("LF alone", "CRLF") if crlf else ("CRLF", "LF alone")
        rule = (
            f"line ends with {ends} while line 1 ends with {other}: save the file with one kind of "
            "line ending"
        )
        return text_failure(file, line, 0, rule)
    line, column = csv_position(text[: first.start()], lone_cr_breaks=False)
    rule = (
        "carriage return (U+000D) alone inside a line: a line break from another system, which a CSV "
        "reader takes for the end of a row; delete it"
    )
    return Failure(file, line, column, _column_name(_header_names(text), line, column), "", rule)


def _delimiter_failure(text: str, file: str) -> Failure | None:
    """A header separated by tabs or semicolons rather than commas (a spreadsheet's other export)."""
    first = text.split("\n", 1)[0]
    if "," in first:
        return None
    for delimiter, name in (("\t", "tabs"), (";", "semicolons")):
        if delimiter in first:
            rule = (
                f"the header is separated by {name}, not commas: save the file as comma-separated CSV (UTF-8)"
            )
            return text_failure(file, 1, 1, rule)
    return None


def _line_offset(text: str, line: int) -> int:
    """Where physical ``line`` (1-based, lines ending with LF) starts; the end of ``text`` if it has
    fewer lines."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def _locate_field(text: str, start_line: int, limit: int) -> int:
    """The 1-based field of the record starting on ``start_line`` where CSV parsing goes wrong.

    That is the field whose opening quotation mark is never closed, the field longer than ``limit``
    characters, or the field in which a closing quotation mark is followed by other text.
    """
    offset = _line_offset(text, start_line)
    field, length, quoted, opened = 1, 0, False, 1
    i = offset
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"' and text[i + 1 : i + 2] == '"':
                i += 1
            elif char == '"':
                quoted = False
                if text[i + 1 : i + 2] not in ("", ",", "\n", "\r"):
                    return field
        elif char == '"' and length == 0:
            quoted, opened = True, field
        elif char == ",":
            field, length = field + 1, -1
        elif char in "\r\n":
            return field
        length += 1
        if length > limit:
            return field
        i += 1
    return opened if quoted else field


def _syntax_failure(
    error: csv.Error, text: str, start_line: int, header: list[str] | None, file: str
) -> Failure:
    """A CSV syntax error, reported where the broken record starts, in the field that breaks it."""
    limit = csv.field_size_limit()
    number = _locate_field(text, start_line, limit)
    name = header[number - 1] if header is not None and start_line > 1 and number <= len(header) else ""
    message = str(error)
    if "unexpected end of data" in message:
        rule = (
            "a quoted cell is never closed (unbalanced quotation mark): the rest of the file was read "
            'as one cell; close the quote or double it ("") if it belongs to the text'
        )
    elif "field larger than field limit" in message:
        rule = (
            f"cell is longer than {limit} characters (a missing closing quotation mark may have "
            "joined many rows into one cell)"
        )
    else:
        rule = f'CSV syntax error: {message} (a quotation mark inside a cell must be doubled: "")'
    return Failure(file, start_line, number, name, "", rule)


def parse_csv_text(text: str, file: str) -> RawTable:
    """Split CSV text into cells, recording each record's first physical line.

    Structural problems become failures rather than exceptions: a CSV syntax error (then nothing of
    the file is kept, so no rule runs on a partial table), a missing or duplicated header name, and
    a record with the wrong number of fields (reported at its first missing or extra field). Lines
    end with LF, or all with CRLF (read as LF); a file with other line ends, or separated by tabs or
    semicolons, is reported at its first such line and not read. Blank lines are skipped. Cells keep
    their text as written; empty cells become missing values.
    """
    unreadable = _line_ending_failure(text, file) or _delimiter_failure(text, file)
    if unreadable is not None:
        return RawTable(pd.DataFrame(), (), (unreadable,), complete=False)
    text = text.replace("\r\n", "\n")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    failures: list[Failure] = []
    records: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not record or record == [""]:
                continue
            if header is None:
                header = record
                continue
            records.append(record)
            lines.append(start)
    except csv.Error as error:
        failure = _syntax_failure(error, text, previous_end + 1, header, file)
        return RawTable(pd.DataFrame(), tuple(header or ()), (failure,), complete=False)
    if header is None:
        failures.append(text_failure(file, 1, 0, "file has no header row"))
        return RawTable(pd.DataFrame(), (), tuple(failures), complete=False)

    for number, name in enumerate(header, start=1):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            failures.append(Failure(file, 1, number, name, name, "header name must be snake_case"))
        elif header.index(name) != number - 1:
            failures.append(Failure(file, 1, number, name, name, "header name is repeated"))

    kept_records: list[list[str]] = []
    kept_lines: list[int] = []
    for line, record in zip(lines, records, strict=True):
        if len(record) != len(header):
            number = min(len(record), len(header)) + 1
            name = header[number - 1] if number <= len(header) else ""
            what = "is missing from here on" if len(record) < len(header) else "is one too many"
            rule = f"row has {len(record)} fields but the header has {len(header)}: field {number} {what}"
            failures.append(Failure(file, line, number, name, "", rule))
            continue
        kept_records.append(record)
        kept_lines.append(line)

    frame = pd.DataFrame(
        kept_records,
        columns=pd.Index(header),
        index=pd.Index(kept_lines, name="csv_line"),
        dtype=object,
    )
    frame = frame.where(frame != "", None)
    return RawTable(frame, tuple(header), tuple(failures))


def _file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a CSV file, or None if it is a regular file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"is a symbolic link to '{path.readlink()}', which does not exist"
        return "file is missing"
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if stat.S_ISDIR(mode):
        return "is a folder, not a CSV file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, socket or pipe), so it is not read"
    return None


def read_raw_table(path: Path, file: str | None = None) -> RawTable:
    """Read one raw CSV file strictly (see :func:`parse_csv_text`)."""
    label = file or str(path)
    data, problem = read_bytes(path)
    if data is None:
        return RawTable(pd.DataFrame(), (), (text_failure(label, 0, 0, problem or ""),), complete=False)
    return table_from_bytes(data, label)


def read_bytes(path: Path) -> tuple[bytes | None, str | None]:
    """The file's bytes, or None and why it cannot be read."""
    problem = _file_problem(path)
    if problem is not None:
        return None, problem
    try:
        return path.read_bytes(), None
    except OSError as error:
        return None, f"cannot be read: {error.strerror or error}"


def table_from_bytes(data: bytes, file: str) -> RawTable:
    """Decode and parse one file's bytes (see :func:`decode` and :func:`parse_csv_text`)."""
    decoded, failures = decode(data, file)
    if decoded is None:
        return RawTable(pd.DataFrame(), (), tuple(failures), complete=False)
    return parse_csv_text(decoded, file)
