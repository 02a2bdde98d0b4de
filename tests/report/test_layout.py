"""The printed report's layout: the preview PDF (pandoc + Typst, as Quarto prints) has no overlapping
words, nothing off the page and no table word broken, and the check does find a too-narrow column."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from ots_analysis.paths import ProjectPaths
from ots_analysis.preview import layout_problems, preview_report, render_pdf

MISSING = [name for name in ("pypandoc", "typst", "pdfplumber") if importlib.util.find_spec(name) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"preview tools not installed ({', '.join(MISSING)}): pip install .[preview]"
)


def test_the_preview_pdf_has_no_layout_problem(shared_project: ProjectPaths) -> None:
    try:
        pdf, markdown = preview_report(
            shared_project.report,
            shared_project.processed / "references.json",
            shared_project.report / "_preview",
        )
    finally:
        plt.close("all")
    assert pdf.stat().st_size > 100_000
    assert layout_problems(pdf, markdown) == []


WHY = "A long explanation of the verdict that fills the rest of the line with many ordinary words."
NARROW = "\n".join(
    [
        "| ID | Verdict | Why |",
        "|-:|:-|:" + "-" * 110 + "|",  # the first two columns get 1 dash each: far too narrow
        f"| C01 | Partly-supported-with-a-very-long-word | {WHY} |",
        f"| C02 | Contradictedbeyondanyreasonabledoubt | {WHY} |",
    ]
)


def test_a_column_too_narrow_for_its_words_is_found(shared_project: ProjectPaths, tmp_path: Path) -> None:
    pdf = render_pdf(
        NARROW,
        tmp_path,
        shared_project.processed / "references.json",
        shared_project.report / "_typst" / "layout.typ",
        "Layout check",
    )
    problems = layout_problems(pdf, NARROW)
    assert any("overlaps" in problem for problem in problems), problems
