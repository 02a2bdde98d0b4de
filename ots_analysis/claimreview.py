"""Export of the claims register as schema.org ``ClaimReview`` items (JSON-LD).

Fact-check aggregators read ClaimReview (https://schema.org/ClaimReview). Each claim becomes one
item with ``claimReviewed`` (the paraphrased claim), ``itemReviewed`` (a ``Claim`` whose
``appearance`` is the article), ``reviewRating`` and ``url`` (the claim's first source).

Rating scale (ordinal, 1-4, how far the evidence backs the claim as stated):
4 = supported, 3 = partly_supported, 2 = unverifiable, 1 = contradicted.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ots_analysis.article import ARTICLE
from ots_analysis.multivalue import first_item

RATING_VALUE = {"supported": 4, "partly_supported": 3, "unverifiable": 2, "contradicted": 1}
RATING_LABEL = {
    "supported": "Supported",
    "partly_supported": "Partly supported",
    "unverifiable": "Unverifiable",
    "contradicted": "Contradicted",
}
PROJECT_NAME = "ots-analysis"


def _appearance() -> dict[str, Any]:
    return {
        "@type": "NewsArticle",
        "headline": ARTICLE.headline,
        "datePublished": ARTICLE.date_published.isoformat(),
        "publisher": {"@type": "Organization", "name": ARTICLE.publisher},
    }


def claim_review(claim: pd.Series, source_url: str) -> dict[str, Any]:
    """One ClaimReview for one row of the processed claims register."""
    verdict = claim["final_verdict"]
    return {
        "@type": "ClaimReview",
        "identifier": claim["claim_id"],
        "claimReviewed": claim["claim"],
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": ARTICLE.publisher},
            "appearance": _appearance(),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUE[verdict],
            "bestRating": max(RATING_VALUE.values()),
            "worstRating": min(RATING_VALUE.values()),
            "alternateName": verdict,
            "ratingExplanation": claim["rationale"],
            "name": RATING_LABEL[verdict],
        },
        "url": source_url,
        "author": {"@type": "Organization", "name": PROJECT_NAME},
    }


def claimreview_jsonld(claims: pd.DataFrame, sources: pd.DataFrame) -> str:
    """All ClaimReviews as one JSON-LD document (``@graph``), sorted by claim id, newline-terminated."""
    urls = sources.set_index("source_id")["url"]
    main_source = first_item(claims["source_ids"])
    graph = [
        claim_review(row, str(urls[source]))
        for (_, row), source in zip(claims.iterrows(), main_source, strict=True)
    ]
    graph.sort(key=lambda item: item["identifier"])
    document = {"@context": "https://schema.org", "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
