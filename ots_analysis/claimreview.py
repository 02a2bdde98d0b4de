"""Export of an article's claims register as schema.org ``ClaimReview`` items (JSON-LD).

Fact-check aggregators read ClaimReview (https://schema.org/ClaimReview). Each claim becomes one item:

- ``claimReviewed``: the claim, paraphrased; ``datePublished``: the date of this project's review
  (``review_date`` in articles.csv); ``author``: this project; ``url``: the claim's anchor in the
  report (``#claim-c01``, relative, so it resolves against the page that embeds it);
- ``itemReviewed``: a ``Claim`` made by the article's author, dated by the article, whose
  ``appearance`` is the article (headline, date, URL, publisher);
- ``reviewRating``: the verdict on the ordinal scale of :mod:`ots_analysis.verdicts` (4 = supported,
  3 = partly supported, 2 = unverifiable, 1 = contradicted), its label as ``alternateName`` and the
  rationale as ``ratingExplanation``.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ots_analysis.articles import Article
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


def claim_review(claim: pd.Series, article: Article) -> dict[str, Any]:
    """One ClaimReview for one row of an article's claims register."""
    verdict = SCALE[str(claim["final_verdict"])]
    return {
        "@type": "ClaimReview",
        "identifier": claim["claim_id"],
        "claimReviewed": claim["claim"],
        "datePublished": article.review_date.isoformat(),
        "url": f"#{claim_anchor(str(claim['claim_id']))}",
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


def claimreview_jsonld(claims: pd.DataFrame, article: Article) -> str:
    """The article's ClaimReviews as one JSON-LD document (``@graph``), sorted by claim id."""
    graph = sorted(
        (claim_review(row, article) for _, row in claims.iterrows()), key=lambda item: item["identifier"]
    )
    document = {"@context": "https://schema.org", "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
