"""ots-analysis: a reproducible, sourced fact-check of an article on the Organization of Turkic States.

Typical notebook use::

    from ots_analysis import load_raw, indicators
    raw = load_raw()
    best = indicators.trade.best_estimate(indicators.trade.turnover_by_dyad(raw.trade))

``ots_analysis.figures`` (matplotlib/seaborn) is imported on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib
from types import ModuleType

from ots_analysis import indicators
from ots_analysis.build import compute_tables
from ots_analysis.claims import CLAIM_CHECKS, claims_register, run_checks
from ots_analysis.errors import DataValidationError, Failure
from ots_analysis.load import RawData, load_raw, validate_raw
from ots_analysis.paths import ProjectPaths, project_paths
from ots_analysis.scoreboard import verdict_counts, verdicts_by_section

__all__ = [
    "CLAIM_CHECKS",
    "DataValidationError",
    "Failure",
    "ProjectPaths",
    "RawData",
    "__version__",
    "claims_register",
    "compute_tables",
    "figures",
    "indicators",
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
