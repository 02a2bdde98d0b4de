"""The real data: valid, and covering what the seed article's claims need.

Every rule of the data is a validation rule (schemas, ``integrity``, ``conventions``), tested on broken
copies in test_bad_input.py and test_conventions.py; here the real data must pass them all. The other
tests are the seed article's coverage conventions (README, "Checking another article"): what the
tables must hold for its claims to be checked at all, which no rule about a row can say.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ots_analysis.load import RawData, validate_raw
from ots_analysis.paths import ProjectPaths

TURKEY_PARTNERS = ("AZE", "KAZ", "KGZ", "UZB", "TKM")


def test_real_data_has_no_validation_failures(real_paths: ProjectPaths) -> None:
    assert validate_raw(real_paths) == []


@pytest.mark.parametrize("partner", TURKEY_PARTNERS)
def test_turkey_trade_with_each_partner_is_covered_2019_2024(raw: RawData, partner: str) -> None:
    trade = raw.trade
    dyad = trade.loc[
        ((trade["reporter_iso3"] == "TUR") & (trade["partner_iso3"] == partner))
        | ((trade["reporter_iso3"] == partner) & (trade["partner_iso3"] == "TUR"))
    ]
    years = set(dyad["year"])
    assert years & set(range(2019, 2025)), f"no TUR-{partner} figure for 2019-2024"
    assert len(years & set(range(2019, 2025))) >= 4, f"TUR-{partner}: only {sorted(years)}"


def test_turkmenistan_suppliers_are_recorded(raw: RawData) -> None:
    into_tkm = raw.trade.loc[(raw.trade["partner_iso3"] == "TKM") | (raw.trade["reporter_iso3"] == "TKM")]
    suppliers = set(into_tkm["reporter_iso3"]) | set(into_tkm["partner_iso3"])
    assert {"TUR", "CHN", "RUS"} <= suppliers


def test_defense_table_meets_minimum_and_article_events(raw: RawData) -> None:
    defense = raw.defense_cooperation
    assert len(defense) >= 40
    systems = " ".join(defense["system"].dropna())
    for system in ("Bayraktar TB2", "Anka", "Aksungur", "Akinci"):
        assert system.lower() in systems.lower(), system
    titles = " ".join(defense["title"]).lower()
    for name in ("shusha", "caucasian eagle"):
        assert name in titles, name


def test_timeline_has_all_twelve_ots_summits(raw: RawData) -> None:
    summits = raw.preferred("events").query("series == 'ots_heads_of_state'")
    assert sorted(summits["summit_number"].astype(int)) == list(range(1, 13))


def test_memberships_cover_every_organisation(raw: RawData) -> None:
    assert set(raw.memberships["organization"]) == {"OTS", "NATO", "CSTO", "EAEU", "CIS", "SCO"}


def test_northern_cyprus_uses_a_user_assigned_code(raw: RawData) -> None:
    from ots_analysis.checks import is_user_assigned_alpha3, official_alpha3_codes

    code = raw.countries.loc[raw.countries["name"].str.contains("Cyprus"), "iso3"].iloc[0]
    assert is_user_assigned_alpha3(code) and code not in official_alpha3_codes()


def test_disagreements_are_kept_as_non_preferred_rows(raw: RawData) -> None:
    for name in ("events", "memberships", "defense_cooperation"):
        assert (~raw.tables()[name]["preferred"]).any(), name


def test_dates_are_typed(raw: RawData) -> None:
    assert pd.api.types.is_datetime64_any_dtype(raw.events["date"])
    assert pd.api.types.is_datetime64_any_dtype(raw.sources["accessed"])
    assert raw.countries["turkic_majority"].dtype == "boolean"
    assert pd.api.types.is_datetime64_any_dtype(raw.articles["published"])
