"""The claims register in the report: a reading view per section, a print view, and an explorer.

- In HTML each section's claims are a table (id, claim, verdict, why, sources), and an explorer above
  them filters the whole register by verdict, section and category and searches its text, with a few
  lines of JavaScript inside the one self-contained page (nothing is fetched when it is read).
- In print (Typst) a table with a long text column wraps poorly, so each claim is a short block: its
  id, verdict and category, the claim, and why, with the sources.
Each claim's id carries the anchor (``claim-c01``) that the ClaimReview JSON-LD points to.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ots_analysis.articles import Article
from ots_analysis.claimreview import claim_anchor
from ots_analysis.presentation.markdown import NO_SOURCE, CitationLabels, cite, pipe_table
from ots_analysis.verdicts import SCALE, label

HTML_ONLY = '::: {.content-visible when-format="html"}'
PRINT_ONLY = '::: {.content-visible when-format="typst"}'


def _section_claims(claims: pd.DataFrame, section: int) -> pd.DataFrame:
    return claims.loc[claims["section"].astype(int) == section].sort_values("claim_id")


def section_table_markdown(claims: pd.DataFrame, section: int, labels: CitationLabels | None = None) -> str:
    """One section's claims as a table (the HTML reading view)."""
    rows = _section_claims(claims, section)
    table = pd.DataFrame(
        {
            "ID": [f"[{claim_id}]{{#{claim_anchor(claim_id)} .claim-id}}" for claim_id in rows["claim_id"]],
            "Claim (paraphrase)": rows["claim"],
            "Verdict": rows["final_verdict"].map(label),
            "Why": rows["rationale"],
            "Sources": rows["source_ids"].map(cite),
        }
    )
    return pipe_table(table, labels)


def section_blocks_markdown(claims: pd.DataFrame, section: int) -> str:
    """One section's claims as blocks (the print view): id, verdict and category; claim; why."""
    blocks = []
    for claim in _section_claims(claims, section).itertuples(index=False):
        blocks.append(
            f"[**{claim.claim_id}**]{{#{claim_anchor(str(claim.claim_id))}}} · "
            f"**{label(str(claim.final_verdict))}** · *{claim.category}*\\\n"
            f"{claim.claim}\\\n"
            f"*Why:* {claim.rationale} {cite(claim.source_ids)}"
        )
    return "\n\n".join(blocks)


def claims_by_section_markdown(
    claims: pd.DataFrame, article: Article, labels: CitationLabels | None = None
) -> str:
    """A level-2 heading per section of the article that has claims, then its claims: a table in HTML
    and blocks in print."""
    if claims.empty:
        return "No claim of this article has been checked yet."
    parts = []
    for section in sorted(claims["section"].astype(int).unique()):
        parts += [
            f"## {article.sections[section]}",
            HTML_ONLY,
            section_table_markdown(claims, section, labels),
            ":::",
            PRINT_ONLY,
            section_blocks_markdown(claims, section),
            ":::",
        ]
    return "\n\n".join(parts)


_EXPLORER_SCRIPT = """
(function () {
  const root = document.currentScript.closest(".ots-register");
  const controls = root.querySelectorAll("[data-filter]");
  const rows = Array.from(root.querySelectorAll("tbody tr"));
  const count = root.querySelector(".ots-register-count");
  function apply() {
    const wanted = {};
    controls.forEach((control) => { wanted[control.dataset.filter] = control.value.trim().toLowerCase(); });
    let shown = 0;
    rows.forEach((row) => {
      const match = ["verdict", "section", "category"].every(
        (key) => !wanted[key] || row.dataset[key] === wanted[key]
      ) && (!wanted.text || row.textContent.toLowerCase().includes(wanted.text));
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " claims";
  }
  controls.forEach((control) => control.addEventListener("input", apply));
  apply();
})();
"""


def _options(values: Mapping[str, str]) -> str:
    options = ['<option value="">all</option>']
    options += [
        f'<option value="{html.escape(key)}">{html.escape(text)}</option>' for key, text in values.items()
    ]
    return "".join(options)


def _source_links(source_ids: object, references: Mapping[str, Mapping[str, Any]]) -> str:
    links = []
    text = source_ids if isinstance(source_ids, str) else ""
    for source_id in [source.strip() for source in text.split(";") if source.strip()]:
        item = references.get(source_id, {})
        text = html.escape(str(item.get("publisher", source_id)))
        url = item.get("URL")
        links.append(f'<a href="{html.escape(str(url))}">{text}</a>' if url else text)
    return "; ".join(links) if links else html.escape(NO_SOURCE)


def register_explorer_html(claims: pd.DataFrame, article: Article, references: list[dict[str, Any]]) -> str:
    """The whole register as a filterable, searchable HTML table, as a raw-HTML Markdown block.

    Filters: verdict, section and category (exact), and free text (any cell, ignoring case).
    """
    by_id = {str(item["id"]): item for item in references}
    ordered = claims.sort_values("claim_id")
    sections = {str(n): article.sections[n] for n in sorted(ordered["section"].astype(int).unique())}
    verdicts = {
        name: verdict.label for name, verdict in SCALE.items() if name in set(ordered["final_verdict"])
    }
    categories = {category: category for category in sorted(ordered["category"].unique())}
    rows = []
    for claim in ordered.itertuples(index=False):
        section = int(str(claim.section))
        anchor = claim_anchor(str(claim.claim_id))
        cells = [
            f'<a class="claim-id" href="#{anchor}">{html.escape(str(claim.claim_id))}</a>',
            html.escape(article.sections[section]),
            html.escape(str(claim.category)),
            html.escape(str(claim.claim)),
            html.escape(label(str(claim.final_verdict))),
            html.escape(str(claim.rationale)),
            _source_links(claim.source_ids, by_id),
        ]
        attributes = (
            f'data-verdict="{html.escape(str(claim.final_verdict))}" data-section="{section}" '
            f'data-category="{html.escape(str(claim.category))}"'
        )
        rows.append(f"<tr {attributes}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    header = "".join(
        f"<th>{name}</th>" for name in ("ID", "Section", "Category", "Claim", "Verdict", "Why", "Sources")
    )
    controls = (
        f'<label>Verdict <select data-filter="verdict">{_options(verdicts)}</select></label> '
        f'<label>Section <select data-filter="section">{_options(sections)}</select></label> '
        f'<label>Category <select data-filter="category">{_options(categories)}</select></label> '
        '<label>Search <input type="search" data-filter="text" placeholder="e.g. Kazakhstan"></label> '
        '<span class="ots-register-count" aria-live="polite"></span>'
    )
    data = json.dumps({"article": article.article_id, "claims": len(ordered)})
    return "\n".join(
        [
            "```{=html}",
            f"<div class=\"ots-register\" data-register='{html.escape(data)}'>",
            f'<div class="ots-register-controls">{controls}</div>',
            '<table class="table ots-register-table">',
            f"<thead><tr>{header}</tr></thead>",
            "<tbody>",
            *rows,
            "</tbody></table>",
            f"<script>{_EXPLORER_SCRIPT}</script>",
            "</div>",
            "```",
        ]
    )
