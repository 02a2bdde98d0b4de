"""Memberships: who holds which status in which organisation on a given date."""

from __future__ import annotations

import pandas as pd

from ots_analysis.multivalue import explode_list
from ots_analysis.vocab import ORGANIZATIONS


def active_spells(memberships: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Spells running on date ``on`` (started on or before it, not ended before it)."""
    started = memberships["start_date"] <= on
    not_ended = memberships["end_date"].isna() | (memberships["end_date"] >= on)
    return memberships.loc[started & not_ended]


def focus_countries(
    memberships: pd.DataFrame,
    countries: pd.DataFrame,
    organization: str,
    region: str | None,
    on: pd.Timestamp,
) -> list[str]:
    """The states holding any status in ``organization`` on ``on``, plus the states of ``region``
    (as listed in ``countries.regions``), sorted."""
    holders = active_spells(memberships.loc[memberships["organization"] == organization], on)
    listed = explode_list(countries.set_index("iso3")["regions"])
    in_region = listed.index[listed == region] if region else pd.Index([])
    return sorted(set(holders["iso3"]) | set(in_region))


def membership_matrix(memberships: pd.DataFrame, iso3s: list[str], on: pd.Timestamp) -> pd.DataFrame:
    """Status of each country in each organisation on date ``on`` (empty string = none).

    One row per country of ``iso3s``, one column per organisation (OTS, NATO, CSTO, EAEU, CIS, SCO).
    """
    current = active_spells(memberships, on)[["iso3", "organization", "status"]]
    wide = current.pivot_table(index="iso3", columns="organization", values="status", aggfunc="first")
    wide = wide.reindex(index=iso3s, columns=list(ORGANIZATIONS)).fillna("")
    return wide.rename_axis(index="iso3", columns=None).reset_index()
