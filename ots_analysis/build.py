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
from importlib import metadata
from pathlib import Path, PurePosixPath

import pandas as pd

from ots_analysis.articles import Article, articles_by_id
from ots_analysis.bibliography import csl_json
from ots_analysis.cells import formula_rule, unsafe_output_cells
from ots_analysis.claimreview import claimreview_jsonld
from ots_analysis.claims import claims_register, interval_claims
from ots_analysis.datapackage import descriptor_text, frame_field_type, processed_package
from ots_analysis.errors import DataValidationError, Failure, display_path
from ots_analysis.indicators import cooperation, matrix, memberships, timeline, trade
from ots_analysis.load import RawData
from ots_analysis.paths import DATAPACKAGE_NAME, MANIFEST_NAME, ProjectPaths, article_output_name
from ots_analysis.publish import Step, Warn, publish
from ots_analysis.schemas import TABLES
from ots_analysis.vocab import AGGREGATE_SCOPES, INTRA_SCOPE, MATRIX_OBSERVERS, MATRIX_YEARS


def package_version() -> str:
    """The installed version of ots-analysis (from the package metadata)."""
    try:
        return metadata.version("ots-analysis")
    except metadata.PackageNotFoundError:
        return "unknown"


def compute_tables(raw: RawData) -> dict[str, pd.DataFrame]:
    """Every processed table of the fact base (not specific to an article), by output name."""
    preferred = trade.preferred_figures(raw.preferred("trade"))
    by_dyad = trade.turnover_by_dyad(raw.preferred("trade"))
    best = trade.best_estimate(by_dyad)
    years = sorted(best["year"].unique().tolist())
    spells = raw.preferred("memberships")
    organization = AGGREGATE_SCOPES[INTRA_SCOPE]
    members = trade.members_by_year(spells, organization, years)
    sums = trade.bilateral_sum_within(best, members)
    last_day = pd.Timestamp(year=MATRIX_YEARS[1], month=12, day=31)
    pairs = matrix.matrix_pairs(spells, organization, MATRIX_OBSERVERS, last_day)
    coverage = matrix.trade_coverage(pairs, matrix.matrix_years(MATRIX_YEARS), by_dyad, best)
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
        "trade_disputes": trade.disputed_figures(raw.preferred("trade")),
        "trade_coverage": coverage,
        "trade_coverage_counts": matrix.coverage_counts(coverage),
        "intra_ots_bilateral_sums": sums,
        "aggregate_comparison": trade.aggregate_comparison(raw.trade_aggregates, sums),
        "import_suppliers": trade.suppliers_by_importer(raw.preferred("trade")),
        "defense_events_by_year": cooperation.events_by_year_and_kind(defense),
        "defense_dyad_year": instruments,
        "cooperation_intensity": cooperation.cooperation_intensity(instruments),
        "intensity_sensitivity": cooperation.weight_sensitivity(instruments),
        "defense_network_edges": edges,
        "defense_network_nodes": cooperation.network_nodes(edges),
        "summit_intervals": timeline.summit_intervals(raw.preferred("events")),
        "timeline_events": timeline.timeline_table(raw.preferred("events")),
        "arms_supplier_shares": raw.arms_suppliers.sort_values(
            ["recipient_iso3", "period_end", "period_start", "supplier_iso3"]
        ).reset_index(drop=True),
        "countries": raw.countries[["iso3", "name", "regions"]].sort_values("iso3").reset_index(drop=True),
        "articles": raw.articles.sort_values("article_id").reset_index(drop=True),
    }


