"""A regular (non-editable) install, used from a notebook outside any clone, finds the data by the
documented routes: the ``OTS_ANALYSIS_ROOT`` variable, or ``project_paths(root=...)``; and without
either it says what to do.

The wheel is built as ``pip install <clone>`` builds it, from a copy of the clone without build
artefacts (a stale ``*.egg-info`` can smuggle modules into a wheel that a fresh clone would lack),
installed with the locked dependency versions into a new virtual environment, and a notebook in a
temporary folder runs there from a fresh kernel of that environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from uv import find_uv_bin

from ots_analysis.load import RawData
from ots_analysis.paths import PROCESSED_ENV, RAW_ENV, ROOT_ENV, ProjectPaths

CELLS = (
    # the variable
    "from ots_analysis import ProjectPaths, claims_register, load_raw, project_paths\n"
    "register = claims_register(load_raw())\n"
    "print(len(register), register['final_verdict'].notna().all())",
    # an explicit path argument
    "import os\n"
    "root = os.environ.pop('OTS_ANALYSIS_ROOT')\n"
    "print(len(claims_register(load_raw(project_paths(root=root)))))",
    # neither: the error says what to do
    "try:\n    project_paths()\nexcept Exception as error:\n    print(type(error).__name__, error)",
)

# runs in the new environment: execute the notebook from a fresh python3 kernel, in place
EXECUTE = """
import sys
import nbformat
from nbclient import NotebookClient

path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
NotebookClient(notebook, kernel_name="python3", timeout=600).execute()
nbformat.write(notebook, path)
"""


def uv(*args: str | Path, cwd: Path) -> None:
    subprocess.run([find_uv_bin(), *map(str, args)], cwd=cwd, check=True, timeout=600)


def stdout_of(cell: nbformat.NotebookNode) -> str:
    return "".join(output.get("text", "") for output in cell.outputs if output.get("name") == "stdout")


def test_installed_wheel_finds_the_data_from_a_notebook_outside_the_clone(
    tmp_path: Path, real_paths: ProjectPaths, raw: RawData
) -> None:
    root = real_paths.root
    source = tmp_path / "clone"
    shutil.copytree(
        root, source, ignore=shutil.ignore_patterns(".*", "*.egg-info", "build", "dist", "__pycache__")
    )
    uv("build", "--quiet", "--wheel", "--out-dir", tmp_path / "dist", source, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    requirements = tmp_path / "requirements.txt"
    # the locked versions of the dependencies and of the report extra (which brings nbclient and ipykernel)
    uv(
        "export", "--quiet", "--project", root, "--frozen", "--no-emit-project", "--no-hashes",
        "--extra", "report", "--output-file", requirements, cwd=tmp_path,
    )  # fmt: skip
    venv = tmp_path / "venv"
    uv("venv", "--quiet", "--python", sys.executable, venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    uv("pip", "install", "--quiet", "--python", python, "-r", requirements, wheel, cwd=tmp_path)

    elsewhere = tmp_path / "analysis"
    elsewhere.mkdir()
    notebook_path = elsewhere / "check.ipynb"
    notebook = new_notebook(cells=[new_code_cell(source) for source in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, notebook_path)
    env = {
        key: value for key, value in os.environ.items() if key not in {RAW_ENV, PROCESSED_ENV, "PYTHONPATH"}
    }
    env |= {ROOT_ENV: str(root), "JUPYTER_PLATFORM_DIRS": "1", "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [str(python), "-c", EXECUTE, str(notebook_path)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr

    installed = json.loads(
        subprocess.run(
            [str(python), "-c", "import json, ots_analysis; print(json.dumps(ots_analysis.__file__))"],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert Path(installed).is_relative_to(venv), installed  # the installed copy, not the clone's

    by_variable, by_argument, by_neither = nbformat.read(notebook_path, as_version=4).cells
    assert stdout_of(by_variable) == f"{len(raw.claims)} True\n"
    assert stdout_of(by_argument) == f"{len(raw.claims)}\n"
    error = stdout_of(by_neither)
    assert error.startswith("ProjectNotFoundError cannot find the ots-analysis repository")
    assert ROOT_ENV in error
    assert "project_paths(root=...)" in error
