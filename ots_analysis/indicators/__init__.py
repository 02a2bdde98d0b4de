"""Indicators: pure functions from validated DataFrames to DataFrames (no I/O, no globals)."""

from ots_analysis.indicators import cooperation, memberships, timeline, trade

__all__ = ["cooperation", "memberships", "timeline", "trade"]