def compute_article_tables(raw: RawData, article: Article, register: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The processed tables of one article, by output name: its claims register, its checks'
    parameters, its stated intervals against the data, and the membership matrix on its date."""
    spells = raw.preferred("memberships")
    on = pd.Timestamp(article.published)
    focus = memberships.focus_countries(spells, raw.countries, article.organization, article.region, on)
    parameters = raw.check_parameters
    return {
        "claims": register.loc[register["article_id"] == article.article_id].reset_index(drop=True),
        "check_parameters": parameters.loc[parameters["article_id"] == article.article_id]
        .sort_values(["claim_id", "parameter"])
        .reset_index(drop=True),
        "intervals": interval_claims(raw, article.article_id),
        "membership_matrix": memberships.membership_matrix(spells, focus, on),
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


def column_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """The Table Schema type of each column as written to CSV (integer, number, date, boolean or
    string; the data package declares the same). Recorded in the manifest so that a reader of
    ``data/processed`` gets the same types back (:func:`ots_analysis.processed.read_output`).
    """
    return {str(column): frame_field_type(frame[column]) for column in frame.columns}


@dataclass(frozen=True)
class BuildResult:
    """The files a build produces, by file name, as bytes, with row counts and column kinds."""

    files: dict[str, bytes]
    rows: dict[str, int]
    columns: dict[str, dict[str, str]]


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

    Names are paths relative to the processed folder: the fact base's tables at the top, each
    article's outputs in ``articles/<article_id>/``. Raises
    :class:`~ots_analysis.errors.DataValidationError` if an output CSV would hold a cell that a
    spreadsheet runs as a formula (see :func:`unsafe_output_failures`).
    """
    tables = {f"{name}.csv": frame for name, frame in compute_tables(raw).items()}
    register = claims_register(raw)
    articles = articles_by_id(raw.articles)
    for article in articles.values():
        for name, frame in compute_article_tables(raw, article, register).items():
            tables[article_output_name(article.article_id, f"{name}.csv")] = frame
    files = {name: to_csv_text(frame).encode("utf-8") for name, frame in tables.items()}
    unsafe = unsafe_output_failures(files, paths.processed, paths.root)
    if unsafe:
        raise DataValidationError(unsafe)
    rows = {name: len(frame) for name, frame in tables.items()}
    columns = {name: column_kinds(frame) for name, frame in tables.items()}
    for article in articles.values():
        claims = tables[article_output_name(article.article_id, "claims.csv")]
        name = article_output_name(article.article_id, "claimreview.jsonld")
        files[name] = claimreview_jsonld(claims, article).encode("utf-8")
        rows[name] = len(claims)
    files["references.json"] = csl_json(raw.sources).encode("utf-8")
    rows["references.json"] = len(raw.sources)
    package = processed_package(tables, files)
    files[DATAPACKAGE_NAME] = descriptor_text(package).encode("utf-8")
    rows[DATAPACKAGE_NAME] = len(package["resources"])
    inputs = {
        f"{name}.csv": {"rows": len(frame), "sha256": digest}
        for (name, frame), digest in zip(raw.tables().items(), raw_input_hashes(paths).values(), strict=True)
    }
    files[MANIFEST_NAME] = manifest_json(files, rows, columns, inputs).encode("utf-8")
    return BuildResult(files, rows, columns)


def raw_input_hashes(paths: ProjectPaths) -> dict[str, str]:
    """sha256 of each raw input file, by file name, in load order."""
    return {f"{name}.csv": sha256_bytes(paths.raw_table(name).read_bytes()) for name in TABLES}


def manifest_json(
    files: Mapping[str, bytes],
    rows: Mapping[str, int],
    columns: Mapping[str, Mapping[str, str]],
    inputs: Mapping[str, Mapping[str, object]],
) -> str:
    """The manifest: generator version; every input's rows and sha256; every output's rows, sha256
    and (for tables) the kind of each column."""
    outputs: dict[str, dict[str, object]] = {}
    for name, data in sorted(files.items()):
        outputs[name] = {"rows": rows[name], "sha256": sha256_bytes(data)}
        if name in columns:
            outputs[name]["columns"] = dict(columns[name])
    manifest = {
        "generator": f"ots-analysis {package_version()}",
        "inputs": {name: dict(entry) for name, entry in sorted(inputs.items())},
        "outputs": outputs,
    }
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def _present_files(processed: Path) -> dict[str, Path]:
    """Files under ``processed`` by relative name (``/``-separated), hidden names excluded."""
    if not processed.is_dir():
        return {}
    return {
        path.relative_to(processed).as_posix(): path
        for path in sorted(processed.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(processed).parts)
    }


def write_outputs(
    result: BuildResult,
    processed: Path,
    progress: Step | None = None,
    paths: ProjectPaths | None = None,
    on_warning: Warn | None = None,
) -> list[Path]:
    """Replace ``processed`` with the build's files as one set (see :mod:`ots_analysis.publish`).

    The whole folder, subfolders included, is swapped in at once, so a reader or a killed build
    never sees a mix of old and new outputs, and outputs the build no longer makes disappear.
    ``processed`` must be absent, empty or a folder a build wrote; with ``paths``, it may also not
    overlap the raw folder nor be or contain the project root
    (:class:`~ots_analysis.ownership.UnsafeOutputFolderError`, nothing written). ``progress`` is
    told of each file operation. Returns the written paths.
    """
    protected = {"the raw data folder": paths.raw} if paths else {}
    enclosing = {"the project folder": paths.root} if paths else {}
    return publish(
        result.files,
        processed,
        on_step=progress,
        protected=protected,
        enclosing=enclosing,
        on_warning=on_warning,
    )


def compare_outputs(result: BuildResult, processed: Path) -> list[str]:
    """Differences between a fresh build and the files in ``processed`` (empty = identical)."""
    present = _present_files(processed)
    problems = [f"missing: {name}" for name in sorted(set(result.files) - set(present))]
    problems += [f"not produced by the build: {name}" for name in sorted(set(present) - set(result.files))]
    problems += [
        f"differs from a fresh build: {name}"
        for name in sorted(set(result.files) & set(present))
        if present[name].read_bytes() != result.files[name]
    ]
    return problems
