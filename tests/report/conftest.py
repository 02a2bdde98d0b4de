"""A copy of the project (raw and processed data, the report) in a temporary folder, for tests that
run the report's cells or render it: nothing is written into the repository. ``rendered_site`` renders
such a copy once per session with the real Quarto (skipped where none is installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ots_analysis.build import render_outputs, write_outputs
from ots_analysis.load import load_raw
from ots_analysis.paths import ROOT_ENV, ProjectPaths, project_paths
from ots_analysis.presentation.site import GENERATED_MARK

QUARTO = shutil.which("quarto")
_IGNORED = shutil.ignore_patterns("_output", "_preview", "_generated", "_figures", ".quarto", "*_files")


def IGNORED(folder: str, names: list[str]) -> set[str]:  # noqa: N802 (used like shutil.ignore_patterns)
    """What a copy of report/ leaves out: outputs, caches, and the article pages generated from the data."""
    ignored = set(_IGNORED(folder, names))
    for name in names:
        path = Path(folder) / name
        if (
            path.suffix == ".qmd"
            and path.parent.name == "articles"
            and GENERATED_MARK in path.read_text("utf-8")
        ):
            ignored.add(name)
    return ignored


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


@dataclass(frozen=True)
class RenderedSite:
    """A project copy whose site Quarto rendered, the output folder, and the render's log and time."""

    paths: ProjectPaths
    output: Path
    log: str
    seconds: float


def render_site(paths: ProjectPaths, *targets: str) -> subprocess.CompletedProcess[str]:
    """``quarto render`` of a project copy (or of ``targets`` in it), run by this interpreter's kernel."""
    assert QUARTO is not None
    # the kernel and the pre-render step must run this interpreter (which has ots_analysis), whatever
    # the caller's QUARTO_PYTHON says; the copy is found through OTS_ANALYSIS_ROOT
    env = {**os.environ, "QUARTO_PYTHON": sys.executable, ROOT_ENV: str(paths.root)}
    return subprocess.run(
        [QUARTO, "render", *(targets or (str(paths.report),))],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


@pytest.fixture(scope="session")
def quarto_render() -> Callable[..., subprocess.CompletedProcess[str]]:
    """:func:`render_site`, for tests that render a copy of their own."""
    return render_site


@pytest.fixture(scope="session")
def rendered_site(tmp_path_factory: pytest.TempPathFactory, real_paths: ProjectPaths) -> RenderedSite:
    """The whole site of a project copy, rendered once per session by the real Quarto."""
    if QUARTO is None:
        pytest.skip("Quarto is not installed here; the render is checked at review")
    paths = copy_project(real_paths, tmp_path_factory.mktemp("site"))
    start = time.perf_counter()
    done = render_site(paths)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return RenderedSite(paths, paths.report_output, done.stdout + done.stderr, seconds)
