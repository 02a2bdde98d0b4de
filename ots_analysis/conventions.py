"""The curation conventions of the claims register and the sources, as validation rules.

The schemas say what a cell may hold and :mod:`ots_analysis.integrity` what the tables must agree
on; these rules say what a finished review looks like: enough claims per article, a rationale that
explains, a computed check for every claim the data can decide, one row per page, and a curated
verdict that agrees with its check. They used to be asserted only by the test suite, so a curator
running ``ots-analysis validate`` did not see them; now they are rules of the same entry point
(listed in :data:`ots_analysis.integrity.TABLE_RULES` and ``FINAL_RULES``), with messages that give
the count or the two values that broke them.

The thresholds are the named constants below; README ("Checking another article") quotes them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ots_analysis.claims.register import run_checks
from ots_analysis.claims.specs import read_check_specs
from ots_analysis.errors import Failure
from ots_analysis.raw_data import RawData
from ots_analysis.vocab import DATA_DECIDED_CATEGORIES

Tables = Mapping[str, pd.DataFrame]
Labels = Mapping[str, str]

MIN_CLAIMS_PER_ARTICLE = 15
"""An article is reviewed when at least this many of its statements are in claims.csv: fewer would
not show whether the article as a whole holds."""

MIN_RATIONALE_WORDS = 5
"""A rationale says why in a sentence, not a word or two ("see source")."""


def _ready(tables: Tables, *names: str) -> bool:
    return all(name in tables and not tables[name].columns.empty for name in names)


def _column_number(frame: pd.DataFrame, column: str) -> int:
    return list(frame.columns).index(column) + 1


def _failure(
    frame: pd.DataFrame, file: str, line: object, column: str, value: str | None, rule: str
) -> Failure:
    return Failure(file, int(str(line)), _column_number(frame, column), column, value or "", rule)


def _words(text: pd.Series) -> pd.Series:
    return text.fillna("").astype(str).str.count(r"\S+")


def enough_claims_per_article(tables: Tables, labels: Labels) -> list[Failure]:
    """Every reviewed article (with a ``review_date``) has at least :data:`MIN_CLAIMS_PER_ARTICLE`
    claims in claims.csv; an article not reviewed yet (no ``review_date``) has none.

    Reported at the article's row of articles.csv, with the count.
    """
    if not _ready(tables, "articles", "claims"):
        return []
    articles = tables["articles"]
    counts = tables["claims"]["article_id"].value_counts()
    failures = []
    for line, article_id, review_date in zip(
        articles.index, articles["article_id"], articles["review_date"], strict=True
    ):
        count = int(counts.get(article_id, 0))
        reviewed = not pd.isna(review_date)
        if reviewed and count < MIN_CLAIMS_PER_ARTICLE:
            rule = (
                f"article has {count} claim(s) in claims.csv; at least {MIN_CLAIMS_PER_ARTICLE} "
                "(a review covers the article's checkable statements; leave review_date empty for an "
                "article listed but not reviewed yet)"
            )
            failures.append(_failure(articles, labels["articles"], line, "article_id", article_id, rule))
        elif not reviewed and count:
            rule = (
                f"article has {count} claim(s) but no review_date: give the date its review was last revised"
            )
            failures.append(_failure(articles, labels["articles"], line, "review_date", "", rule))
    return failures


def rationales_explain(tables: Tables, labels: Labels) -> list[Failure]:
    """Every claim's rationale has at least :data:`MIN_RATIONALE_WORDS` words."""
    if not _ready(tables, "claims"):
        return []
    claims = tables["claims"]
    words = _words(claims["rationale"])
    return [
        _failure(
            claims,
            labels["claims"],
            line,
            "rationale",
            text,
            f"rationale has {count} word(s); at least {MIN_RATIONALE_WORDS}: say why, in a sentence",
        )
        for line, text, count in zip(claims.index, claims["rationale"], words, strict=True)
        if count < MIN_RATIONALE_WORDS
    ]


