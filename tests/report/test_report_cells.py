"""The report's Python runs without Quarto; its structure is what Quarto needs to render it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from ots_analysis.paths import ProjectPaths

CELL = re.compile(r"```\{python\}\n(.*?)```", re.DOTALL)
INLINE = re.compile(r"`\{python\} (.+?)`")


def report_documents(paths: ProjectPaths) -> list[Path]:
    return sorted(paths.report.glob("*.qmd"))


def test_report_has_documents(real_paths: ProjectPaths) -> None:
    assert report_documents(real_paths)


def test_cells_and_inline_expressions_run_in_order(real_paths: ProjectPaths) -> None:
    for document in report_documents(real_paths):
        text = document.read_text(encoding="utf-8")
        namespace: dict[str, object] = {}
        cells = CELL.findall(text)
        assert cells, f"{document.name} has no Python cells"
        for number, cell in enumerate(cells, start=1):
            exec(compile(cell, f"{document.name}:cell{number}", "exec"), namespace)
            plt.close("all")
        for expression in INLINE.findall(text):
            assert str(eval(expression, namespace))


def test_figures_and_tables_have_labels_captions_and_alt_text(real_paths: ProjectPaths) -> None:
    for document in report_documents(real_paths):
        for cell in CELL.findall(document.read_text(encoding="utf-8")):
            label = re.search(r"#\| label: (\S+)", cell)
            if label and label.group(1).startswith("fig-"):
                assert "#| fig-cap:" in cell and "#| fig-alt:" in cell, label.group(1)
            if label and label.group(1).startswith("tbl-"):
                assert "#| tbl-cap:" in cell and "#| output: asis" in cell, label.group(1)
            if label:
                assert "_" not in label.group(1), f"Quarto labels must not contain '_': {label.group(1)}"


def test_every_cross_reference_points_to_a_label(real_paths: ProjectPaths) -> None:
    for document in report_documents(real_paths):
        text = document.read_text(encoding="utf-8")
        labels = set(re.findall(r"#\| label: (\S+)", text))
        references = set(re.findall(r"@((?:fig|tbl)-[a-z0-9-]+)", text))
        assert references <= labels, references - labels


def test_citations_resolve_to_the_bibliography(real_paths: ProjectPaths) -> None:
    bibliography = json.loads((real_paths.processed / "references.json").read_text(encoding="utf-8"))
    ids = {item["id"] for item in bibliography}
    register = real_paths.article_file("timestengri-2025-10-ots-military", "claims.csv").read_text(
        encoding="utf-8"
    )
    for row in csv.DictReader(io.StringIO(register)):
        assert set(row["source_ids"].split(";")) <= ids, row["claim_id"]


@pytest.mark.quarto
@pytest.mark.skipif(
    shutil.which("quarto") is None, reason="Quarto is not installed here; render test skipped"
)
def test_render_writes_html_and_pdf_that_mention_every_claim(
    real_paths: ProjectPaths, tmp_path: Path
) -> None:
    subprocess.run(["quarto", "render", str(real_paths.report)], check=True, timeout=900)
    output = real_paths.report_output
    html = output / "index.html"
    pdf = output / "index.pdf"
    assert html.is_file() and pdf.is_file()
    text = html.read_text(encoding="utf-8")
    with real_paths.article_file("timestengri-2025-10-ots-military", "claims.csv").open(
        encoding="utf-8"
    ) as handle:
        claim_ids = [row["claim_id"] for row in csv.DictReader(handle)]
    missing = [claim_id for claim_id in claim_ids if claim_id not in text]
    assert not missing
    if shutil.which("pdftotext"):
        pdf_text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert not [claim_id for claim_id in claim_ids if claim_id not in pdf_text]
