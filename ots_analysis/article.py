"""The article under study: its identity, used by the claims register and the ClaimReview export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """Bibliographic facts of the article (its text is not redistributed here)."""

    headline: str
    publisher: str
    date_published: dt.date
    date_note: str


ARTICLE = Article(
    headline=(
        "Azerbaijan and Turkey call for military cooperation: the Organization of Turkic States "
        "accelerates regional security integration."
    ),
    publisher="Times Tengri",
    date_published=dt.date(2025, 10, 14),
    date_note=(
        "The page shows only 'Oct 14'; the year 2025 is inferred because the article reports the "
        "12th OTS summit in Gabala as its news, and that summit was held in October 2025."
    ),
)
"""The article checked by this project (../shared/seed/article.txt in the workspace)."""
