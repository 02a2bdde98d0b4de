"""Prepare a render of the site: ``python -m ots_analysis.presentation.prepare [ARTICLE_ID]``.

Run by ``nox -s report`` before Quarto, and by Quarto itself as the project's pre-render step
(``report/_prepare.py``), so ``quarto render report`` works alone too. In order, and stopping with
exit 1 and the reason at the first problem:

1. the site's address (``website.site-url`` in ``report/_quarto.yml``) is an absolute http(s) URL;
2. data/processed is the current build of data/raw (:mod:`ots_analysis.processed`);
3. ``ARTICLE_ID``, if given, is an article of articles.csv.

Then it writes one page per article (``report/articles/<article_id>.qmd``, see
:mod:`ots_analysis.presentation.site`) and each article's ClaimReview include for the HTML head, with
absolute URLs and the dates of each claim's verdict history. An article whose outputs cannot be read
is reported and left out of the ClaimReview; the rest of the site still renders.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ots_analysis.articles import UnknownArticleError, articles_by_id
from ots_analysis.claimreview import claimreview_jsonld
from ots_analysis.history import VerdictHistory, verdict_history
from ots_analysis.paths import ProjectPaths, project_paths
from ots_analysis.presentation import write_claimreview_head
from ots_analysis.presentation.site import (
    SiteConfigError,
    article_page_url,
    fix_site_markup,
    is_placeholder,
    site_url,
    write_article_pages,
)
from ots_analysis.processed import ProcessedData, StaleOutputsError, load_processed


def report_history(paths: ProjectPaths, data: ProcessedData) -> VerdictHistory:
    """The verdict history of the project (see :mod:`ots_analysis.history`), for the report."""
    articles = articles_by_id(data.table("articles")).values()
    terms = {article.article_id: (article.article_id, article.publisher) for article in articles}
    return verdict_history(paths.root, data.article().article_id, article_terms=terms)


def write_heads(
    paths: ProjectPaths, data: ProcessedData, base_url: str, history: VerdictHistory
) -> list[str]:
    """Write every article's ClaimReview head include; returns a message per article left out."""
    problems = []
    for article_id in articles_by_id(data.table("articles")):
        try:
            outputs = data.article_outputs(article_id)
        except KeyError as error:
            problems.append(f"{article_id}: its outputs cannot be read ({error}); its page says so")
            outputs = None
        claims_jsonld = (
            claimreview_jsonld(
                outputs.claims, outputs.article, article_page_url(base_url, article_id), history
            )
            if outputs is not None
            else '{"@context": "https://schema.org", "@graph": []}'
        )
        write_claimreview_head(paths, claims_jsonld, article_id)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Prepare the render of the site (and check ``ARTICLE_ID`` when one is given)."""
    args = list(sys.argv[1:] if argv is None else argv)
    paths = project_paths()
    try:
        base_url = site_url(paths.report)
        data = load_processed(paths)
        articles = articles_by_id(data.table("articles"))
        if args:
            data.article(args[0])
    except (SiteConfigError, StaleOutputsError, UnknownArticleError) as error:
        print(f"report: {error}", file=sys.stderr)  # noqa: T201
        return 1
    history = report_history(paths, data)
    pages = write_article_pages(paths.report, articles.values())
    problems = write_heads(paths, data, base_url, history)
    for problem in problems:
        print(f"report: {problem}", file=sys.stderr)  # noqa: T201
    if history.unavailable:
        print(f"report: no verdict history ({history.unavailable}); the pages say so", file=sys.stderr)  # noqa: T201
    if is_placeholder(base_url):
        print(  # noqa: T201
            f"report: note: the site's address {base_url} is a placeholder; before publishing, set "
            f"website.site-url in {paths.report / '_quarto.yml'} to the address the site is served at",
            file=sys.stderr,
        )
    print(f"report: {len(pages)} article pages for {base_url}")  # noqa: T201
    return 0


def finish(output: str | None = None) -> int:
    """Quarto's post-render step (``report/_finish.py``): fix the navbar's markup on every page of the
    site that was written (see :func:`ots_analysis.presentation.site.fix_site_markup`)."""
    folder = Path(output or os.environ.get("QUARTO_PROJECT_OUTPUT_DIR") or project_paths().report_output)
    changed = fix_site_markup(folder)
    print(f"report: navbar markup fixed on {len(changed)} pages in {folder}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
