"""The printed report's layout: the preview PDF (pandoc + Typst, as Quarto prints) has no overlapping
words, nothing off the page and no table word broken, and the check does find a too-narrow column."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from ots_analysis.paths import ProjectPaths
from ots_analysis.presentation import pipe_table
from ots_analysis.preview import layout_problems, preview_report, render_pdf, text_layer

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


LONG = (
    pipe_table(
        pd.DataFrame(
            {
                "ID": [f"C{row:02d}" for row in range(90)],
                "Check": "date-matches",
                "Computed value": [
                    f"a computed value of row {row}, long enough to fill a line" for row in range(90)
                ],
            }
        )
    )
    + "\n\nTable: A table longer than a page. {#tbl-long}\n"
)


def _rows_by_page(pdf: Path) -> dict[str, int]:
    return {box.text: box.page for box in text_layer(pdf).words if box.text in ("C00", "C89")}


def test_a_long_captioned_table_continues_on_the_next_page(
    shared_project: ProjectPaths, tmp_path: Path
) -> None:
    pdf = render_pdf(
        LONG,
        tmp_path,
        shared_project.processed / "references.json",
        shared_project.report / "_typst" / "layout.typ",
        "Long table",
    )
    assert layout_problems(pdf, LONG) == []
    pages = _rows_by_page(pdf)
    assert pages["C89"] > pages["C00"]


def test_without_the_print_rules_a_long_table_is_found_printed_past_the_page(
    shared_project: ProjectPaths, tmp_path: Path
) -> None:
    # the preview puts tables in Quarto's figure kind, so it shows what Quarto 1.11 printed before
    # layout.typ made that kind breakable: a table that does not break runs past the page's bottom
    bare = tmp_path / "no-rules.typ"
    bare.write_text("// no table rules\n", encoding="utf-8")
    pdf = render_pdf(LONG, tmp_path, shared_project.processed / "references.json", bare, "Long table")
    problems = layout_problems(pdf, LONG)
    assert problems and all(("overlaps" in p or "off the page" in p) for p in problems), problems
