"""The claims scoreboard: how many claims hold, by verdict and by article section."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import pandas as pd

from ots_analysis.articles import Article
from ots_analysis.verdicts import VERDICT_ORDER


def verdict_counts(register: pd.DataFrame) -> pd.DataFrame:
    """Number and share of claims per final verdict, in the scale's order (zeros included)."""
    counts = register["final_verdict"].value_counts().reindex(list(VERDICT_ORDER), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "verdict": counts.index,
            "n_claims": counts.to_numpy(),
            "share": counts.to_numpy() / total if total else 0.0,
        }
    )


def verdicts_by_section(register: pd.DataFrame, sections: Sequence[str]) -> pd.DataFrame:
    """Claims of one article per section (rows) and final verdict (columns), with the section's name.

    ``sections`` are the article's section names (``Article.sections``); sections without claims are
    left out.
    """
    table = pd.crosstab(register["section"].astype(int), register["final_verdict"])
    table = table.reindex(columns=list(VERDICT_ORDER), fill_value=0)
    table = table.reindex(sorted(table.index))
    table.insert(0, "section_name", [sections[number] for number in table.index])
    return table.rename_axis(index="section", columns=None).reset_index()


DISAGREES = "!"
"""Marks, in the scoreboard, a claim whose curated verdict differs from its computed one."""


def _disagreements(register: pd.DataFrame, width: int) -> list[str]:
    """The claims whose curated verdict differs from the computed one, each with the check's words."""
    differ = register.loc[~register["agrees"].astype(bool)].sort_values("claim_id")
    if differ.empty:
        return []
    lines = [
        f"{DISAGREES} Curated verdicts that differ from their computed check ({len(differ)}); "
        "`ots-analysis validate` fails until claims.csv agrees:"
    ]
    for claim in differ.itertuples(index=False):
        text = (
            f"{DISAGREES} {claim.claim_id}: curated {claim.verdict}, computed {claim.computed_verdict} "
            f"({claim.explanation})"
        )
        lines.extend(textwrap.wrap(text, width=width, subsequent_indent="    "))
    return [*lines, ""]


def scoreboard_text(register: pd.DataFrame, article: Article, width: int = 100) -> str:
    """A plain-text scoreboard of one article for the terminal: totals, the claims whose curated
    verdict differs from their check (marked ``!``), the section table, then every claim that is not
    supported with its rationale (and the computed explanation)."""
    register = register.loc[register["article_id"] == article.article_id]
    lines = [
        f"{article.headline} ({article.publisher}, {article.published:%d %B %Y})",
        f"Claims checked: {len(register)}",
        "",
        *_disagreements(register, width),
    ]
    for row in verdict_counts(register).itertuples(index=False):
        lines.append(f"  {row.verdict:<17} {row.n_claims:>3}  ({row.share:.0%})")
    lines += ["", "By section:", verdicts_by_section(register, article.sections).to_string(index=False), ""]
    lines.append("Claims not fully supported:")
    doubtful = register.loc[register["final_verdict"] != "supported"].sort_values("claim_id")
    for claim in doubtful.itertuples(index=False):
        mark = DISAGREES if not claim.agrees else "-"
        lines.append(f"{mark} {claim.claim_id} [{claim.final_verdict}] {claim.claim}")
        reason = str(claim.rationale)
        if isinstance(claim.explanation, str) and claim.explanation:
            reason = f"{reason} Computed: {claim.explanation}."
        lines.extend(textwrap.wrap(reason, width=width, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines)
