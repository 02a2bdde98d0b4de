"""The example notebooks in notebooks/: each runs from a fresh kernel without an error or a warning, and
uses only the public API.

A notebook runs as a reader would run it: the ``python3`` kernel of this environment, started in the
notebooks folder, with no path override and matplotlib's notebook backend. nbclient raises on the first
cell that fails, naming the cell. (That they are stored without outputs is checked by ``nox -s lint``
with nbstripout, the tool the pre-commit hook uses.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import ots_analysis
from ots_analysis.paths import PROCESSED_ENV, RAW_ENV, ROOT_ENV, project_paths

NOTEBOOKS = sorted((project_paths().root / "notebooks").glob("*.ipynb"))


def code_cells(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_there_are_example_notebooks() -> None:
    assert len(NOTEBOOKS) >= 2, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_uses_only_the_public_api(path: Path) -> None:
    public = set(ots_analysis.__all__)
    for source in code_cells(path):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "ots_analysis":
                assert node.module == "ots_analysis", f"{path.name} imports from {node.module}"
                private = [alias.name for alias in node.names if alias.name not in public]
                assert not private, f"{path.name} imports {private}, not in ots_analysis.__all__"
            if isinstance(node, ast.Import):
                deep = [alias.name for alias in node.names if alias.name.startswith("ots_analysis.")]
                assert not deep, f"{path.name} imports {deep}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_from_a_fresh_kernel(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's path migration, else it warns
    for name in (ROOT_ENV, RAW_ENV, PROCESSED_ENV, "MPLBACKEND"):  # as a reader's kernel starts
        monkeypatch.delenv(name, raising=False)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(path.parent)}}
    )

    client.execute()  # raises CellExecutionError, with the cell and its traceback, if a cell fails

    warned = [
        output.text
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stderr"
    ]
    assert warned == [], f"{path.name} wrote to stderr (a warning a reader would see):\n" + "".join(warned)
