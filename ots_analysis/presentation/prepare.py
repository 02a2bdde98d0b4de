"""Prepare a render of the report: ``python -m ots_analysis.presentation.prepare [ARTICLE_ID]``.

Checks that data/processed is current (:mod:`ots_analysis.processed`), that the article exists, and
writes the article's ClaimReview include for the HTML head, so that Quarto finds it when it starts.
(The report's setup cell writes the same file again while it runs.) Exit 1 with the reason otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ots_analysis.articles import UnknownArticleError
from ots_analysis.paths import project_paths
from ots_analysis.presentation import write_claimreview_head
from ots_analysis.processed import StaleOutputsError, load_processed


def main(argv: Sequence[str] | None = None) -> int:
    """Prepare the render of the article named in ``argv`` (default: the default article)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        outputs = load_processed(project_paths()).article_outputs(args[0] if args else None)
    except (StaleOutputsError, UnknownArticleError) as error:
        print(f"report: {error}", file=sys.stderr)  # noqa: T201
        return 1
    path = write_claimreview_head(project_paths(), outputs.claimreview_jsonld)
    print(f"report: rendering {outputs.article.article_id}; ClaimReview head include at {path}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
