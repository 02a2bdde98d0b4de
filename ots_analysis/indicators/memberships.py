"""Memberships: who holds which status in which organisation on a given date."""

from __future__ import annotations

import pandas as pd

from ots_analysis.schemas import ORGANIZATIONS


def active_spells(memberships: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Spells running on date ``on`` (started on or before it, not ended before it)."""
    started = memberships["start_date"] <= on
    not_ended = memberships["end_date"].isna() | (memberships["end_date"] >= on)
    return memberships.loc[started & not_ended]


def ots_focus_countries(memberships: pd.DataFrame, countries: pd.DataFrame, on: pd.Timestamp) -> list[str]:
    """The OTS members and observers on ``on`` plus the five Central Asian states, sorted."""
    ots = active_spells(memberships.loc[memberships["organization"] == "OTS"], on)
    central_asia = countries.loc[countries["central_asia"].eq(True), "iso3"]
    return sorted(set(ots["iso3"]) | set(central_asia))


def membership_matrix(memberships: pd.DataFrame, iso3s: list[str], on: pd.Timestamp) -> pd.DataFrame:
    """Status of each country in each organisation on date ``on`` (empty string = none).

    One row per country of ``iso3s``, one column per organisation (OTS, NATO, CSTO, EAEU, CIS, SCO).
    """
    current = active_spells(memberships, on)[["iso3", "organization", "status"]]
    wide = current.pivot_table(index="iso3", columns="organization", values="status", aggfunc="first")
    wide = wide.reindex(index=iso3s, columns=list(ORGANIZATIONS)).fillna("")
    return wide.rename_axis(index="iso3", columns=None).reset_index()
