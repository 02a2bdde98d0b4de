"""Shared fixtures: the real project paths, a scratch copy of data/raw, the loaded raw data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")  # figures are drawn off-screen in tests

from ots_analysis.load import RawData, load_raw
from ots_analysis.paths import ProjectPaths, project_paths


@pytest.fixture(scope="session")
def real_paths() -> ProjectPaths:
    """The repository's own folders."""
    return project_paths()


@pytest.fixture(scope="session")
def raw(real_paths: ProjectPaths) -> RawData:
    """The real raw data, validated (loaded once per test session)."""
    return load_raw(real_paths)


@pytest.fixture
def scratch(tmp_path: Path, real_paths: ProjectPaths) -> ProjectPaths:
    """A copy of data/raw and an empty processed folder in a temporary directory."""
    raw_copy = tmp_path / "raw"
    shutil.copytree(real_paths.raw, raw_copy)
    processed = tmp_path / "processed"
    processed.mkdir()
    return project_paths(raw=raw_copy, processed=processed)
