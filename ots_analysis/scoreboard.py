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


def scoreboard_text(register: pd.DataFrame, article: Article, width: int = 100) -> str:
    """A plain-text scoreboard of one article for the terminal: totals, the section table, then every
    claim that is not supported with its rationale (and the computed explanation)."""
    register = register.loc[register["article_id"] == article.article_id]
    lines = [
        f"{article.headline} ({article.publisher}, {article.published:%d %B %Y})",
        f"Claims checked: {len(register)}",
        "",
    ]
    for row in verdict_counts(register).itertuples(index=False):
        lines.append(f"  {row.verdict:<17} {row.n_claims:>3}  ({row.share:.0%})")
    lines += ["", "By section:", verdicts_by_section(register, article.sections).to_string(index=False), ""]
    lines.append("Claims not fully supported:")
    doubtful = register.loc[register["final_verdict"] != "supported"].sort_values("claim_id")
    for claim in doubtful.itertuples(index=False):
        lines.append(f"- {claim.claim_id} [{claim.final_verdict}] {claim.claim}")
        reason = str(claim.rationale)
        if isinstance(claim.explanation, str) and claim.explanation:
            reason = f"{reason} Computed: {claim.explanation}."
        lines.extend(textwrap.wrap(reason, width=width, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines)
