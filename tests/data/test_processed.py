"""data/processed is exactly what a build of data/raw makes, and builds are byte-identical."""

from __future__ import annotations

import json

from ots_analysis.build import BuildResult, compare_outputs, render_outputs, sha256_bytes, write_outputs
from ots_analysis.load import RawData, load_raw
from ots_analysis.paths import ProjectPaths


def test_committed_processed_matches_a_fresh_build(raw: RawData, real_paths: ProjectPaths) -> None:
    assert compare_outputs(render_outputs(raw, real_paths), real_paths.processed) == []


def test_two_builds_are_byte_identical(scratch: ProjectPaths) -> None:
    first = render_outputs(load_raw(scratch), scratch)
    second = render_outputs(load_raw(scratch), scratch)
    assert first.files == second.files


def test_manifest_lists_outputs_and_inputs_with_hashes(scratch: ProjectPaths) -> None:
    result = render_outputs(load_raw(scratch), scratch)
    write_outputs(result, scratch.processed)
    manifest = json.loads(scratch.manifest.read_text(encoding="utf-8"))
    for name, entry in manifest["outputs"].items():
        assert entry["sha256"] == sha256_bytes((scratch.processed / name).read_bytes())
        assert entry["rows"] >= 0
    for name, entry in manifest["inputs"].items():
        assert entry["sha256"] == sha256_bytes((scratch.raw / name).read_bytes())
    assert "manifest.json" not in manifest["outputs"]


def test_build_removes_outputs_it_no_longer_makes(scratch: ProjectPaths) -> None:
    result = render_outputs(load_raw(scratch), scratch)
    manifest = json.loads(result.files["manifest.json"])
    manifest["outputs"]["old_table.csv"] = {"rows": 1, "sha256": sha256_bytes(b"x\n")}
    earlier = {**result.files, "old_table.csv": b"x\n", "manifest.json": json.dumps(manifest).encode()}
    write_outputs(BuildResult(earlier, result.rows, result.columns), scratch.processed)
    stale = scratch.processed / "old_table.csv"
    assert stale.exists()
    write_outputs(result, scratch.processed)
    assert not stale.exists()


def test_outputs_use_unix_line_endings_and_sorted_keys(real_paths: ProjectPaths) -> None:
    for path in real_paths.processed.rglob("*.csv"):
        assert b"\r\n" not in path.read_bytes(), path.name
