"""Paths resolve from a marker or an override; outputs are written in a fixed format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ots_analysis.build import to_csv_text
from ots_analysis.paths import RAW_ENV, ProjectNotFoundError, find_root, project_paths


def test_root_is_found_from_a_subfolder(real_paths) -> None:
    assert find_root(real_paths.root / "ots_analysis") == real_paths.root


def test_not_a_project_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError, match="not inside an ots-analysis checkout"):
        find_root(tmp_path)


def test_environment_variable_overrides_raw_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RAW_ENV, str(tmp_path))
    assert project_paths().raw == tmp_path.resolve()


def test_argument_overrides_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RAW_ENV, "/nonexistent")
    assert project_paths(raw=tmp_path).raw == tmp_path.resolve()


def test_csv_text_has_fixed_formats() -> None:
    frame = pd.DataFrame(
        {
            "value_usd": [6.3e9, float("nan")],
            "share": [1 / 3, 0.5],
            "date": pd.to_datetime(["2024-02-14", None]),
            "name": ["a", "b"],
        }
    )
    assert to_csv_text(frame) == (
        "value_usd,share,date,name\n6300000000,0.333333,2024-02-14,a\n,0.500000,,b\n"
    )
