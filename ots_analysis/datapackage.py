"""Frictionless Data Package descriptors (``datapackage.json``) for data/raw and data/processed.

The raw descriptor is generated from the pandera models of :mod:`ots_analysis.schemas`: each column's
type, description and constraints, each table's primary key, and the cross-table references of
:data:`ots_analysis.references.REFERENCES` as foreign keys. It reads no cell of the data, so it changes
only when a schema does: ``ots-analysis datapackage`` writes it (the build never writes data/raw), and
``ots-analysis validate`` and ``build --check`` fail while the committed file differs.

The processed descriptor is one of the build's outputs: field types come from the built frames,
primary and foreign keys from :data:`PROCESSED_KEYS` (checked against the frames), and each file's size
and sha256 are recorded, so ``frictionless validate`` also proves the files are the ones built.

What Table Schema cannot say stays with pandera and the integrity rules, and the field's description
says so: dates not in the future, upper year bounds that move with the calendar (a committed
descriptor would go stale every 1 January), and references held in ``;``-separated lists (a foreign
key compares whole cells). An ISO code's pattern checks its shape; that pycountry knows the code is
left to pandera.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ots_analysis.cells import max_chars
from ots_analysis.checks import (
    HTTP_URL_PATTERN,
    ISO3_PATTERN,
    ISO639_1_PATTERN,
    MONTH_PERIOD_PATTERN,
    SLUG_PATTERN,
)
from ots_analysis.errors import display_path
from ots_analysis.paths import ProjectPaths
from ots_analysis.references import REFERENCES, Reference
from ots_analysis.schemas import CURRENT_YEAR, TABLES, TableSpec

Descriptor = dict[str, Any]

LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0 International",
    }
]
"""The licence of the data: the curated tables of data/raw and the tables built from them (README,
"Licence", and CITATION.cff say the same; the code is under MIT, as pyproject.toml says)."""

QUOTATIONS_NOTICE = (
    "The curated tables are licensed under CC BY 4.0. The evidence excerpts (the evidence columns) are "
    "short verbatim quotations of the cited pages, kept so that each figure and date can be checked "
    "against its source; their copyright stays with their publishers, and the licence does not cover them."
)
"""What the licence covers and what it does not, in both packages' descriptions."""

REGENERATE = "ots-analysis datapackage"
"""The command that writes data/raw/datapackage.json."""

_MISSING_VALUES = [""]  # an empty cell is a missing value, in raw and processed tables alike

_CHECK_PATTERNS = {
    "slug": SLUG_PATTERN,
    "slug_list": rf"{SLUG_PATTERN}(?:;{SLUG_PATTERN})*",
    "iso3_code": ISO3_PATTERN,
    "iso3_list": rf"{ISO3_PATTERN}(?:;{ISO3_PATTERN})*",
    "http_url": HTTP_URL_PATTERN,
    "iso639_1": ISO639_1_PATTERN,
}
"""Registered checks that a Table Schema pattern expresses (in full, or as the shape of the value)."""


class UnmappedCheckError(ValueError):
    """A pandera check that this module does not know how to describe (add it to the mapping)."""


# --- raw tables: from the pandera models ---------------------------------------------------------------


def _field_type(column: str, dtype: Any, spec: TableSpec) -> str:
    if column in spec.date_columns:
        return "date"
    if column in spec.bool_columns:
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    return "string"


def _moves_with_calendar(bound: Any) -> bool:
    """Year bounds computed from today (``CURRENT_YEAR``, ``CURRENT_YEAR + 30``) are left out."""
    return isinstance(bound, int) and bound >= CURRENT_YEAR


def _unanchored(pattern: str) -> str:
    """A pandera ``str_matches`` pattern without ``^``/``$``: Table Schema patterns match the whole cell."""
    return pattern.removeprefix("^").removesuffix("$")


_VALIDATE_CHECKS = "(`ots-analysis validate` checks this)"


