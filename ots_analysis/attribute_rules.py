"""Validation of the attribute tables: event_themes.csv (a summit's theme) and country_statistics.csv
(a country's area or population).

Rules (registered in :data:`ots_analysis.integrity.TABLE_RULES`): a theme belongs to an event of
events.csv, and every word of the theme is written in its evidence excerpt (a theme is copied, not
paraphrased). A country statistic's figure must be written in its evidence, like every figure
(:func:`ots_analysis.integrity.figures_in_evidence`), and its country listed in countries.csv
(:func:`ots_analysis.integrity.unknown_countries`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import cast

import pandas as pd

from ots_analysis.errors import Failure

Tables = Mapping[str, pd.DataFrame]
Labels = Mapping[str, str]

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded, without punctuation: what a theme is compared by."""
    return [word.casefold() for word in _WORD.findall(text)]


def _ready(tables: Tables, *names: str) -> bool:
    return all(name in tables and not tables[name].columns.empty for name in names)


def _failures(frame: pd.DataFrame, file: str, column: str, bad: pd.Series, rule: str) -> list[Failure]:
    number = list(frame.columns).index(column) + 1
    return [
        Failure(file, int(cast(int, line)), number, column, str(value), rule) for line, value in bad.items()
    ]


def themes_of_known_events(tables: Tables, labels: Labels) -> list[Failure]:
    """Every event_id of event_themes.csv must be an event of events.csv."""
    if not _ready(tables, "event_themes", "events"):
        return []
    themes = tables["event_themes"]
    bad = themes.loc[~themes["event_id"].isin(set(tables["events"]["event_id"])), "event_id"]
    return _failures(
        themes, labels["event_themes"], "event_id", bad, "no event with this event_id in events.csv"
    )


def themes_in_evidence(tables: Tables, labels: Labels) -> list[Failure]:
    """Every word of a theme must be written in its evidence excerpt (ignoring case and punctuation)."""
    if not _ready(tables, "event_themes"):
        return []
    themes = tables["event_themes"]
    stated = [
        set(words(theme)) <= set(words(evidence))
        for theme, evidence in zip(themes["theme"], themes["evidence"], strict=True)
    ]
    bad = themes.loc[~pd.Series(stated, index=themes.index, dtype=bool), "theme"]
    rule = "the theme is not written in the row's evidence excerpt (copy it as the source words it)"
    return _failures(themes, labels["event_themes"], "theme", bad, rule)


ATTRIBUTE_RULES = (themes_of_known_events, themes_in_evidence)
"""The rules of the attribute tables."""
