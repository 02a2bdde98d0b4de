"""The validated raw tables as one object, :class:`RawData`.

It has a module of its own so that both the loader (which builds it) and the validation rules that
run the claims' checks (which need it before the loader returns) can use it without importing each
other.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd


@dataclass(frozen=True)
class RawData:
    """All validated raw tables, typed, indexed by CSV line number."""

    sources: pd.DataFrame
    countries: pd.DataFrame
    memberships: pd.DataFrame
    events: pd.DataFrame
    trade: pd.DataFrame
    trade_aggregates: pd.DataFrame
    defense_cooperation: pd.DataFrame
    arms_suppliers: pd.DataFrame
    trade_world_totals: pd.DataFrame
    country_statistics: pd.DataFrame
    event_themes: pd.DataFrame
    articles: pd.DataFrame
    claims: pd.DataFrame
    claim_evidence: pd.DataFrame
    check_parameters: pd.DataFrame

    def preferred(self, name: str) -> pd.DataFrame:
        """Table ``name`` without the rows kept only to record a disagreeing source."""
        frame: pd.DataFrame = getattr(self, name)
        if "preferred" not in frame.columns:
            return frame
        return frame.loc[frame["preferred"].eq(True)]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in load order."""
        return {field.name: getattr(self, field.name) for field in fields(self)}