def _check_constraints(check: pa.Check, field_type: str, where: str) -> tuple[dict[str, Any], str]:
    """The Table Schema constraints that express one pandera check, and a sentence for the description
    where they cannot."""
    name, stats = check.name, check.statistics or {}
    if name in _CHECK_PATTERNS:
        return {"pattern": _CHECK_PATTERNS[name]}, ""
    if name == "iso_date":
        return {}, ""  # the field's type is date
    if name == "distinct_items":
        return {}, f" No value is listed twice {_VALIDATE_CHECKS}."
    if name == "not_in_future":
        return {}, f" Not in the future {_VALIDATE_CHECKS}."
    if name == "not_before":
        return {"minimum": stats["earliest"]}, ""
    if name == "month_period":
        note = f" The first month is not after the last {_VALIDATE_CHECKS}."
        return {"pattern": MONTH_PERIOD_PATTERN}, note
    if name == "isin":
        # true/false cells are typed boolean, which already allows nothing else
        return ({} if field_type == "boolean" else {"enum": list(stats["allowed_values"])}), ""
    if name == "str_matches":
        return {"pattern": _unanchored(stats["pattern"])}, ""
    if name == "at_most_words":
        return {"pattern": rf"\S+(?:\s+\S+){{0,{int(stats['max_words']) - 1}}}"}, ""
    if name == "greater_than_or_equal_to":
        return {"minimum": stats["min_value"]}, ""
    if name == "less_than_or_equal_to":
        bound = stats["max_value"]
        if not _moves_with_calendar(bound):
            return {"maximum": bound}, ""
        ahead = bound - CURRENT_YEAR
        when = f"{ahead} years after the current year" if ahead else "the current year"
        return {}, f" At most {when} {_VALIDATE_CHECKS}."
    raise UnmappedCheckError(
        f"{where}: pandera check {name!r} has no Table Schema equivalent in ots_analysis.datapackage; "
        "map it to a constraint (or to a sentence of the description)"
    )


def _reference_note(ref: Reference) -> str:
    target = f"{ref.target}.csv ({', '.join(ref.target_columns)})"
    if ref.listed:
        what = f"Each ';'-separated value must be a key of {target}"
    else:
        what = f"The value must be one of the ';'-separated values in {target}"
    return f" {what} {_VALIDATE_CHECKS}; a list is not a Frictionless foreign key."


