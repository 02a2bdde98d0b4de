"""Build ``data/processed`` from the validated raw data: indicator tables, claims, exports, manifest.

The build computes everything in memory first and writes only when every output exists, then swaps
the whole folder in at once (``ots_analysis.publish``), so a failure, or a kill at any point, leaves
the previous outputs untouched. Outputs are deterministic: CSVs are sorted by key,
numbers have a fixed format per column and lines end in ``\\n``; the manifest holds no timestamps.
Two builds from the same raw data are byte-identical, which CI checks (``ots-analysis build --check``).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from ots_analysis import __version__
from ots_analysis.bibliography import csl_json
from ots_analysis.cells import formula_rule, unsafe_output_cells
from ots_analysis.claimreview import claimreview_jsonld
from ots_analysis.claims import ARTICLE_DATE, claims_register
from ots_analysis.errors import DataValidationError, Failure, display_path
from ots_analysis.indicators import cooperation, memberships, timeline, trade
from ots_analysis.load import RawData
from ots_analysis.paths import ProjectPaths
from ots_analysis.publish import Step, publish
from ots_analysis.schemas import TABLES

MANIFEST_NAME = "manifest.json"
TURKMENISTAN = "TKM"


def compute_tables(raw: RawData) -> dict[str, pd.DataFrame]:
    """Every processed table, by output name (without ``.csv``)."""
    preferred = trade.preferred_figures(raw.trade)
    by_dyad = trade.turnover_by_dyad(raw.trade)
    best = trade.best_estimate(by_dyad)
    years = sorted(best["year"].unique().tolist())
    spells = raw.preferred("memberships")
    members = trade.members_by_year(spells, "OTS", years)
    sums = trade.bilateral_sum_within(best, members)
    defense = raw.preferred("defense_cooperation")
    ties = cooperation.dyad_ties(defense)
    instruments = cooperation.dyad_year_instruments(ties)
    edges = cooperation.network_edges(ties)
    return {
        "trade_preferred_figures": preferred,
        "turnover_by_dyad": by_dyad,
        "turnover_best_estimate": best,
        "mirror_discrepancy": trade.mirror_discrepancy(preferred),
        "turnover_growth": trade.year_on_year_growth(best),
        "turnover_cagr": trade.compound_annual_growth(best),
        "intra_ots_bilateral_sums": sums,
        "aggregate_comparison": trade.aggregate_comparison(raw.trade_aggregates, sums),
        "turkmenistan_suppliers": trade.supplier_shares(trade.import_figures(raw.trade, TURKMENISTAN)),
        "defense_events_by_year": cooperation.events_by_year_and_kind(defense),
        "defense_dyad_year": instruments,
        "cooperation_intensity": cooperation.cooperation_intensity(instruments),
        "intensity_sensitivity": cooperation.weight_sensitivity(instruments),
        "defense_network_edges": edges,
        "defense_network_nodes": cooperation.network_nodes(edges),
        "summit_intervals": timeline.summit_intervals(raw.preferred("events")),
        "membership_matrix": memberships.membership_matrix(
            spells, memberships.ots_focus_countries(spells, raw.countries, ARTICLE_DATE), ARTICLE_DATE
        ),
        "claims": claims_register(raw),
    }


def _float_format(column: str) -> str:
    """US dollars as whole numbers; everything else with six decimals."""
    return "{:.0f}" if column.endswith("_usd") else "{:.6f}"


def to_csv_text(frame: pd.DataFrame) -> str:
    """Deterministic CSV text: fixed number format per column, ISO dates, ``\\n`` line endings."""
    formatted = frame.copy()
    for column in formatted.columns:
        values = formatted[column]
        if pd.api.types.is_float_dtype(values):
            pattern = _float_format(column)
            formatted[column] = values.map(lambda v, p=pattern: "" if pd.isna(v) else p.format(v))
        elif pd.api.types.is_datetime64_any_dtype(values):
            formatted[column] = values.dt.strftime("%Y-%m-%d").fillna("")
    return formatted.to_csv(index=False, lineterminator="\n")


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class BuildResult:
    """The files a build produces, by file name, as bytes, with row counts for the tables."""

    files: dict[str, bytes]
    rows: dict[str, int]


def unsafe_output_failures(
    files: Mapping[str, bytes], processed: Path, root: Path | None = None
) -> list[Failure]:
    """Each cell of a CSV output that a spreadsheet would run as a formula (CSV injection).

    Raw cells are checked on reading, but outputs also hold computed text (a rationale, a formatted
    "-inf"): nothing that begins with ``=``, ``+``, ``@``, a tab, or ``-`` and a letter or ``(``
    may reach ``data/processed``, whose CSVs readers open in spreadsheets.
    """
    failures = []
    for name, data in sorted(files.items()):
        if not name.endswith(".csv"):
            continue
        label = display_path(processed.joinpath(*PurePosixPath(name).parts), root)
        header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8")]), [])
        for line, number, cell in unsafe_output_cells(data.decode("utf-8")):
            column = header[number - 1] if number <= len(header) else ""
            rule = f"output {formula_rule(cell) or 'cell begins like a formula'}"
            failures.append(Failure(label, line, number, column, cell, rule))
    return failures


def render_outputs(raw: RawData, paths: ProjectPaths) -> BuildResult:
    """Compute every output file in memory (nothing is written).

    Raises :class:`~ots_analysis.errors.DataValidationError` if an output CSV would hold a cell that
    a spreadsheet runs as a formula (see :func:`unsafe_output_failures`).
    """
    tables = compute_tables(raw)
    files = {f"{name}.csv": to_csv_text(frame).encode("utf-8") for name, frame in tables.items()}
    unsafe = unsafe_output_failures(files, paths.processed, paths.root)
    if unsafe:
        raise DataValidationError(unsafe)
    rows = {f"{name}.csv": len(frame) for name, frame in tables.items()}
    register = tables["claims"]
    files["claimreview.jsonld"] = claimreview_jsonld(register, raw.sources).encode("utf-8")
    rows["claimreview.jsonld"] = len(register)
    files["references.json"] = csl_json(raw.sources).encode("utf-8")
    rows["references.json"] = len(raw.sources)
    files[MANIFEST_NAME] = manifest_json(files, rows, raw_input_hashes(paths)).encode("utf-8")
    return BuildResult(files, rows)


def raw_input_hashes(paths: ProjectPaths) -> dict[str, str]:
    """sha256 of each raw input file, by file name."""
    return {f"{name}.csv": sha256_bytes(paths.raw_table(name).read_bytes()) for name in TABLES}


def manifest_json(files: Mapping[str, bytes], rows: Mapping[str, int], inputs: Mapping[str, str]) -> str:
    """The manifest: generator version, every output's rows and sha256, every input's sha256."""
    manifest = {
        "generator": f"ots-analysis {__version__}",
        "inputs": {name: {"sha256": digest} for name, digest in sorted(inputs.items())},
        "outputs": {
            name: {"rows": rows[name], "sha256": sha256_bytes(data)} for name, data in sorted(files.items())
        },
    }
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def write_outputs(result: BuildResult, processed: Path, progress: Step | None = None) -> list[Path]:
    """Replace ``processed`` with the build's files as one set (see :mod:`ots_analysis.publish`).

    The whole folder, subfolders included, is swapped in at once, so a reader or a killed build
    never sees a mix of old and new outputs, and outputs the build no longer makes disappear.
    ``progress`` is told of each file operation. Returns the written paths.
    """
    return publish(result.files, processed, on_step=progress)


def _output_files(processed: Path) -> dict[str, Path]:
    """Every file under ``processed`` by its name relative to it ("articles/x/claims.csv")."""
    if not processed.is_dir():
        return {}
    found = {}
    for path in processed.rglob("*"):
        relative = path.relative_to(processed)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found[relative.as_posix()] = path
    return found


def compare_outputs(result: BuildResult, processed: Path) -> list[str]:
    """Differences between a fresh build and the files in ``processed`` (empty = identical)."""
    present = _output_files(processed)
    problems = [f"missing: {name}" for name in sorted(set(result.files) - set(present))]
    problems += [f"not produced by the build: {name}" for name in sorted(set(present) - set(result.files))]
    problems += [
        f"differs from a fresh build: {name}"
        for name in sorted(set(result.files) & set(present))
        if present[name].read_bytes() != result.files[name]
    ]
    return problems