def decidable_claims_have_checks(tables: Tables, labels: Labels) -> list[Failure]:
    """A claim of a category the data can always decide (:data:`~ots_analysis.vocab.DATA_DECIDED_CATEGORIES`:
    a date, an interval, a membership) names a check kind, so its verdict is computed, not only curated."""
    if not _ready(tables, "claims"):
        return []
    claims = tables["claims"]
    unchecked = claims.loc[claims["category"].isin(DATA_DECIDED_CATEGORIES) & claims["check_kind"].isna()]
    decided = ", ".join(DATA_DECIDED_CATEGORIES)
    return [
        _failure(
            claims,
            labels["claims"],
            line,
            "check_kind",
            None,
            f"{claim_id} is a {category} claim but names no check_kind: {decided} claims are decided by a "
            "computed check (see README, 'Checking another article'), or belong to another category",
        )
        for line, claim_id, category in zip(
            unchecked.index, unchecked["claim_id"], unchecked["category"], strict=True
        )
    ]


def one_row_per_page(tables: Tables, labels: Labels) -> list[Failure]:
    """No two rows of sources.csv have the same URL: a page is one source, cited by one source_id."""
    if not _ready(tables, "sources"):
        return []
    sources = tables["sources"]
    first = sources.reset_index().drop_duplicates("url").set_index("url")
    repeated = sources.loc[sources["url"].duplicated(keep="first")]
    return [
        _failure(
            sources,
            labels["sources"],
            line,
            "url",
            url,
            f"the page is already source {first.loc[url, 'source_id']} (line {first.loc[url, 'csv_line']}): "
            f"cite that source_id and remove this row ({source_id})",
        )
        for line, url, source_id in zip(repeated.index, repeated["url"], repeated["source_id"], strict=True)
    ]


def verdict_disagreements(claims: pd.DataFrame, computed: pd.DataFrame, file: str) -> list[Failure]:
    """A failure at the ``verdict`` cell of each claim whose curated verdict differs from its check's.

    ``claims`` is claims.csv as validated (indexed by CSV line); ``computed`` has one row per checked
    claim with ``article_id``, ``claim_id``, ``computed_verdict`` and ``explanation`` (the output of
    :func:`~ots_analysis.claims.run_checks`, or the register).
    """
    keys = ["article_id", "claim_id"]
    joined = (
        claims[[*keys, "verdict"]]
        .reset_index()
        .merge(computed[[*keys, "computed_verdict", "explanation"]], on=keys, how="inner")
    )
    checked = joined["computed_verdict"].notna()  # the register has unchecked claims too
    differ = joined.loc[checked & (joined["computed_verdict"] != joined["verdict"])]
    return [
        _failure(
            claims,
            file,
            row.csv_line,
            "verdict",
            str(row.verdict),
            f"{row.claim_id} of {row.article_id}: curated verdict {row.verdict}, "
            f"computed {row.computed_verdict} ({row.explanation}); correct the curated verdict and "
            "rationale, or the data or parameters the check reads",
        )
        for row in differ.itertuples(index=False)
    ]


def verdicts_agree_with_checks(tables: Tables, labels: Labels) -> list[Failure]:
    """Every claim with a computed check has the check's verdict as its curated verdict.

    Runs the checks (:func:`~ots_analysis.claims.run_checks`), so it needs whole, valid data: it is one
    of ``integrity.FINAL_RULES``, applied only when every other rule passes. A claim whose check
    specification is invalid is left out (that failure is reported instead).
    """
    if not all(_ready(tables, name) for name in tables):
        return []
    checks, _ = read_check_specs(tables, labels)
    computed = run_checks(RawData(**tables), checks)
    return verdict_disagreements(tables["claims"], computed, labels["claims"])


CONVENTION_RULES = (
    enough_claims_per_article,
    rationales_explain,
    decidable_claims_have_checks,
    one_row_per_page,
)
"""Conventions checked with the cross-table rules."""
