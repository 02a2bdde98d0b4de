"""Indicators: pure functions from validated DataFrames to DataFrames (no I/O, no globals)."""

from ots_analysis.indicators import cooperation, matrix, memberships, timeline, trade

__all__ = ["cooperation", "matrix", "memberships", "timeline", "trade"]
