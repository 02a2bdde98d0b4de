"""Quarto's pre-render step (``project: pre-render`` in _quarto.yml), run by the QUARTO_PYTHON interpreter:
checks the site's address and data/processed, and writes the article pages and their ClaimReview includes
(see ots_analysis.presentation.prepare). A failure stops the render with the reason."""

from ots_analysis.presentation.prepare import main

raise SystemExit(main([]))
