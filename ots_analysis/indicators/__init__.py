"""Indicators: pure functions from validated DataFrames to DataFrames (no I/O, no globals)."""
