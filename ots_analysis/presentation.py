"""Markdown tables and small summaries for the report; the report's cells only call these.

Tables are pandas ``to_markdown`` pipe tables, which Quarto renders natively in HTML and Typst.
Sources become Pandoc citations (``[@source_id]``) resolved against the generated bibliography.
"""

from __future__ import annotations

import json
from importlib import metadata

import pandas as pd

from ots_analysis.load import RawData
from ots_analysis.paths import ProjectPaths
from ots_analysis.schemas import TABLES, column_descriptions
from ots_analysis.verdicts import label

REPORTED_PACKAGES = ("ots-analysis", "pandas", "pandera", "numpy", "matplotlib", "seaborn", "pycountry")


def cite(source_ids: str) -> str:
    """Pandoc citation for ``;``-separated source ids: ``"a;b"`` -> ``"[@a; @b]"``."""
    return "[" + "; ".join(f"@{source}" for source in source_ids.split(";") if source) + "]"


def _markdown(frame: pd.DataFrame) -> str:
    return frame.to_markdown(index=False, floatfmt=".1f")


def claims_markdown(register: pd.DataFrame, section: int | None = None) -> str:
    """The claims register (optionally one section) as a table: id, claim, verdict, why, sources."""
    rows = register if section is None else register.loc[register["section"].astype(int) == section]
    table = pd.DataFrame(
        {
            "ID": rows["claim_id"],
            "Claim (paraphrase)": rows["claim"],
            "Verdict": rows["final_verdict"].map(label),
            "Why": rows["rationale"],
            "Sources": rows["source_ids"].map(cite),
        }
    )
    return _markdown(table)


def computed_checks_markdown(register: pd.DataFrame) -> str:
    """Claims decided by a computed check: the check, the computed value and its verdict."""
    rows = register.loc[register["check_kind"].notna()]
    table = pd.DataFrame(
        {
            "ID": rows["claim_id"],
            "Check": rows["check_kind"],
            "Computed value": rows["computed_value"].str.replace("|", "/", regex=False),
            "Verdict": rows["computed_verdict"].map(label),
        }
    )
    return _markdown(table)


def aggregates_markdown(comparison: pd.DataFrame, scope: str = "intra_ots") -> str:
    """Dated statements of a trade total next to the bilateral sum the data give for that year.

    ``comparison`` is the ``aggregate_comparison`` table; amounts in USD billion. Statements
    without a year cannot be compared and are left out (they stay in trade_aggregates.csv).
    """
    rows = comparison.loc[(comparison["scope"] == scope) & comparison["year"].notna()]
    table = pd.DataFrame(
        {
            "Year": rows["year"].astype(int),
            "Measure": rows["measure"],
            "Stated (USD bn)": rows["value_usd"] / 1e9,
            "Stated by": rows["stated_by"],
            "Bilateral sum in data (USD bn)": rows["bilateral_sum_usd"] / 1e9,
            "Sources": rows["source_ids"].map(cite),
        }
    )
    return _markdown(table)


def codebook_markdown(name: str) -> str:
    """Columns of raw table ``name`` with their descriptions (read from the pandera model)."""
    descriptions = column_descriptions(name)
    table = pd.DataFrame({"Column": list(descriptions), "Definition": list(descriptions.values())})
    return _markdown(table)


def tables_markdown(raw: RawData) -> str:
    """Each raw table with its row count, schema and validation status."""
    table = pd.DataFrame(
        {
            "File": [f"data/raw/{name}.csv" for name in raw.tables()],
            "Rows": [len(frame) for frame in raw.tables().values()],
            "Schema": [TABLES[name].model.__name__ for name in raw.tables()],
            "Status": "valid",
        }
    )
    return _markdown(table)


def versions_markdown() -> str:
    """Installed versions of the packages the analysis depends on."""
    versions = []
    for package in REPORTED_PACKAGES:
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("not installed")
    return _markdown(pd.DataFrame({"Package": REPORTED_PACKAGES, "Version": versions}))


def manifest_markdown(paths: ProjectPaths) -> str:
    """sha256 of each raw input, from data/processed/manifest.json."""
    manifest = json.loads(paths.manifest.read_text(encoding="utf-8"))
    inputs = manifest["inputs"]
    table = pd.DataFrame(
        {"Input": [f"data/raw/{name}" for name in inputs], "sha256": [v["sha256"] for v in inputs.values()]}
    )
    return _markdown(table)
