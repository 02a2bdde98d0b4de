"""The articles whose claims are checked (``articles.csv``): their identity, date and sections.

Everything that depends on the article (the "as of" date of checks, the sections of the scoreboard,
the ClaimReview's ``itemReviewed``, the focus of the membership matrix) reads it from here, so a new
article is a row of data, not code.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from ots_analysis.multivalue import SEPARATOR


class UnknownArticleError(LookupError):
    """Raised when an article id is not in articles.csv; the message lists the ids that are."""


@dataclass(frozen=True)
class Article:
    """One row of articles.csv, typed (see the ``Articles`` schema for each field's definition)."""

    article_id: str
    headline: str
    gist: str
    publisher: str
    author: str | None
    published: dt.date
    published_note: str | None
    url: str
    language: str
    sections: tuple[str, ...]
    part_read: str
    organization: str
    region: str | None
    review_date: dt.date | None
    """None while the article is listed but not reviewed yet (it then has no claims)."""
    is_default: bool


def _optional(value: object) -> str | None:
    """The text of a nullable cell; None for a missing one."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def articles_by_id(articles: pd.DataFrame) -> dict[str, Article]:
    """Every article of the validated ``articles`` table, by id, in table order."""
    return {
        str(row["article_id"]): Article(
            article_id=str(row["article_id"]),
            headline=str(row["headline"]),
            gist=str(row["gist"]),
            publisher=str(row["publisher"]),
            author=_optional(row["author"]),
            published=pd.Timestamp(row["published"]).date(),
            published_note=_optional(row["published_note"]),
            url=str(row["url"]),
            language=str(row["language"]),
            sections=tuple(str(row["sections"]).split(SEPARATOR)),
            part_read=str(row["part_read"]),
            organization=str(row["organization"]),
            region=_optional(row["region"]),
            review_date=None if pd.isna(row["review_date"]) else pd.Timestamp(row["review_date"]).date(),
            is_default=bool(row["is_default"]),
        )
        for _, row in articles.iterrows()
    }


def find_article(articles: pd.DataFrame, article_id: str | None = None) -> Article:
    """The article ``article_id``, or the default article (``is_default``) when it is None."""
    known = articles_by_id(articles)
    if article_id is None:
        defaults = [article for article in known.values() if article.is_default]
        if len(defaults) != 1:
            raise UnknownArticleError("articles.csv must mark exactly one article is_default = true")
        return defaults[0]
    if article_id not in known:
        raise UnknownArticleError(
            f"no article {article_id!r} in articles.csv; the articles are: {', '.join(sorted(known))}"
        )
    return known[article_id]
