"""Markdown building blocks for the report: pipe tables with explicit column widths, citations.

Pandoc (and so Quarto) gives a pipe table relative column widths from the number of dashes in each
column of its separator line, provided some line of the table is longer than 72 characters; otherwise
it sizes columns from their content, which in print can leave a short column (an id, a verdict)
narrower than its longest word, so that it prints over its neighbour. :func:`pipe_table` therefore
always writes a separator line of :data:`SEPARATOR_DASHES` dashes, shared among the columns by
:func:`column_shares`: every column gets at least the room its longest word needs on the printed
page, and the rest of the line goes to the columns with the most text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from ots_analysis.multivalue import SEPARATOR

PAGE_LINE_CHARS = 88.0
"""Characters of running text that fit on a line of the printed report (A4, 2 cm margins, 11 pt):
17 cm = 482 pt at an average glyph width of about 5.5 pt."""

CELL_PADDING_CHARS = 2.5
"""The cell inset on both sides (2 x 6 pt in Quarto's Typst template), in characters."""

WORD_SAFETY = 1.2
"""Bold letters, capitals and wide glyphs are wider than the average: a word's room is its length
times this factor."""

SEPARATOR_DASHES = 120
"""Dashes in a table's separator line: more than pandoc's 72 columns, so relative widths apply."""

_WORD = re.compile(r"\S+")


NO_SOURCE = "(no source cited)"
"""What a row without sources shows where its citation would be (validation refuses such a claim, but the
report says so rather than printing an empty citation)."""


def cite(source_ids: object) -> str:
    """Pandoc citation for ``;``-separated source ids: ``"a;b"`` -> ``"[@a; @b]"`` (a missing or empty
    cell: :data:`NO_SOURCE`)."""
    text = source_ids if isinstance(source_ids, str) else ""
    keys = [f"@{source.strip()}" for source in text.split(SEPARATOR) if source.strip()]
    return "[" + "; ".join(keys) + "]" if keys else NO_SOURCE


_CITATION = re.compile(r"\[(@[^\]]+)\]")
_LINK = re.compile(r"\[([^\]@][^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
"""A Markdown link ``[text](url)`` or span ``[text]{#id .class}``: a reader sees only ``text``."""
_CITATION_KEY = re.compile(r"@([\w.:-]+)")

CitationLabels = Mapping[str, str]
"""How a citation prints, by source id (e.g. ``"Anadolu Agency 2025"``): used to size columns."""


def _visible(text: str, labels: CitationLabels) -> str:
    """The text a reader sees: ``[@a; @b]`` prints as ``(label a; label b)``, not as the keys."""

    def printed(match: re.Match[str]) -> str:
        keys = _CITATION_KEY.findall(match.group(1))
        return "(" + "; ".join(labels.get(key, "Publisher n.d.") for key in keys) + ")"

    return _LINK.sub(lambda match: match.group(1), _CITATION.sub(printed, text))


def longest_word(texts: Sequence[str], labels: CitationLabels | None = None) -> int:
    """Length of the longest whitespace-separated word in ``texts`` as printed (0 if none)."""
    shown = (_visible(text, labels or {}) for text in texts)
    return max((len(word) for text in shown for word in _WORD.findall(text)), default=0)


def column_shares(
    columns: Mapping[str, Sequence[str]],
    labels: CitationLabels | None = None,
    line_chars: float = PAGE_LINE_CHARS,
) -> dict[str, float]:
    """Each column's share of the line (the shares sum to 1).

    A column needs ``longest word x WORD_SAFETY + CELL_PADDING_CHARS`` characters and wants its
    longest cell, up to a line; it gets what it needs, and the rest of the line is divided in
    proportion to what each column wants beyond its need. When even the needs exceed the line, the
    shares follow the needs (the layout test then reports the overflow).
    """
    labels = labels or {}
    need = {
        name: longest_word([*texts, name], labels) * WORD_SAFETY + CELL_PADDING_CHARS
        for name, texts in columns.items()
    }
    want = {
        name: max(need[name], min(max((len(_visible(t, labels)) for t in texts), default=0), line_chars))
        for name, texts in columns.items()
    }
    total_need = sum(need.values())
    extra = {name: want[name] - need[name] for name in columns}
    room = line_chars - total_need
    if room <= 0 or sum(extra.values()) == 0:
        widths = need
    elif sum(want.values()) <= line_chars:
        widths = {name: want[name] * line_chars / sum(want.values()) for name in columns}
    else:
        widths = {name: need[name] + room * extra[name] / sum(extra.values()) for name in columns}
    total = sum(widths.values())
    return {name: width / total for name, width in widths.items()}


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).replace("\n", " ").replace("|", "\\|")


def pipe_table(
    frame: pd.DataFrame, labels: CitationLabels | None = None, number_format: str = "{:.1f}"
) -> str:
    """``frame`` as a Markdown pipe table whose column widths follow :func:`column_shares`.

    Numbers are right-aligned (floats with ``number_format``), text left-aligned; ``labels`` tell
    how citations in the cells print.
    """
    cells = {
        str(name): [
            number_format.format(v) if isinstance(v, float) and not math.isnan(v) else _cell(v)
            for v in frame[name].tolist()
        ]
        for name in frame.columns
    }
    shares = column_shares(cells, labels)
    numeric = {str(name): pd.api.types.is_numeric_dtype(frame[name]) for name in frame.columns}
    dashes = {name: max(3, round(share * SEPARATOR_DASHES)) for name, share in shares.items()}
    separator = (
        "|"
        + "|".join(
            ("-" * (dashes[name] - 1) + ":") if numeric[name] else (":" + "-" * (dashes[name] - 1))
            for name in cells
        )
        + "|"
    )
    header = "| " + " | ".join(_cell(name) for name in cells) + " |"
    rows = ["| " + " | ".join(values) + " |" for values in zip(*cells.values(), strict=True)]
    return "\n".join([header, separator, *rows])
