"""Build ``data/processed`` from the validated raw data: indicator tables, claims, exports, manifest.

The build computes everything in memory first and writes only when every output exists, so a
failure leaves the previous outputs untouched. Outputs are deterministic: CSVs are sorted by key,
numbers have a fixed format per column and lines end in ``\\n``; the manifest holds no timestamps.
Two builds from the same raw data are byte-identical, which CI checks (``ots-analysis build --check``).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ots_analysis import __version__
from ots_analysis.bibliography import csl_json
from ots_analysis.claimreview import claimreview_jsonld
from ots_analysis.claims import ARTICLE_DATE, claims_register
from ots_analysis.indicators import cooperation, memberships, timeline, trade
from ots_analysis.load import RawData
from ots_analysis.paths import ProjectPaths
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


def render_outputs(raw: RawData, paths: ProjectPaths) -> BuildResult:
    """Compute every output file in memory (nothing is written)."""
    tables = compute_tables(raw)
    files = {f"{name}.csv": to_csv_text(frame).encode("utf-8") for name, frame in tables.items()}
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


def write_outputs(result: BuildResult, processed: Path) -> list[Path]:
    """Write the build into ``processed``: each file atomically, stale outputs removed.

    Files are first written to a temporary folder next to ``processed`` and then moved into place,
    so a reader never sees a half-written file. Returns the written paths.
    """
    processed.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(dir=processed.parent, prefix=".build-") as staging:
        for name, data in sorted(result.files.items()):
            staged = Path(staging) / name
            staged.write_bytes(data)
            target = processed / name
            staged.replace(target)
            written.append(target)
    for stale in sorted(set(processed.iterdir()) - set(written)):
        if stale.is_file() and not stale.name.startswith("."):
            stale.unlink()
    return written


def compare_outputs(result: BuildResult, processed: Path) -> list[str]:
    """Differences between a fresh build and the files in ``processed`` (empty = identical)."""
    present = (
        {p.name: p for p in processed.iterdir() if p.is_file() and not p.name.startswith(".")}
        if processed.is_dir()
        else {}
    )
    problems = [f"missing: {name}" for name in sorted(set(result.files) - set(present))]
    problems += [f"not produced by the build: {name}" for name in sorted(set(present) - set(result.files))]
    problems += [
        f"differs from a fresh build: {name}"
        for name in sorted(set(result.files) & set(present))
        if present[name].read_bytes() != result.files[name]
    ]
    return problems
