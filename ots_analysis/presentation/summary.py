"""The report's summary, written from the register: counts, the findings by name, the intervals.

Nothing here is typed for one article: change a verdict in the data and the summary changes with it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ots_analysis.articles import Article
from ots_analysis.scoreboard import verdict_counts, verdicts_by_section
from ots_analysis.verdicts import CONTRADICTED, PARTLY, SCALE, SUPPORTED, UNVERIFIABLE, label


def _join(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def counts_sentence(claims: pd.DataFrame) -> str:
    """``26 are supported, 9 partly supported, 4 contradicted and 2 unverifiable``."""
    counts = verdict_counts(claims)
    parts = [
        f"{row.n_claims} {'are ' if i == 0 else ''}{label(str(row.verdict)).lower()}"
        for i, row in enumerate(counts.itertuples(index=False))
    ]
    return _join(parts)


def sections_sentence(claims: pd.DataFrame, article: Article) -> str:
    """How many claims of each section are supported: ``Lead: 4 of 7 supported; ...``."""
    table = verdicts_by_section(claims, article.sections)
    totals = table[[SUPPORTED, PARTLY, CONTRADICTED, UNVERIFIABLE]].sum(axis=1)
    parts = [
        f"{name}: {supported} of {total} supported"
        for name, supported, total in zip(table["section_name"], table[SUPPORTED], totals, strict=True)
    ]
    return "; ".join(parts)


def _claim_list(claims: pd.DataFrame, verdict: str, with_reason: bool) -> list[str]:
    rows = claims.loc[claims["final_verdict"] == verdict].sort_values("claim_id")
    return [
        f"- **{row.claim_id}** {row.claim}" + (f" *{row.rationale}*" if with_reason else "")
        for row in rows.itertuples(index=False)
    ]


def findings_markdown(claims: pd.DataFrame) -> str:
    """The claims that do not hold, by name: contradicted and unverifiable ones with the reason,
    partly supported ones with the claim only."""
    parts = []
    for verdict, with_reason in ((CONTRADICTED, True), (UNVERIFIABLE, True), (PARTLY, False)):
        items = _claim_list(claims, verdict, with_reason)
        if items:
            heading = f"**{label(verdict)}** ({len(items)}):"
            parts.append("\n".join([heading, "", *items]))
    return "\n\n".join(parts)


def intervals_sentence(intervals: pd.DataFrame) -> str:
    """The article's stated intervals against the data (empty if it states none)."""
    if intervals.empty:
        return ""
    parts = [
        f"{row.claim_id} states about {row.stated_months:g} months where the data give "
        f"{row.actual_months:.1f} ({row.days} days)"
        for row in intervals.sort_values("claim_id").itertuples(index=False)
    ]
    return "Its intervals against the dated events: " + "; ".join(parts) + "."


def summary_markdown(claims: pd.DataFrame, article: Article, intervals: pd.DataFrame, n_sources: int) -> str:
    """The summary section's text for one article (saying so when none of its claims is checked yet)."""
    if claims.empty:
        return (
            f'The article under study, "{article.headline.rstrip(".")}" ({article.publisher}, '
            f"{article.published:%d %B %Y}), {article.gist}. None of its claims has been checked yet: "
            "it has no rows in data/raw/claims.csv."
        )
    lead = (
        f'The article under study, "{article.headline.rstrip(".")}" ({article.publisher}, '
        f"{article.published:%d %B %Y}), {article.gist}. We split it into {len(claims)} checkable claims "
        f"and tested each against hand-curated tables built from {n_sources} public sources: "
        f"{counts_sentence(claims)} (@fig-scoreboard)."
    )
    paragraphs = [lead, f"By section, {sections_sentence(claims, article)}."]
    intervals_text = intervals_sentence(intervals)
    if intervals_text:
        paragraphs.append(intervals_text)
    findings = findings_markdown(claims)
    if findings:
        paragraphs.append(findings)
    return "\n\n".join(paragraphs)


def blocs_sentence(matrix: pd.DataFrame, organization: str) -> str:
    """Who of the shown countries belongs to each other organisation: ``NATO: HUN, TUR; CSTO: ...``."""
    parts = []
    for other in (column for column in matrix.columns if column not in ("iso3", organization)):
        members = sorted(matrix.loc[matrix[other] == "member", "iso3"])
        parts.append(f"{other}: {', '.join(members) if members else 'none'}")
    return "Full members among them: " + "; ".join(parts) + "."


def verdict_scale_markdown() -> str:
    """The verdict scale as one paragraph, from :mod:`ots_analysis.verdicts`."""
    return "**Verdict scale.** " + " ".join(
        f"*{verdict.label}*: {verdict.definition}." for verdict in SCALE.values()
    )


def sources_dating_sentence(references: list[dict[str, Any]]) -> str:
    """How many sources have no publication date (their pages show none, which was checked), and how
    many are dated only by a lower bound (an ``issued`` literal, see :mod:`ots_analysis.bibliography`)."""
    undated = sum(1 for item in references if "issued" not in item)
    bounded = sum(1 for item in references if "literal" in item.get("issued", {}))
    share = undated / len(references) if references else 0.0
    sentence = (
        f"Of the {len(references)} sources, {undated} ({share:.0%}) have no publication date: for each, "
        "the stored page and its address were checked and showed none (the reason is recorded in "
        "`published_note` of sources.csv); they are cited as n.d."
    )
    if bounded:
        sentence += (
            f" For {bounded} more, only the earliest date they can have appeared is known; they are "
            'cited with that bound ("not before ..."), never as their date.'
        )
    return sentence


def coverage_sentence(counts: pd.DataFrame) -> str:
    """How many pair-years of the bilateral matrix have an estimate, per pair group (from
    ``trade_coverage_counts``)."""
    parts = []
    for group, rows in counts.groupby("pair_group", sort=False):
        by_level = dict(zip(rows["coverage"], rows["pair_years"].astype(int), strict=True))
        total = sum(by_level.values())
        estimated = total - by_level.get("missing", 0)
        both, one = by_level.get("both reporters", 0), by_level.get("one reporter", 0)
        parts.append(
            f"{estimated} of the {total} {group}-years have a turnover estimate "
            f"({both} from both reporters, {one} from one)"
        )
    return "In the bilateral matrix, " + "; ".join(parts) + "."
