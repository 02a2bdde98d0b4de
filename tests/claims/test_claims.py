"""The claims register: coverage of C01-C40, curated against computed verdicts, the JSON-LD export."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ots_analysis.build import compute_tables
from ots_analysis.claimreview import RATING_VALUE, claimreview_jsonld
from ots_analysis.claims import CLAIM_CHECKS, claim_reference_failures, claims_register
from ots_analysis.load import RawData
from ots_analysis.schemas import VERDICTS

INVENTORY = [f"C{number:02d}" for number in range(1, 41)]
COMPUTED_CATEGORIES = {"date", "interval", "figure", "membership"}


@pytest.fixture(scope="module")
def register(raw: RawData) -> pd.DataFrame:
    return claims_register(raw)


@pytest.mark.parametrize("claim_id", INVENTORY)
def test_inventory_claim_has_verdict_rationale_and_source(claim_id: str, register: pd.DataFrame) -> None:
    rows = register.loc[register["claim_id"] == claim_id]
    assert len(rows) == 1, f"{claim_id} is not in the register"
    claim = rows.iloc[0]
    assert claim["final_verdict"] in VERDICTS
    assert len(claim["rationale"].split()) >= 5
    assert claim["source_ids"]


@pytest.mark.parametrize("claim_id", sorted(CLAIM_CHECKS))
def test_curated_verdict_agrees_with_computed_check(claim_id: str, register: pd.DataFrame) -> None:
    claim = register.set_index("claim_id").loc[claim_id]
    assert claim["computed_verdict"] == claim["verdict"], (
        f"{claim_id}: curated {claim['verdict']!r} but the data give {claim['computed_verdict']!r} "
        f"({claim['explanation']})"
    )


def test_data_decidable_categories_have_computed_checks(raw: RawData) -> None:
    decidable = raw.claims.loc[raw.claims["category"].isin(COMPUTED_CATEGORIES), "claim_id"]
    assert set(decidable) <= set(CLAIM_CHECKS), set(decidable) - set(CLAIM_CHECKS)


def test_claims_csv_names_the_registered_check(raw: RawData) -> None:
    assert claim_reference_failures(raw, "claims.csv") == []


def test_reference_failure_names_unknown_event(raw: RawData) -> None:
    from ots_analysis.claims import DateMatches

    broken = {**CLAIM_CHECKS, "C04": DateMatches("no-such-event", "2024-02")}
    failures = claim_reference_failures(raw, "claims.csv", broken)
    assert [f.value for f in failures] == ["no-such-event"]


def test_a_data_correction_that_changes_a_verdict_is_caught(raw: RawData) -> None:
    events = raw.events.copy()
    events.loc[events["event_id"] == "ots-summit-12", "city"] = "Baku"
    changed = RawData(**{**raw.tables(), "events": events})
    register = claims_register(changed).set_index("claim_id")
    assert register.loc["C01", "computed_verdict"] == "contradicted"
    assert not register.loc["C01", "agrees"]


def test_final_verdict_is_computed_where_a_check_exists(register: pd.DataFrame) -> None:
    checked = register.loc[register["computed_check"].notna()]
    assert (checked["final_verdict"] == checked["computed_verdict"]).all()
    unchecked = register.loc[register["computed_check"].isna()]
    assert (unchecked["final_verdict"] == unchecked["verdict"]).all()


def test_claimreview_jsonld_has_required_fields(raw: RawData) -> None:
    register = compute_tables(raw)["claims"]
    document = json.loads(claimreview_jsonld(register, raw.sources))
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    assert [r["identifier"] for r in reviews] == sorted(register["claim_id"])
    urls = set(raw.sources["url"])
    for review in reviews:
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"]
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["appearance"]["headline"]
        rating = review["reviewRating"]
        assert rating["alternateName"] in VERDICTS
        assert rating["ratingValue"] == RATING_VALUE[rating["alternateName"]]
        assert rating["worstRating"] == 1 and rating["bestRating"] == 4
        assert review["url"] in urls
