"""Cells that hold several values separated by ``;`` (source_ids, parties, participants)."""

from __future__ import annotations

import pandas as pd

SEPARATOR = ";"


def explode_list(series: pd.Series) -> pd.Series:
    """One row per value of each ``;``-separated cell, keeping the original index; empty cells drop."""
    return series.dropna().astype(str).str.split(SEPARATOR).explode().astype(str)


def first_item(series: pd.Series) -> pd.Series:
    """The first value of each ``;``-separated cell (missing stays missing)."""
    return series.astype("string").str.split(SEPARATOR).str[0]
