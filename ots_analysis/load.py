"""Read the hand-curated CSV tables of ``data/raw``, validate them, and return typed DataFrames.

Every other module reads data through :func:`load_raw`. Reading is strict: a file must be UTF-8
without a byte-order mark, rectangular, and free of stray whitespace; then each table is validated
lazily against its pandera model (``ots_analysis.schemas``) and all tables together against the
cross-table rules (``ots_analysis.integrity``). Every failure is collected before anything is raised,
so one run reports them all. The returned frames are indexed by their CSV line number
(``csv_line``), which keeps each row traceable to the file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ots_analysis.errors import DataValidationError, Failure, display_path
from ots_analysis.integrity import integrity_failures
from ots_analysis.paths import ProjectPaths, project_paths
from ots_analysis.schemas import TABLES, TableSpec

_BOM = b"\xef\xbb\xbf"
_RULE_WORDING = {
    "not_nullable": "required cell is empty",
    "field_uniqueness": "value must be unique in this column",
    "column_in_schema": "unexpected column (not in the schema)",
    "column_in_dataframe": "required column is missing",
    "multiple_fields_uniqueness": "duplicate key",
    "slug": "must be a slug: lowercase letters and digits joined by single hyphens",
    "slug_list": "must be one or more slugs separated by ';' without spaces",
    "iso3_code": "must be an ISO 3166-1 alpha-3 code (or a user-assigned one)",
    "iso3_list": "must be ISO 3166-1 alpha-3 codes separated by ';'",
    "http_url": "must be an absolute http(s) URL",
    "iso_date": "must be a calendar date written YYYY-MM-DD",
    "not_in_future": "date must not be in the future",
    "greater_than_or_equal_to": "value is below the allowed minimum",
    "less_than_or_equal_to": "value is above the allowed maximum",
    "in_range": "value is outside the allowed range",
    "isin": "value is not one of the allowed values",
    "str_matches": "value does not have the required form",
    "at_most_words": "evidence excerpt is longer than the word limit",
}


@dataclass(frozen=True)
class RawTable:
    """A raw CSV file as text cells, before validation."""

    frame: pd.DataFrame
    header: tuple[str, ...]
    failures: tuple[Failure, ...]


@dataclass(frozen=True)
class RawData:
    """All validated raw tables, typed, indexed by CSV line number."""

    sources: pd.DataFrame
    countries: pd.DataFrame
    memberships: pd.DataFrame
    events: pd.DataFrame
    trade: pd.DataFrame
    trade_aggregates: pd.DataFrame
    defense_cooperation: pd.DataFrame
    arms_suppliers: pd.DataFrame
    articles: pd.DataFrame
    claims: pd.DataFrame
    claim_evidence: pd.DataFrame
    check_parameters: pd.DataFrame

    def preferred(self, name: str) -> pd.DataFrame:
        """Table ``name`` without the rows kept only to record a disagreeing source."""
        frame: pd.DataFrame = getattr(self, name)
        if "preferred" not in frame.columns:
            return frame
        return frame.loc[frame["preferred"].eq(True)]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in load order."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def _text_failure(file: str, line: int, column: int, rule: str) -> Failure:
    return Failure(file=file, line=line, column_number=column, column="", value="", rule=rule)


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Failure]]:
    """Decode strict UTF-8; a failure names the line and CSV column of the first bad byte."""
    if not raw.strip():
        return None, [_text_failure(file, 1, 0, "file is empty: expected a header row")]
    if raw.startswith(_BOM):
        rule = "file starts with a UTF-8 byte-order mark (BOM): save it as UTF-8 without BOM"
        return None, [_text_failure(file, 1, 1, rule)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        before = raw[line_start : error.start].decode("utf-8", errors="replace")
        column = len(next(csv.reader([before]), [""])) or 1  # the bad byte sits in the last field so far
        header_line = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
        header = next(csv.reader([header_line]), [])
        name = header[column - 1] if line > 1 and column <= len(header) else ""
        bad = raw[error.start : error.start + 1].hex()
        rule = f"not valid UTF-8 (byte 0x{bad}): save the file as UTF-8"
        return None, [Failure(file, line, column, name, "", rule)]


def parse_csv_text(text: str, file: str) -> RawTable:
    """Split CSV text into cells, recording each record's first physical line.

    Structural problems become failures rather than exceptions: a missing or duplicated header
    name, a record with the wrong number of fields, and cells with leading or trailing whitespace.
    Blank lines are skipped. Cells keep their text; empty cells become missing values.
    """
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
        rule = f"CSV syntax error: {error}"
        failures.append(_text_failure(file, reader.line_num, 0, rule))
    if header is None:
        failures.append(_text_failure(file, 1, 0, "file has no header row"))
        return RawTable(pd.DataFrame(), (), tuple(failures))

    for number, name in enumerate(header, start=1):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            failures.append(Failure(file, 1, number, name, name, "header name must be snake_case"))
        elif header.index(name) != number - 1:
            failures.append(Failure(file, 1, number, name, name, "header name is repeated"))

    kept_records: list[list[str]] = []
    kept_lines: list[int] = []
    for line, record in zip(lines, records, strict=True):
        if len(record) != len(header):
            rule = f"row has {len(record)} fields but the header has {len(header)}"
            failures.append(_text_failure(file, line, 0, rule))
            continue
        for number, (name, cell) in enumerate(zip(header, record, strict=True), start=1):
            if cell != cell.strip():
                rule = "leading or trailing whitespace in cell"
                failures.append(Failure(file, line, number, name, cell, rule))
        kept_records.append([cell.strip() for cell in record])
        kept_lines.append(line)

    frame = pd.DataFrame(
        kept_records,
        columns=pd.Index(header),
        index=pd.Index(kept_lines, name="csv_line"),
        dtype=object,
    )
    frame = frame.where(frame != "", None)
    return RawTable(frame, tuple(header), tuple(failures))


def read_raw_table(path: Path, file: str | None = None) -> RawTable:
    """Read one raw CSV file strictly (see :func:`parse_csv_text`)."""
    label = file or str(path)
    if not path.is_file():
        return RawTable(pd.DataFrame(), (), (_text_failure(label, 0, 0, "file is missing"),))
    text, failures = _decode(path.read_bytes(), label)
    if text is None:
        return RawTable(pd.DataFrame(), (), tuple(failures))
    return parse_csv_text(text, label)


def _readable_rule(check: str) -> str:
    name = check.split("(", 1)[0]
    if name in _RULE_WORDING:
        return f"{_RULE_WORDING[name]} [{check}]"
    if name == "coerce_dtype":
        return f"cannot be read as {check[len(name) + 1 : -1]} [{check}]"
    return check


def _schema_failures(
    error: pa.errors.SchemaErrors, header: tuple[str, ...], file: str, model_name: str
) -> list[Failure]:
    """Turn pandera's failure cases into one :class:`Failure` per bad cell (or key, or column)."""
    cases = error.failure_cases
    failures: set[Failure] = set()
    coercions = cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype")]
    coerce_failed = set(zip(coercions["column"], coercions["index"], strict=True))
    coerce_columns = {column for column, _ in coerce_failed}
    for case in cases.itertuples(index=False):
        check, column, index = str(case.check), str(case.column), case.index
        value = "" if pd.isna(case.failure_case) else str(case.failure_case)
        if check.startswith("dtype(") and (column, index) in coerce_failed:
            continue  # pandera repeats a failed coercion as a dtype failure
        if check.startswith("coerce_dtype") and value == "":
            continue  # an empty cell is reported once, as not_nullable
        if index is None and column in coerce_columns and check not in _RULE_WORDING:
            continue  # a check that could not run on a column that failed coercion
        if check == "column_in_dataframe":
            failures.add(Failure(file, 1, 0, value, "", _readable_rule(check)))
            continue
        if check == "column_in_schema" or column == model_name:
            number = header.index(value) + 1 if value in header else 0
            failures.add(Failure(file, 1, number, value, "", _readable_rule(check)))
            continue
        number = header.index(column) + 1 if column in header else 0
        line = int(index) if index is not None and not pd.isna(index) else 1
        if check == "multiple_fields_uniqueness":
            value = ""  # reported once per row below, with the whole key
        failures.add(Failure(file, line, number, column, value, _readable_rule(check)))
    return _merge_key_failures(sorted(failures))


