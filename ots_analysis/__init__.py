"""ots-analysis: a reproducible, sourced fact-check of an article on the Organization of Turkic States.

Typical notebook use::

    from ots_analysis import load_raw, indicators
    raw = load_raw()
    best = indicators.trade.best_estimate(indicators.trade.turnover_by_dyad(raw.trade))
"""

from __future__ import annotations

__version__ = "0.1.0"
