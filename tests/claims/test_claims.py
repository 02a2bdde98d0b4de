"""The claims register: coverage of the seed article's inventory, final against computed verdicts, and
the ClaimReview export.

The rules about the claims' data (claims per article, rationale length, a computed check for every
date, interval and membership claim, curated verdict = computed verdict) are validation rules of
:mod:`ots_analysis.conventions`, tested on broken copies in tests/data/test_conventions.py.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ots_analysis.articles import articles_by_id, find_article
from ots_analysis.claimreview import claim_anchor, claimreview_jsonld
from ots_analysis.claims import claims_register
from ots_analysis.load import RawData, load_raw
from ots_analysis.paths import project_paths
from ots_analysis.verdicts import SCALE, VERDICT_ORDER

INVENTORY = [f"C{number:02d}" for number in range(1, 41)]
"""The seed article's claims that ../shared/claims_inventory.md lists (C01-C40): a coverage convention
of the seed article (the inventory lives outside data/raw), not a rule of the data."""

_RAW = load_raw(project_paths())


@pytest.fixture(scope="module")
def register(raw: RawData) -> pd.DataFrame:
    return claims_register(raw)


@pytest.fixture(scope="module")
def seed_register(raw: RawData, register: pd.DataFrame) -> pd.DataFrame:
    return register.loc[register["article_id"] == find_article(raw.articles).article_id]


@pytest.mark.parametrize("claim_id", INVENTORY)
def test_inventory_claim_is_in_the_register_with_a_final_verdict(
    claim_id: str, seed_register: pd.DataFrame
) -> None:
    rows = seed_register.loc[seed_register["claim_id"] == claim_id]
    assert len(rows) == 1, f"{claim_id} is not in the seed article's register"
    assert rows.iloc[0]["final_verdict"] in VERDICT_ORDER


TRADE_ARTICLE = "trend-2024-05-kgz-kaz-trade-3bn"
"""The trade-focused article of issue 17, whose acceptance asks for at least 12 claims, at least 60 %
of them decided by computed checks, and every computed verdict equal to the curated one."""


def test_the_trade_article_is_mostly_decided_by_computed_checks(register: pd.DataFrame) -> None:
    claims = register.loc[register["article_id"] == TRADE_ARTICLE]
    computed = claims.loc[claims["check_kind"].notna()]
    assert len(claims) >= 12
    assert len(computed) / len(claims) >= 0.6
    assert (computed["computed_verdict"] == computed["verdict"]).all()
    assert computed["check_kind"].str.startswith("trade-").sum() >= 8  # its trade claims, by trade kinds


def test_a_data_correction_that_changes_a_verdict_is_caught(raw: RawData) -> None:
    events = raw.events.copy()
    events.loc[events["event_id"] == "ots-summit-12", "city"] = "Baku"
    changed = RawData(**{**raw.tables(), "events": events})
    register = claims_register(changed)
    seed = find_article(raw.articles).article_id
    c01 = register.set_index(["article_id", "claim_id"]).loc[(seed, "C01")]
    assert c01["computed_verdict"] == "contradicted"
    assert not c01["agrees"]


def test_final_verdict_is_computed_where_a_check_exists(register: pd.DataFrame) -> None:
    checked = register.loc[register["check_kind"].notna()]
    assert (checked["final_verdict"] == checked["computed_verdict"]).all()
    unchecked = register.loc[register["check_kind"].isna()]
    assert (unchecked["final_verdict"] == unchecked["verdict"]).all()
    assert unchecked["computed_verdict"].isna().all()


def test_register_shows_each_checks_parameters(raw: RawData, register: pd.DataFrame) -> None:
    checked = register.loc[register["check_kind"].notna()]
    assert checked["check_parameters"].notna().all()
    counts = raw.check_parameters.groupby(["article_id", "claim_id"]).size()
    shown = checked.set_index(["article_id", "claim_id"])["check_parameters"].str.count("=")
    assert shown.sort_index().equals(counts.sort_index())


@pytest.mark.parametrize("article_id", sorted(articles_by_id(_RAW.articles)))
def test_claimreview_jsonld_has_the_fields_fact_check_publishers_use(
    article_id: str, raw: RawData, register: pd.DataFrame
) -> None:
    article = find_article(raw.articles, article_id)
    claims = register.loc[register["article_id"] == article_id]
    document = json.loads(claimreview_jsonld(claims, article))
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    assert [r["identifier"] for r in reviews] == sorted(claims["claim_id"])
    by_id = claims.set_index("claim_id")
    for review in reviews:
        claim = by_id.loc[review["identifier"]]
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == claim["claim"]
        assert review["datePublished"] == article.review_date.isoformat()
        assert review["author"]["name"] == "ots-analysis"
        assert review["url"] == f"#{claim_anchor(review['identifier'])}"
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["datePublished"] == article.published.isoformat()
        assert item["author"]["name"] in {article.author, article.publisher}
        assert item["appearance"]["url"] == article.url
        assert item["appearance"]["headline"] == article.headline
        rating = review["reviewRating"]
        assert rating["alternateName"] == SCALE[claim["final_verdict"]].label
        assert rating["ratingValue"] == SCALE[claim["final_verdict"]].rating
        assert rating["worstRating"] == 1 and rating["bestRating"] == 4
