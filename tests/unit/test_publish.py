"""The processed folder is published as one set: never a mix of old and new, even under kill -9.

The crash test forks a child that publishes a new set over an old one and kills itself with SIGKILL
right after its k-th file operation, for every k; the folder must then hold one complete set (the
old or the new one) whose manifest matches its files, and the next publish must clean up what the
killed one left.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import warnings
from pathlib import Path

import pandas as pd
import pytest

from ots_analysis import publish as publishing
from ots_analysis.build import (
    BuildResult,
    compare_outputs,
    manifest_json,
    render_outputs,
    unsafe_output_failures,
    write_outputs,
)
from ots_analysis.errors import DataValidationError
from ots_analysis.load import RawData
from ots_analysis.paths import ProjectPaths
from ots_analysis.publish import leftovers, publish, recover

HAS_FORK = hasattr(os, "fork")


def with_manifest(files: dict[str, bytes]) -> dict[str, bytes]:
    """A set as a build writes it: the files plus a manifest of their rows and hashes."""
    rows = {name: data.count(b"\n") for name, data in files.items()}
    return {**files, "manifest.json": manifest_json(files, rows, {}, {}).encode("utf-8")}


OLD = with_manifest(
    {
        "claims.csv": b"claim_id,verdict\nC01,supported\n",
        "stale.csv": b"a\n1\n",  # the new set no longer has it
        "articles/old-article/claims.csv": b"claim_id\nC01\n",
    }
)


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative name."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_one_complete_set(folder: Path, candidates: dict[str, dict[str, bytes]]) -> str:
    """The folder is exactly one candidate set, and its manifest lists every other file by sha256."""
    found = contents(folder)
    manifest = json.loads(found["manifest.json"])
    listed = {name: entry["sha256"] for name, entry in manifest["outputs"].items()}
    assert set(listed) | {"manifest.json"} == set(found)
    for name, digest in listed.items():
        assert hashlib.sha256(found[name]).hexdigest() == digest, name
    matches = [label for label, files in candidates.items() if files == found]
    assert len(matches) == 1, f"neither set: {sorted(found)}"
    return matches[0]


@pytest.fixture(scope="module")
def new_set(raw: RawData, real_paths: ProjectPaths) -> dict[str, bytes]:
    """A real build's files (each article's outputs in a subfolder) and their manifest."""
    files = render_outputs(raw, real_paths).files
    assert any("/" in name for name in files)
    return files


def count_steps(tmp: Path, files: dict[str, bytes], use_exchange: bool) -> int:
    target = tmp / "count" / "processed"
    publish(OLD, target)
    steps: list[str] = []
    publish(files, target, on_step=steps.append, use_exchange=use_exchange)
    return len(steps)


def publish_and_die(files: dict[str, bytes], target: Path, k: int, use_exchange: bool) -> int:
    """Fork a child that publishes and SIGKILLs itself after its k-th step; return its wait status."""
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (numpy's) may deadlock; the child only
        # writes files and never touches those threads' locks.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which never returns
        code = 0
        try:
            done = 0

            def step(_: str) -> None:
                nonlocal done
                done += 1
                if done == k:
                    os.kill(os.getpid(), signal.SIGKILL)

            publish(files, target, on_step=step, use_exchange=use_exchange)
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    return status


@pytest.mark.skipif(not HAS_FORK, reason="needs os.fork to kill a publishing process")
@pytest.mark.parametrize("use_exchange", [True, False], ids=["renameat2-exchange", "two-rename-fallback"])
def test_killed_after_every_file_operation_leaves_one_complete_set(
    tmp_path: Path, new_set: dict[str, bytes], use_exchange: bool
) -> None:
    if use_exchange and publishing._renameat2() is None:
        pytest.skip("no renameat2 on this system")
    total = count_steps(tmp_path, new_set, use_exchange)
    assert total > len(new_set)  # at least one operation per file, plus the swap and clean-up
    seen = set()
    for k in range(1, total + 2):  # total + 1: the child finishes without being killed
        target = tmp_path / f"k{k}" / "processed"
        publish(OLD, target)

        status = publish_and_die(new_set, target, k, use_exchange)

        if k <= total:
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (k, status)
        else:
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
        if not use_exchange and not target.exists():
            # The fallback's one gap: killed between its two renames. The old set waits aside.
            recover(target)
        seen.add(assert_one_complete_set(target, {"old": OLD, "new": new_set}))

        next_build = with_manifest({"claims.csv": f"claim_id\nC{k:02d}\n".encode()})
        publish(next_build, target)
        assert leftovers(target) == []
        assert contents(target) == next_build
    assert seen == {"old", "new"}


@pytest.mark.skipif(publishing._renameat2() is None, reason="no renameat2 on this system")
def test_the_exchange_never_leaves_the_folder_missing(tmp_path: Path, new_set: dict[str, bytes]) -> None:
    """With renameat2 there is no gap: after every step the target is a complete set."""
    target = tmp_path / "processed"
    publish(OLD, target)
    states: list[str] = []

    def check(_: str) -> None:
        states.append(assert_one_complete_set(target, {"old": OLD, "new": new_set}))

    publish(new_set, target, on_step=check, use_exchange=True)
    assert states[0] == "old" and states[-1] == "new"
    assert states == sorted(states, key=["old", "new"].index)  # flips once


def test_first_publish_creates_the_folder_with_subfolders(tmp_path: Path) -> None:
    target = tmp_path / "data" / "processed"
    written = publish(OLD, target)
    assert contents(target) == OLD
    assert sorted(path.relative_to(target).as_posix() for path in written) == sorted(OLD)
    assert leftovers(target) == []


def test_a_leftover_staging_folder_is_removed_by_the_next_publish(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    publish(OLD, target)
    stray = target.parent / ".processed.staging-999-deadbeef" / "sub"
    stray.mkdir(parents=True)
    (stray / "half.csv").write_bytes(b"a\n")
    publish(OLD, target)
    assert leftovers(target) == []


@pytest.mark.parametrize("name", ["../escape.csv", "/abs.csv", "a/./b.csv", ".hidden.csv", "a\\b.csv", ""])
def test_output_names_must_stay_inside_the_set(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="output name"):
        publish({name: b"x"}, tmp_path / "processed")
    assert not (tmp_path / "processed").exists()


def test_build_writes_and_compares_outputs_in_subfolders(tmp_path: Path) -> None:
    files = {"a.csv": b"x\n1\n", "articles/one/claims.csv": b"claim_id\nC01\n"}
    result = BuildResult(files=files, rows={name: 1 for name in files}, columns={})
    processed = tmp_path / "processed"
    write_outputs(result, processed)
    assert compare_outputs(result, processed) == []
    (processed / "articles" / "one" / "claims.csv").write_bytes(b"claim_id\nC02\n")
    (processed / "articles" / "two").mkdir()
    (processed / "articles" / "two" / "extra.csv").write_bytes(b"a\n")
    assert compare_outputs(result, processed) == [
        "not produced by the build: articles/two/extra.csv",
        "differs from a fresh build: articles/one/claims.csv",
    ]


@pytest.mark.parametrize("cell", ["=1+1", "+49 30", "@SUM(A1)", "-cmd", "-(1)", "\tx", "-inf"])
def test_an_output_cell_that_a_spreadsheet_would_run_is_refused(tmp_path: Path, cell: str) -> None:
    text = pd.DataFrame({"claim_id": ["C01"], "rationale": [cell]}).to_csv(index=False, lineterminator="\n")
    (failure,) = unsafe_output_failures({"articles/x/claims.csv": text.encode()}, tmp_path / "processed")
    assert failure.location().endswith("processed/articles/x/claims.csv:2:2")
    assert failure.column == "rationale"
    assert failure.rule.startswith("output cell begins with") and "formula" in failure.rule
    assert failure.location() in str(DataValidationError([failure]))


def test_negative_numbers_and_ordinary_text_are_safe_outputs(tmp_path: Path) -> None:
    text = b"value,note\n-0.5,a -1 step\n-12,(see above)\n"
    assert unsafe_output_failures({"x.csv": text}, tmp_path) == []