def _raw_field(column: str, schema: pa.Column, spec: TableSpec) -> Descriptor:
    field_type = _field_type(column, schema.dtype.type, spec)
    constraints: dict[str, Any] = {}
    if not schema.nullable:
        constraints["required"] = True
    if schema.unique:
        constraints["unique"] = True
    if field_type == "string":
        constraints["maxLength"] = max_chars(schema)
    description = schema.description or ""
    for check in schema.checks:
        found, note = _check_constraints(check, field_type, f"{spec.name}.{column}")
        if "pattern" in found and "pattern" in constraints:
            raise UnmappedCheckError(f"{spec.name}.{column}: two checks need a pattern; Table Schema has one")
        constraints |= found
        description += note
    for ref in REFERENCES:
        if ref.table == spec.name and column in ref.columns and not ref.is_foreign_key:
            description += _reference_note(ref)
    field: Descriptor = {"name": column, "type": field_type, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _primary_key(schema: pa.DataFrameSchema) -> list[str]:
    """The composite ``Config.unique`` key, else the one column declared ``unique``; empty if neither."""
    if schema.unique:
        return list(schema.unique)
    unique = [name for name, column in schema.columns.items() if column.unique]
    return unique[:1]


def _foreign_key(columns: tuple[str, ...], target: str, target_columns: tuple[str, ...]) -> Descriptor:
    return {"fields": list(columns), "reference": {"resource": target, "fields": list(target_columns)}}


def _description(model: type) -> str:
    return " ".join(inspect.cleandoc(model.__doc__ or "").split())


def raw_resource(spec: TableSpec) -> Descriptor:
    """The tabular data resource of one raw table."""
    schema = spec.model.to_schema()
    table_schema: Descriptor = {
        "fields": [
            _raw_field(column, column_schema, spec) for column, column_schema in schema.columns.items()
        ],
        "missingValues": _MISSING_VALUES,
    }
    key = _primary_key(schema)
    if key:
        table_schema["primaryKey"] = key
    foreign_keys = [
        _foreign_key(ref.columns, ref.target, ref.target_columns)
        for ref in REFERENCES
        if ref.table == spec.name and ref.is_foreign_key
    ]
    if foreign_keys:
        table_schema["foreignKeys"] = foreign_keys
    return {
        "name": spec.name,
        "path": f"{spec.name}.csv",
        "profile": "tabular-data-resource",
        "description": _description(spec.model),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table_schema,
    }


def raw_package() -> Descriptor:
    """The descriptor of data/raw, generated from the pandera schemas alone."""
    return {
        "profile": "tabular-data-package",
        "name": "ots-analysis-raw",
        "title": "ots-analysis: hand-curated tables of a fact-check on the Organization of Turkic States",
        "description": (
            "Hand-curated tables: trade figures, stated totals, memberships, the OTS timeline, defence "
            "cooperation, arms suppliers, and the claims of the checked articles with their verdicts and "
            "check parameters. Every row names the page it was read on (source_ids, keys of sources.csv) "
            "and, for a figure or date, quotes the words that state it (evidence). Generated from the "
            "pandera schemas by `ots-analysis datapackage`; `ots-analysis validate` checks what Table "
            f"Schema cannot express. {QUOTATIONS_NOTICE}"
        ),
        "licenses": LICENSES,
        "sources": [
            {
                "title": "The pages each row was read on, listed in sources.csv (title, publisher, URL, "
                "publication and access dates)",
                "path": "sources.csv",
            }
        ],
        "resources": [raw_resource(spec) for spec in TABLES.values()],
    }


# --- processed tables: from the built frames -----------------------------------------------------------


@dataclass(frozen=True)
class ForeignKey:
    """Columns whose values must be keys of another table in the same folder (same names by default)."""

    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ProcessedKeys:
    """The primary key of a processed table, and its foreign keys."""

    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()


_DYAD = ("country_a", "country_b")
_DYAD_YEAR = (*_DYAD, "year")
_FIGURE = ("reporter_iso3", "partner_iso3", "year", "flow")

PROCESSED_KEYS: Mapping[str, ProcessedKeys] = {
    "trade_preferred_figures": ProcessedKeys(_FIGURE),
    "turnover_by_dyad": ProcessedKeys((*_DYAD_YEAR, "reporter_iso3")),
    "turnover_best_estimate": ProcessedKeys(_DYAD_YEAR, (ForeignKey(_DYAD_YEAR, "turnover_by_dyad"),)),
    "mirror_discrepancy": ProcessedKeys(_FIGURE, (ForeignKey(_FIGURE, "trade_preferred_figures"),)),
    "turnover_growth": ProcessedKeys(_DYAD_YEAR, (ForeignKey(_DYAD_YEAR, "turnover_best_estimate"),)),
    "turnover_cagr": ProcessedKeys(_DYAD, (ForeignKey(_DYAD, "turnover_best_estimate"),)),
    "trade_disputes": ProcessedKeys((*_FIGURE, "basis")),
    "trade_coverage": ProcessedKeys(_DYAD_YEAR),
    "trade_coverage_counts": ProcessedKeys(("pair_group", "coverage")),
    "intra_ots_bilateral_sums": ProcessedKeys(("year",)),
    "aggregate_comparison": ProcessedKeys(("aggregate_id",)),
    "import_suppliers": ProcessedKeys(("importer_iso3", "year", "supplier_iso3")),
    "defense_events_by_year": ProcessedKeys(("year", "kind")),
    "defense_dyad_year": ProcessedKeys((*_DYAD_YEAR, "kind")),
    "cooperation_intensity": ProcessedKeys(_DYAD, (ForeignKey(_DYAD, "defense_network_edges"),)),
    "intensity_sensitivity": ProcessedKeys(
        ("scenario", *_DYAD), (ForeignKey(_DYAD, "cooperation_intensity"),)
    ),
    "defense_network_edges": ProcessedKeys(
        _DYAD,
        (
            ForeignKey(("country_a",), "defense_network_nodes", ("iso3",)),
            ForeignKey(("country_b",), "defense_network_nodes", ("iso3",)),
        ),
    ),
    "defense_network_nodes": ProcessedKeys(("iso3",)),
    "summit_intervals": ProcessedKeys(("from_event", "to_event")),
    "timeline_events": ProcessedKeys(("event_id",)),
    # a share's period can be unstated, so the period cannot be part of the key
    "arms_supplier_shares": ProcessedKeys(("recipient_iso3", "supplier_iso3", "measure", "source_ids")),
    "countries": ProcessedKeys(("iso3",)),
    "articles": ProcessedKeys(("article_id",)),
    # one of each per article, in articles/<article_id>/
    "claims": ProcessedKeys(("article_id", "claim_id")),
    "intervals": ProcessedKeys(("claim_id",), (ForeignKey(("claim_id",), "claims"),)),
    "check_parameters": ProcessedKeys(("claim_id", "parameter")),
    "membership_matrix": ProcessedKeys(("iso3",)),
}
"""Keys of every processed table, by file stem. A table missing here stops the build."""

_JSON_MEDIA_TYPES = {".json": "application/json", ".jsonld": "application/ld+json"}


def frame_field_type(values: pd.Series) -> str:
    """The Table Schema type of a built column: boolean, integer, number, date or string."""
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_integer_dtype(values):
        return "integer"
    if pd.api.types.is_float_dtype(values):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    return "string"


def _resource_name(filename: str) -> str:
    """``articles/<id>/claims.csv`` -> ``articles.<id>.claims`` (names allow letters, digits, ``.-_``)."""
    path = PurePosixPath(filename)
    return ".".join((*path.parent.parts, path.stem)).lower()


def _file_facts(data: bytes) -> Descriptor:
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def processed_keys(filename: str, frame: pd.DataFrame) -> ProcessedKeys:
    """The declared keys of a processed table, after checking the frame honours its primary key."""
    stem = PurePosixPath(filename).stem
    if stem not in PROCESSED_KEYS:
        raise KeyError(
            f"processed table {filename} has no entry in ots_analysis.datapackage.PROCESSED_KEYS: "
            "declare its primary key (the columns that identify a row)"
        )
    keys = PROCESSED_KEYS[stem]
    key = list(keys.primary_key)
    if frame[key].isna().any().any() or frame.duplicated(key).any():
        raise ValueError(f"{filename}: ({', '.join(key)}) is declared its primary key but is not unique")
    return keys


def processed_resource(filename: str, frame: pd.DataFrame, data: bytes) -> Descriptor:
    """The tabular data resource of one built CSV (``filename`` relative to data/processed)."""
    keys = processed_keys(filename, frame)
    folder = PurePosixPath(filename).parent
    table_schema: Descriptor = {
        "fields": [
            {"name": str(column), "type": frame_field_type(frame[column])} for column in frame.columns
        ],
        "missingValues": _MISSING_VALUES,
        "primaryKey": list(keys.primary_key),
    }
    if keys.foreign_keys:
        table_schema["foreignKeys"] = [
            _foreign_key(
                key.columns,
                _resource_name(str(folder / f"{key.target}.csv")),
                key.target_columns or key.columns,
            )
            for key in keys.foreign_keys
        ]
    return {
        "name": _resource_name(filename),
        "path": filename,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **_file_facts(data),
        "schema": table_schema,
    }


def processed_package(tables: Mapping[str, pd.DataFrame], files: Mapping[str, bytes]) -> Descriptor:
    """The descriptor of data/processed: every built table (``tables``, by file name) and every JSON
    export among ``files``, with sizes and sha256 of the bytes in ``files``."""
    resources = [processed_resource(name, tables[name], files[name]) for name in sorted(tables)]
    for name in sorted(files):
        suffix = PurePosixPath(name).suffix
        if name not in tables and suffix in _JSON_MEDIA_TYPES:
            resources.append(
                {
                    "name": _resource_name(name),
                    "path": name,
                    "profile": "data-resource",
                    "format": suffix.removeprefix("."),
                    "mediatype": _JSON_MEDIA_TYPES[suffix],
                    "encoding": "utf-8",
                    **_file_facts(files[name]),
                }
            )
    return {
        "profile": "data-package",
        "name": "ots-analysis-processed",
        "title": "ots-analysis: tables built from the hand-curated data",
        "description": (
            "Indicators (trade turnover by dyad, mirror discrepancies, intra-OTS sums, supplier shares, "
            "defence-cooperation intensity and network, summit intervals) and, per article in "
            "articles/<article_id>/, the claims register with computed verdicts, the stated intervals and "
            "the membership matrix, plus CSL JSON references and ClaimReview JSON-LD. Written by "
            f"`ots-analysis build` from data/raw; do not edit. {QUOTATIONS_NOTICE}"
        ),
        "licenses": LICENSES,
        "sources": [
            {
                "title": "The hand-curated tables of data/raw, described by data/raw/datapackage.json",
                "path": "../raw/datapackage.json",
            }
        ],
        "resources": resources,
    }


# --- text, and the committed raw descriptor ------------------------------------------------------------


def descriptor_text(descriptor: Descriptor) -> str:
    """Deterministic JSON: two-space indent, keys in the order built, UTF-8 letters kept, final newline."""
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def raw_package_problems(paths: ProjectPaths) -> list[str]:
    """Why the committed data/raw/datapackage.json is not what the schemas generate (empty if it is)."""
    path = paths.raw_datapackage
    shown = display_path(path, paths.root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [f"{shown} is missing: run `{REGENERATE}` and commit it"]
    except IsADirectoryError:
        return [f"{shown} is a folder, not a file: remove it, run `{REGENERATE}` and commit it"]
    except OSError as error:
        return [f"{shown} cannot be read ({error.strerror or error}): check its permissions"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        return [f"{shown} is not UTF-8 text (byte 0x{bad} on line {line}): run `{REGENERATE}` and commit it"]
    if text != descriptor_text(raw_package()):
        return [f"{shown} differs from what the schemas generate: run `{REGENERATE}` and commit it"]
    return []


def write_raw_package(paths: ProjectPaths) -> int:
    """Write data/raw/datapackage.json from the schemas; return the number of tables described."""
    package = raw_package()
    paths.raw_datapackage.write_text(descriptor_text(package), encoding="utf-8", newline="\n")
    return len(package["resources"])
