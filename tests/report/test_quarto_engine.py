"""The report environment can serve Quarto's Jupyter engine, without Quarto.

Quarto renders the report's cells through its own Python script (``notebook.py``), run by the
interpreter in ``QUARTO_PYTHON``. That script imports PyYAML, nbformat, nbclient and jupyter_client,
and starts the ``python3`` kernel (ipykernel). A package missing from the ``report`` extras makes
``nox -s report`` fail in its first cell on a user's machine; these tests make it fail here instead.
"""

from __future__ import annotations

import importlib
import re
from importlib import metadata
from pathlib import Path

import pytest

ENGINE_IMPORTS = {
    "yaml": "pyyaml",
    "nbformat": "nbformat",
    "nbclient": "nbclient",
    "jupyter_client": "jupyter-client",
    "jupyter_core": "jupyter-core",
    "ipykernel": "ipykernel",
}
"""Module imported by Quarto's engine (or the kernel it starts) -> the distribution that provides it."""


def _report_extra_requirements() -> set[str]:
    """Normalised names of the distributions the ``report`` extra of ots-analysis requires."""
    names = set()
    for requirement in metadata.requires("ots-analysis") or []:
        if re.search(r"""extra\s*==\s*["']report["']""", requirement):
            name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
            names.add(name.lower().replace("_", "-"))
    return names


@pytest.mark.parametrize("module", sorted(ENGINE_IMPORTS))
def test_report_extra_declares_what_quartos_engine_imports(module: str) -> None:
    assert ENGINE_IMPORTS[module] in _report_extra_requirements(), (
        f"Quarto's Jupyter engine imports {module!r}; add {ENGINE_IMPORTS[module]!r} to the report extra"
    )
    importlib.import_module(module)


def test_python3_kernel_runs_a_cell_that_imports_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's path migration, else it warns
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import yaml, ots_analysis\nprint(ots_analysis.__name__, yaml.safe_load('a: 1'))"
        )
    )
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(Path.cwd())}}
    )
    client.execute()
    outputs = notebook.cells[0].outputs
    assert [output.get("text", "") for output in outputs] == ["ots_analysis {'a': 1}\n"]
