"""A copy of the project (raw and processed data, the report) in a temporary folder, for tests that
run the report's cells or render it: nothing is written into the repository."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ots_analysis.build import render_outputs, write_outputs
from ots_analysis.load import load_raw
from ots_analysis.paths import ROOT_ENV, ProjectPaths, project_paths

IGNORED = shutil.ignore_patterns("_output", "_preview", "_generated", "_figures", ".quarto", "*_files")


def copy_project(real: ProjectPaths, destination: Path) -> ProjectPaths:
    """pyproject.toml, data/ and report/ of the real project, copied under ``destination``."""
    shutil.copy2(real.root / "pyproject.toml", destination / "pyproject.toml")
    shutil.copytree(real.raw, destination / "data" / "raw")
    shutil.copytree(real.processed, destination / "data" / "processed")
    shutil.copytree(real.report, destination / "report", ignore=IGNORED)
    return project_paths(root=destination)


def rebuild(paths: ProjectPaths) -> None:
    """Build data/processed of a project copy from its raw data."""
    write_outputs(render_outputs(load_raw(paths), paths), paths.processed)


@pytest.fixture
def rebuilt() -> Callable[[ProjectPaths], None]:
    """:func:`rebuild`, for tests that change a copy's raw data."""
    return rebuild


@pytest.fixture(scope="module")
def shared_project(
    tmp_path_factory: pytest.TempPathFactory, real_paths: ProjectPaths
) -> Iterator[ProjectPaths]:
    """A project copy shared by a test module's read-only tests (found through ``OTS_ANALYSIS_ROOT``)."""
    paths = copy_project(real_paths, tmp_path_factory.mktemp("project"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ROOT_ENV, str(paths.root))
        yield paths


@pytest.fixture
def project(tmp_path: Path, real_paths: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> ProjectPaths:
    """A fresh project copy that the library finds (``OTS_ANALYSIS_ROOT``)."""
    paths = copy_project(real_paths, tmp_path)
    monkeypatch.setenv(ROOT_ENV, str(paths.root))
    return paths
