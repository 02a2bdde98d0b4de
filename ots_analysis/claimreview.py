"""Export of an article's claims register as schema.org ``ClaimReview`` items (JSON-LD).

Fact-check aggregators read ClaimReview (https://schema.org/ClaimReview). Each claim becomes one item:

- ``claimReviewed``: the claim, paraphrased; ``author``: this project; ``datePublished``: the date of
  the claim's first published verdict and ``dateModified`` the date of its last change, from its
  history (:mod:`ots_analysis.history`); without a history, ``datePublished`` is the review's date
  (``review_date`` in articles.csv) and there is no ``dateModified``; ``url``: the claim's anchor on
  its page, absolute when the page's address is given (the site's ``site-url`` + the article's page +
  ``#claim-c01``), else relative (``#claim-c01``, as in data/processed, which knows no address);
- ``itemReviewed``: a ``Claim`` made by the article's author, dated by the article, whose
  ``appearance`` is the article (headline, date, URL, publisher);
- ``reviewRating``: the verdict on the ordinal scale of :mod:`ots_analysis.verdicts` (4 = supported,
  3 = partly supported, 2 = unverifiable, 1 = contradicted), its label as ``alternateName`` and the
  rationale as ``ratingExplanation``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd

from ots_analysis.articles import Article
from ots_analysis.history import VerdictHistory
from ots_analysis.verdicts import BEST_RATING, SCALE, WORST_RATING

PROJECT_NAME = "ots-analysis"


def claim_anchor(claim_id: str) -> str:
    """The HTML id of a claim in the report (``C01`` -> ``claim-c01``)."""
    return f"claim-{claim_id.lower()}"


def _claim_author(article: Article) -> dict[str, str]:
    if article.author and article.author != article.publisher:
        return {"@type": "Person", "name": article.author}
    return {"@type": "Organization", "name": article.author or article.publisher}


def _appearance(article: Article) -> dict[str, Any]:
    return {
        "@type": "NewsArticle",
        "headline": article.headline,
        "datePublished": article.published.isoformat(),
        "url": article.url,
        "publisher": {"@type": "Organization", "name": article.publisher},
    }


def claim_review(
    claim: pd.Series,
    article: Article,
    page_url: str = "",
    published: dt.date | None = None,
    modified: dt.date | None = None,
) -> dict[str, Any]:
    """One ClaimReview for one row of an article's claims register.

    ``page_url``: the absolute address of the article's page ("" for a relative anchor);
    ``published`` and ``modified``: the dates of the claim's first verdict and last change.
    """
    verdict = SCALE[str(claim["final_verdict"])]
    first = published or article.review_date  # a claim's article has a review date (validation)
    dates = {"datePublished": first.isoformat()} if first is not None else {}
    if modified is not None:
        dates["dateModified"] = modified.isoformat()
    return {
        "@type": "ClaimReview",
        "identifier": claim["claim_id"],
        "claimReviewed": claim["claim"],
        **dates,
        "url": f"{page_url}#{claim_anchor(str(claim['claim_id']))}",
        "author": {"@type": "Organization", "name": PROJECT_NAME},
        "itemReviewed": {
            "@type": "Claim",
            "author": _claim_author(article),
            "datePublished": article.published.isoformat(),
            "appearance": _appearance(article),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict.rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": verdict.label,
            "name": verdict.label,
            "ratingExplanation": claim["rationale"],
        },
    }


def claimreview_jsonld(
    claims: pd.DataFrame, article: Article, page_url: str = "", history: VerdictHistory | None = None
) -> str:
    """The article's ClaimReviews as one JSON-LD document (``@graph``), sorted by claim id.

    ``page_url`` and ``history`` as for :func:`claim_review` (the report gives both; the build, which
    knows neither the site's address nor the git history, gives none).
    """

    def review(row: pd.Series) -> dict[str, Any]:
        claim_id = str(row["claim_id"])
        if history is None or not history.of_claim(article.article_id, claim_id):
            return claim_review(row, article, page_url)
        return claim_review(
            row,
            article,
            page_url,
            history.first_published(article.article_id, claim_id),
            history.last_modified(article.article_id, claim_id),
        )

    graph = sorted((review(row) for _, row in claims.iterrows()), key=lambda item: item["identifier"])
    document = {"@context": "https://schema.org", "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
