"""Rendering with a real Quarto (skipped where none is installed): both outputs, the ClaimReview in the
HTML head, the explorable register, and a PDF that passes the layout check."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import matplotlib.pyplot as plt
import pytest

from ots_analysis.paths import ROOT_ENV, ProjectPaths
from ots_analysis.preview import FRONT_MATTER, execute_document, layout_problems, typst_markdown
from ots_analysis.processed import load_processed

QUARTO = shutil.which("quarto")


@pytest.mark.quarto
@pytest.mark.skipif(QUARTO is None, reason="Quarto is not installed here; the render is checked at review")
def test_quarto_renders_a_copy_whose_outputs_hold_every_claim(project: ProjectPaths) -> None:
    # the kernel must be this interpreter (which has ots_analysis), whatever the caller's QUARTO_PYTHON says
    env = {**os.environ, "QUARTO_PYTHON": sys.executable, ROOT_ENV: str(project.root)}
    subprocess.run([str(QUARTO), "render", str(project.report)], check=True, timeout=900, env=env)
    html, pdf = project.report_output / "index.html", project.report_output / "index.pdf"
    assert html.is_file() and pdf.is_file()

    claims = load_processed(project).article_outputs().claims
    head = html.read_text(encoding="utf-8").split("</head>", 1)[0]
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, flags=re.DOTALL)
    reviews = [item for script in scripts for item in json.loads(script).get("@graph", [])]
    assert sorted(review["identifier"] for review in reviews) == sorted(claims["claim_id"])
    assert 'class="ots-register"' in html.read_text(encoding="utf-8")

    pdf_text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False
    ).stdout
    if pdf_text:
        assert not [claim_id for claim_id in claims["claim_id"] if claim_id not in pdf_text]
    text = (project.report / "index.qmd").read_text(encoding="utf-8")
    try:
        markdown = typst_markdown(execute_document(FRONT_MATTER.sub("", text), project.report))
    finally:
        plt.close("all")
    assert layout_problems(pdf, markdown) == []
