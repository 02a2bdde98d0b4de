"""Fuzzing in the suite: a few hundred mutated copies of data/raw, each class of wrong input covered.

The cases come from ``fuzz_raw`` (seeded; ``OTS_FUZZ_SEED`` and ``OTS_FUZZ_CASES`` change the seed and
the count). Each must leave no traceback, be rejected at its file:line:column if it is wrong by
construction, and leave data/raw and data/processed as they were. ``nox -s fuzz`` runs 10,000.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_raw import MUTATIONS, Case, Workspace, cases, read_tables

from ots_analysis.paths import ProjectPaths, project_paths

SEED = int(os.environ.get("OTS_FUZZ_SEED", "20261202"))
COUNT = int(os.environ.get("OTS_FUZZ_CASES", "540"))  # 20 of each of the 27 classes
CASES = list(cases(SEED, COUNT, read_tables(project_paths().raw)))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, real_paths: ProjectPaths) -> Iterator[Workspace]:
    """One scratch copy of data/raw (and a build of it) shared by every case; each case restores it."""
    yield Workspace(Path(tmp_path_factory.mktemp("fuzz")), real_paths)


def test_every_class_is_covered() -> None:
    kinds = {case.kind for case in CASES}
    assert kinds == set(MUTATIONS)
    assert sum(case.must_reject for case in CASES) >= 450  # wrong by construction
    assert any(case.must_accept for case in CASES)  # right by construction (a CRLF file)
    assert len(CASES) >= 540


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.number}-{case.kind}-{case.table}")
def test_mutated_raw_data_fails_cleanly(case: Case, workspace: Workspace) -> None:
    outcome = workspace.run(case)
    assert outcome.problems == [], f"{case.label()}\n{outcome.err}"