def _merge_key_failures(failures: list[Failure]) -> list[Failure]:
    """Collapse pandera's one-row-per-key-column duplicate-key failures into one per CSV line."""
    merged: dict[tuple[str, int], Failure] = {}
    others: list[Failure] = []
    for failure in failures:
        if not failure.rule.startswith(_RULE_WORDING["multiple_fields_uniqueness"]):
            others.append(failure)
            continue
        key = (failure.file, failure.line)
        if key in merged:
            first = merged[key]
            merged[key] = Failure(
                first.file,
                first.line,
                min(first.column_number, failure.column_number),
                f"{first.column}+{failure.column}",
                "",
                first.rule,
            )
        else:
            merged[key] = failure
    return sorted([*others, *merged.values()])


def _typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Convert ISO-date text to ``datetime64`` and true/false text to nullable booleans."""
    converted: dict[str, pd.Series] = {
        column: pd.to_datetime(frame[column], format="%Y-%m-%d") for column in spec.date_columns
    }
    converted |= {
        column: frame[column].map({"true": True, "false": False}).astype("boolean")
        for column in spec.bool_columns
    }
    return frame.assign(**converted)


def validate_table(raw: RawTable, spec: TableSpec, file: str) -> tuple[pd.DataFrame, list[Failure]]:
    """Validate one table against its model; return the typed frame (empty on failure) and failures."""
    failures = list(raw.failures)
    if raw.frame.empty and not raw.header:
        return pd.DataFrame(), failures
    try:
        validated = spec.model.validate(raw.frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        failures.extend(_schema_failures(error, raw.header, file, spec.model.__name__))
        return pd.DataFrame(), failures
    return _typed(validated, spec), failures


def load_tables(paths: ProjectPaths) -> tuple[dict[str, pd.DataFrame], list[Failure]]:
    """Read and validate every raw table; return the typed tables and every failure found."""
    tables: dict[str, pd.DataFrame] = {}
    failures: list[Failure] = []
    labels = {}
    for name, spec in TABLES.items():
        path = paths.raw_table(name)
        label = display_path(path, paths.root)
        labels[name] = label
        frame, table_failures = validate_table(read_raw_table(path, label), spec, label)
        tables[name] = frame
        failures.extend(table_failures)
    failures.extend(integrity_failures(tables, labels))
    return tables, failures


def validate_raw(paths: ProjectPaths | None = None) -> list[Failure]:
    """Every failure in ``data/raw`` (schema and cross-table); an empty list means valid."""
    return load_tables(paths or project_paths())[1]


def load_raw(paths: ProjectPaths | None = None) -> RawData:
    """Load every raw table, validated and typed.

    Raises :class:`~ots_analysis.errors.DataValidationError` listing every failure if any table
    breaks its schema or a cross-table rule.
    """
    tables, failures = load_tables(paths or project_paths())
    if failures:
        raise DataValidationError(failures)
    return RawData(**tables)
