"""The report's tables as Markdown: read from the build's outputs, laid out to fit the printed page.

Every function returns Markdown that Quarto renders natively in HTML and Typst (pipe tables with
explicit widths, see :mod:`ots_analysis.presentation.markdown`). Sources become Pandoc citations
(``[@source_id]``) resolved against the generated bibliography.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata
from typing import Any

import pandas as pd

from ots_analysis.presentation.markdown import CitationLabels, cite, pipe_table
from ots_analysis.schemas import TABLES, column_descriptions
from ots_analysis.verdicts import label
from ots_analysis.vocab import INTRA_SCOPE

REPORTED_PACKAGES = ("ots-analysis", "pandas", "pandera", "numpy", "matplotlib", "seaborn", "pycountry")
HASH_DIGITS = 12
"""Hex digits of a sha256 shown in the report (the full hashes are in manifest.json)."""


def citation_labels(references: list[dict[str, Any]]) -> dict[str, str]:
    """How each source's citation prints (publisher and year, a literal date such as "not before
    2022-11-01", or n.d.), by source id."""
    labels = {}
    for item in references:
        issued = item.get("issued", {})
        year = issued.get("literal") or issued.get("date-parts", [[None]])[0][0]
        labels[str(item["id"])] = f"{item.get('publisher', '')} {year if year else 'n.d.'}"
    return labels


def computed_checks_markdown(register: pd.DataFrame, labels: CitationLabels | None = None) -> str:
    """Claims decided by a computed check: the check kind, the computed value and its verdict."""
    rows = register.loc[register["check_kind"].notna()]
    table = pd.DataFrame(
        {
            "ID": rows["claim_id"],
            "Check": rows["check_kind"],
            "Computed value": rows["computed_value"].fillna(""),
            "Verdict": rows["computed_verdict"].map(label),
        }
    )
    return pipe_table(table, labels)


def aggregates_markdown(
    comparison: pd.DataFrame, labels: CitationLabels | None = None, scope: str = INTRA_SCOPE
) -> str:
    """Dated statements of a trade total next to the bilateral sum the data give for that year.

    ``comparison`` is the ``aggregate_comparison`` table; amounts in USD billion. Statements
    without a year cannot be compared and are left out (they stay in trade_aggregates.csv).
    """
    rows = comparison.loc[(comparison["scope"] == scope) & comparison["year"].notna()]
    table = pd.DataFrame(
        {
            "Year": rows["year"].astype(int).astype(str),
            "Measure": rows["measure"],
            "Stated (USD bn)": rows["value_usd"] / 1e9,
            "Stated by": rows["stated_by"],
            "Bilateral sum in the data (USD bn)": rows["bilateral_sum_usd"] / 1e9,
            "Pairs in the sum": [
                "" if pd.isna(covered) else f"{int(covered)} of {int(possible)}"
                for covered, possible in zip(rows["dyads_covered"], rows["dyads_possible"], strict=True)
            ],
            "Sources": rows["source_ids"].map(cite),
        }
    )
    return pipe_table(table, labels)


def codebook_markdown(name: str) -> str:
    """Columns of raw table ``name`` with their definitions (read from the pandera model)."""
    descriptions = column_descriptions(name)
    return pipe_table(pd.DataFrame({"Column": list(descriptions), "Definition": list(descriptions.values())}))


def tables_markdown(raw_rows: Mapping[str, int]) -> str:
    """Each raw table with its rows (when the outputs were built) and its schema; all passed validation,
    since the build refuses invalid data."""
    names = [name.removesuffix(".csv") for name in raw_rows]
    table = pd.DataFrame(
        {
            "File": [f"data/raw/{name}.csv" for name in names],
            "Rows": [str(rows) for rows in raw_rows.values()],
            "Schema": [TABLES[name].model.__name__ for name in names],
            "Status": "valid",
        }
    )
    return pipe_table(table)


def versions_markdown() -> str:
    """Installed versions of the packages the analysis depends on."""
    versions = []
    for package in REPORTED_PACKAGES:
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("not installed")
    return pipe_table(pd.DataFrame({"Package": REPORTED_PACKAGES, "Version": versions}))


def inputs_markdown(manifest: Mapping[str, Any]) -> str:
    """The raw inputs the outputs were built from, with the start of their sha256 (manifest.json)."""
    inputs = manifest["inputs"]
    table = pd.DataFrame(
        {
            "Input": [f"data/raw/{name}" for name in inputs],
            f"sha256 (first {HASH_DIGITS} hex digits)": [
                entry["sha256"][:HASH_DIGITS] for entry in inputs.values()
            ],
        }
    )
    return pipe_table(table)


def datapackage_markdown(descriptor: Mapping[str, Any], rows: Mapping[str, int], folder: str) -> str:
    """The resources of a Frictionless data package: name, file (in ``folder``), rows, columns and
    description (left out when no resource has one). ``rows`` are the rows of each file by its path
    in the package (from the manifest)."""
    resources = descriptor.get("resources", [])
    table = pd.DataFrame(
        {
            "Resource": [str(resource["name"]) for resource in resources],
            "File": [f"{folder}/{resource['path']}" for resource in resources],
            "Rows": [str(rows.get(str(resource["path"]), "")) for resource in resources],
            "Columns": [str(len(resource.get("schema", {}).get("fields", []))) for resource in resources],
            "Description": [str(resource.get("description", "")) for resource in resources],
        }
    )
    if not table["Description"].str.strip().any():
        table = table.drop(columns="Description")
    return pipe_table(table)


def codebooks_markdown(descriptor: Mapping[str, Any], heading: str = "###") -> str:
    """A codebook per raw table of the data package ``descriptor``: a heading with the file's name, its
    description, and its columns with their definitions (read from the pandera model)."""
    parts = []
    for resource in descriptor.get("resources", []):
        name = str(resource["name"])
        if name not in TABLES:
            continue
        parts += [
            f"{heading} {resource['path']}",
            str(resource.get("description", "")),
            codebook_markdown(name),
        ]
    return "\n\n".join(parts)


def _usd(value: float) -> str:
    """An amount in US dollars at its own scale, to four significant digits: 1.55 bn, 47.95 mn."""
    if value >= 1e9:
        return f"{value / 1e9:.4g} bn"
    return f"{value / 1e6:.4g} mn"


def disputes_markdown(disputes: pd.DataFrame, labels: CitationLabels | None = None) -> str:
    """The disputed trade figures (``trade_disputes``): equally ranked figures that disagree, with the
    range, the median the indicators use meanwhile, and the sources to settle between (USD)."""
    if disputes.empty:
        return "No trade figure is disputed: every set of equally ranked figures agrees within 5 %."
    table = pd.DataFrame(
        {
            "Reporter": disputes["reporter_iso3"],
            "Partner": disputes["partner_iso3"],
            "Year": disputes["year"].astype(int).astype(str),
            "Flow": disputes["flow"] + " (" + disputes["basis"] + ")",
            "Figures (USD)": [
                f"{_usd(low)} to {_usd(high)}"
                for low, high in zip(disputes["tied_low_usd"], disputes["tied_high_usd"], strict=True)
            ],
            "Spread (%)": disputes["spread_pct"].map(lambda pct: f"{pct:.1f}"),
            "Median used (USD)": disputes["estimate_usd"].map(_usd),
            "Sources": disputes["source_ids"].map(cite),
        }
    )
    return pipe_table(table, labels)
