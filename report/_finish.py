"""Quarto's post-render step (``project: post-render`` in _quarto.yml), run by the QUARTO_PYTHON interpreter:
two accessibility fixes to the navbar markup of every rendered page (see ots_analysis.presentation.site)."""

from ots_analysis.presentation.prepare import finish

raise SystemExit(finish())
