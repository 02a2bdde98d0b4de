"""Read the hand-curated CSV tables of ``data/raw``, validate them, and return typed DataFrames.

Every other module reads data through :func:`load_raw`. Reading is strict: a file must be a regular
UTF-8 file without a byte-order mark, comma-separated with consistent line ends, parse as CSV, and
be rectangular (``ots_analysis.csvfile``); its header must be exactly the model's columns in order;
every cell must pass the text rules of ``ots_analysis.cells`` (no invisible characters, no formula
prefixes, plain ASCII numbers, a length limit, one script per word); then each table is validated
lazily against its pandera model (``ots_analysis.schemas``) and all tables together against the
cross-table rules (``ots_analysis.integrity``, which runs ``ots_analysis.coherence``'s too). Every
failure is collected before anything is raised, so one run reports them all, root causes first: a
file that cannot be parsed, or whose header is wrong, is reported as such and nothing else is
checked in it; a table with any failure takes no part in the cross-table rules (whose failures
would only be echoes). The returned frames are indexed by their CSV line number (``csv_line``),
which keeps each row traceable to the file.

Validating a table is memoised on the file's bytes within a process (:func:`clear_cache` empties
it), so loading unchanged files again, as tests and the fuzz runs do, costs only the cross-table
rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ots_analysis.cells import cell_failures, header_failures, model_columns
from ots_analysis.csvfile import (
    RawTable,
    parse_csv_text,
    read_bytes,
    read_raw_table,
    table_from_bytes,
    text_failure,
)
from ots_analysis.errors import DataValidationError, Failure, display_path
from ots_analysis.integrity import FINAL_RULES, TABLE_RULES, integrity_failures
from ots_analysis.paths import ProjectPaths, project_paths
from ots_analysis.raw_data import RawData
from ots_analysis.schemas import PATTERN_WORDS, TABLES, TableSpec
from ots_analysis.trade_rules import unsettled_disputes

__all__ = [
    "Progress",
    "RawData",
    "RawTable",
    "clear_cache",
    "load_raw",
    "load_tables",
    "parse_csv_text",
    "raw_warnings",
    "read_raw_table",
    "table_labels",
    "unexpected_raw_files",
    "validate_raw",
    "validate_table",
]

Progress = Callable[[str], None]
"""Called with a short description of each step (e.g. ``"validating raw/trade.csv"``)."""

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
    "distinct_items": "a value is repeated in this ';'-separated list: name each one once",
    "http_url": "must be an absolute http(s) URL",
    "iso_date": "must be a calendar date written YYYY-MM-DD",
    "not_in_future": "date must not be in the future",
    "greater_than_or_equal_to": "value is below the allowed minimum",
    "less_than_or_equal_to": "value is above the allowed maximum",
    "in_range": "value is outside the allowed range",
    "isin": "value is not one of the allowed values",
    "str_matches": "value does not have the required form",
    "at_most_words": "evidence excerpt is longer than the word limit",
    "not_before": "date is earlier than this table can hold (a typo in the year?)",
    "iso639_1": "must be an ISO 639-1 language code: two lowercase letters such as en, ru, tr",
    "month_period": "must be full_year or a month range such as jan-sep (first month not after the last)",
}


def _words(text: str) -> int:
    return len(re.findall(r"\S+", text))  # as the at_most_words check counts them


_LIMIT_WORDING: dict[str, Callable[[Mapping[str, Any], str, str], str]] = {
    "at_most_words": lambda stats, column, value: (
        f"{column} has {_words(value)} words; at most {stats['max_words']}"
    ),
    "greater_than_or_equal_to": lambda stats, _, value: f"{value} is below the minimum, {stats['min_value']}",
    "less_than_or_equal_to": lambda stats, _, value: f"{value} is above the maximum, {stats['max_value']}",
    "in_range": lambda stats, _, value: f"{value} is outside {stats['min_value']} to {stats['max_value']}",
    "not_before": lambda stats, _, value: (
        f"{value} is before {stats['earliest']}, the earliest date this column holds (a typo in the year?)"
    ),
}
"""Rules with a limit, worded with the value and the limit it broke (from the check's statistics)."""


def _check_statistics(schema: pa.DataFrameSchema, column: str, check: str) -> dict[str, Any] | None:
    """The statistics of the check named in ``check`` (e.g. ``less_than_or_equal_to(12)``) on ``column``."""
    name = check.split("(", 1)[0]
    if column not in schema.columns:
        return None
    found = [c.statistics for c in schema.columns[column].checks if c.name == name]
    return dict(found[0] or {}) if found else None


def _readable_rule(
    check: str, statistics: Mapping[str, Any] | None = None, column: str = "", value: str = ""
) -> str:
    """The rule a pandera check stands for, in words; with the check's ``statistics`` and the failing
    ``value``, a limit's message gives the value or count that broke it, and a pattern's says the
    expected form in words (``PATTERN_WORDS``) rather than as a regular expression."""
    name = check.split("(", 1)[0]
    if statistics is not None:
        if name == "str_matches" and statistics.get("pattern") in PATTERN_WORDS:
            return PATTERN_WORDS[statistics["pattern"]]
        if name in _LIMIT_WORDING:
            return f"{_LIMIT_WORDING[name](statistics, column, value)} [{check}]"
    if name in _RULE_WORDING:
        return f"{_RULE_WORDING[name]} [{check}]"
    if name == "coerce_dtype":
        return f"cannot be read as {check[len(name) + 1 : -1]} [{check}]"
    return check


def _schema_failures(
    error: pa.errors.SchemaErrors, header: tuple[str, ...], file: str, model: type[pa.DataFrameModel]
) -> list[Failure]:
    """Turn pandera's failure cases into one :class:`Failure` per bad cell (or key, or column)."""
    model_name, schema = model.__name__, model.to_schema()
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
        rule = _readable_rule(check, _check_statistics(schema, column, check), column, value)
        failures.add(Failure(file, line, number, column, value, rule))
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


def _as_written(failures: list[Failure], text: pd.DataFrame) -> list[Failure]:
    """Show each failing cell's value as written in the file, not as pandera converted it."""
    shown = []
    for failure in failures:
        if failure.line in text.index and failure.column in text.columns:
            cell = text.loc[failure.line, failure.column]
            if isinstance(cell, str) and failure.value != "":
                failure = replace(failure, value=cell)
        shown.append(failure)
    return shown


def validate_table(raw: RawTable, spec: TableSpec, file: str) -> tuple[pd.DataFrame, list[Failure]]:
    """Validate one table; return the typed frame and the failures, root causes first.

    A table that could not be read, or whose header is not the model's columns in order, yields only
    those failures (checking its cells would report echoes of the same mistake). Otherwise each cell
    gets the text rules of :mod:`ots_analysis.cells`, then the pandera model; a cell already
    reported by a text rule is not reported again by the model. The frame is empty if anything
    failed, so that the cross-table rules only see whole, valid tables.
    """
    failures = list(raw.failures)
    if not raw.complete:
        return pd.DataFrame(), failures
    problems = header_failures(raw.header, model_columns(spec.model), file)
    header_level = [failure for failure in failures if failure.line <= 1]
    if problems or header_level:
        return pd.DataFrame(), sorted({*header_level, *problems})
    text = cell_failures(raw.frame, spec.model, file)
    failures += text
    reported = {(failure.line, failure.column_number) for failure in text}
    stripped = raw.frame.apply(lambda column: column.str.strip()) if not raw.frame.empty else raw.frame
    stripped = stripped.where(stripped != "", None)
    try:
        validated = spec.model.validate(stripped, lazy=True)
    except pa.errors.SchemaErrors as error:
        schema = _schema_failures(error, raw.header, file, spec.model)
        failures += [f for f in _as_written(schema, raw.frame) if (f.line, f.column_number) not in reported]
    if failures:
        return pd.DataFrame(), failures
    return _typed(validated, spec), failures


@lru_cache(maxsize=64)
def _validated_bytes(
    name: str, data: bytes | None, problem: str | None, label: str, today: dt.date
) -> tuple[pd.DataFrame, tuple[Failure, ...]]:
    """:func:`validate_table` on one file's bytes, memoised (``today`` keys the date rules)."""
    del today  # part of the cache key only
    spec = TABLES[name]
    if data is None:
        raw = RawTable(pd.DataFrame(), (), (text_failure(label, 0, 0, problem or "file is missing"),), False)
    else:
        raw = table_from_bytes(data, label)
    frame, failures = validate_table(raw, spec, label)
    return frame, tuple(failures)


def clear_cache() -> None:
    """Forget memoised validations (benchmarks time a cold load with it)."""
    _validated_bytes.cache_clear()
    _final_rule_failures.cache_clear()


def load_tables(
    paths: ProjectPaths, progress: Progress | None = None, *, verdicts_must_agree: bool = True
) -> tuple[dict[str, pd.DataFrame], list[Failure]]:
    """Read and validate every raw table; return the typed tables and every failure found.

    A table with any failure is returned empty, which keeps it out of the cross-table rules. When
    every table and every cross-table rule passes, the claims' checks are run and each curated verdict
    that differs from its computed one is a failure (``integrity.FINAL_RULES``); with
    ``verdicts_must_agree=False`` they are not run (``ots-analysis claims`` shows the disagreements
    itself).
    """
    tables: dict[str, pd.DataFrame] = {}
    failures: list[Failure] = []
    labels = {}
    contents: list[bytes | None] = []
    raw_label = display_path(paths.raw, paths.root)
    if not paths.raw.is_dir():
        why = "is not a folder" if paths.raw.exists() else "folder does not exist"
        return {name: pd.DataFrame() for name in TABLES}, [text_failure(raw_label, 0, 0, why)]
    for name, label in table_labels(paths).items():
        path = paths.raw_table(name)
        labels[name] = label
        if progress is not None:
            progress(f"validating {label}")
        data, problem = read_bytes(path)
        contents.append(data)
        frame, table_failures = _validated_bytes(name, data, problem, label, dt.date.today())
        tables[name] = frame.copy(deep=False)
        failures.extend(table_failures)
    if progress is not None:
        progress("checking the rules across tables")
    failures.extend(integrity_failures(tables, labels, TABLE_RULES, final_rules=()))
    if verdicts_must_agree and not failures:
        if progress is not None:
            progress("running the claims' checks")
        key = (tuple(contents), tuple(labels.items()), dt.date.today())
        failures.extend(_final_rule_failures(_Keyed(key, tables, labels)))
    return tables, failures


def table_labels(paths: ProjectPaths) -> dict[str, str]:
    """How messages name each raw table's file (relative to the project root where possible)."""
    return {name: display_path(paths.raw_table(name), paths.root) for name in TABLES}


def raw_warnings(raw: RawData, paths: ProjectPaths) -> list[Failure]:
    """Warnings about valid raw data, which ``validate`` prints and which do not stop a build: the trade
    disputes a curator has not settled yet (:func:`ots_analysis.trade_rules.unsettled_disputes`), at
    the rows to settle."""
    return sorted(unsettled_disputes(raw.tables(), table_labels(paths)))


@dataclass(frozen=True, eq=False)
class _Keyed:
    """Valid tables with the bytes and labels they were read from, which alone make the cache key."""

    key: tuple[object, ...]
    tables: dict[str, pd.DataFrame]
    labels: dict[str, str]

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and self.key == other.key


@lru_cache(maxsize=8)
def _final_rule_failures(data: _Keyed) -> tuple[Failure, ...]:
    """The rules that run the claims' checks, memoised on the raw files' bytes (the checks take tens
    of milliseconds, and tests and notebooks load the same data many times)."""
    return tuple(integrity_failures(data.tables, data.labels, rules=(), final_rules=FINAL_RULES))


def unexpected_raw_files(paths: ProjectPaths) -> list[Failure]:
    """Warnings, not failures: each CSV file in the raw folder that is not a table of the schema.

    Such a file is not read, which is worth knowing when it was meant to be (a misspelt name, a
    table saved under a new name).
    """
    if not paths.raw.is_dir():
        return []
    known = {paths.raw_table(name).name for name in TABLES}
    return [
        text_failure(
            display_path(path, paths.root),
            0,
            0,
            f"not a table of the schema, so it is not read (tables: {', '.join(sorted(known))})",
        )
        for path in sorted(paths.raw.iterdir())
        if path.name.lower().endswith(".csv") and path.name not in known
    ]


def validate_raw(paths: ProjectPaths | None = None, progress: Progress | None = None) -> list[Failure]:
    """Every failure in ``data/raw`` (schema, cross-table rules, conventions, and curated verdicts that
    differ from their checks); an empty list means valid."""
    return load_tables(paths or project_paths(), progress)[1]


def load_raw(
    paths: ProjectPaths | None = None, progress: Progress | None = None, *, verdicts_must_agree: bool = True
) -> RawData:
    """Load every raw table, validated and typed.

    Raises :class:`~ots_analysis.errors.DataValidationError` listing every failure if any table
    breaks its schema, a cross-table rule or a convention, or (unless ``verdicts_must_agree`` is
    False) if a curated verdict differs from its computed check.
    """
    tables, failures = load_tables(
        paths or project_paths(), progress, verdicts_must_agree=verdicts_must_agree
    )
    if failures:
        raise DataValidationError(failures)
    return RawData(**tables)
