"""ots-analysis: a reproducible, sourced fact-check of an article on the Organization of Turkic States.

Typical notebook use::

    from ots_analysis import load_raw, indicators
    raw = load_raw()
    best = indicators.trade.best_estimate(indicators.trade.turnover_by_dyad(raw.trade))

``ots_analysis.figures`` (matplotlib/seaborn) is imported on first use.
"""

from __future__ import annotations

import importlib
from importlib import metadata
from types import ModuleType

from ots_analysis import indicators
from ots_analysis.articles import Article, find_article
from ots_analysis.build import compute_article_tables, compute_tables
from ots_analysis.claims import CHECK_KINDS, claims_register, interval_claims, run_checks
from ots_analysis.errors import DataValidationError, Failure
from ots_analysis.load import RawData, load_raw, validate_raw
from ots_analysis.paths import ProjectPaths, project_paths
from ots_analysis.processed import StaleOutputsError, load_processed
from ots_analysis.schemas import column_descriptions
from ots_analysis.scoreboard import verdict_counts, verdicts_by_section

try:
    __version__ = metadata.version("ots-analysis")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "unknown"

__all__ = [
    "CHECK_KINDS",
    "Article",
    "DataValidationError",
    "Failure",
    "ProjectPaths",
    "RawData",
    "StaleOutputsError",
    "__version__",
    "claims_register",
    "column_descriptions",
    "compute_article_tables",
    "compute_tables",
    "figures",
    "find_article",
    "indicators",
    "interval_claims",
    "load_processed",
    "load_raw",
    "project_paths",
    "run_checks",
    "validate_raw",
    "verdict_counts",
    "verdicts_by_section",
]


def __getattr__(name: str) -> ModuleType:
    if name == "figures":
        return importlib.import_module("ots_analysis.figures")
    raise AttributeError(f"module 'ots_analysis' has no attribute {name!r}")
