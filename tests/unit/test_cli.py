"""The command line's exit codes: 0 success, 1 invalid data or stale outputs, 2 usage errors.

Commands run in-process through ``ots_analysis.cli.main``; builds write only into temporary folders
(the ``scratch`` fixture). One test runs ``python -m ots_analysis.cli`` in a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ots_analysis.cli import main
from ots_analysis.load import RawData
from ots_analysis.paths import PROCESSED_ENV, RAW_ENV, ROOT_ENV, ProjectPaths
from ots_analysis.schemas import TABLES
from ots_analysis.verdicts import VERDICT_ORDER

SUBCOMMANDS = ("validate", "build", "datapackage", "claims")


@pytest.fixture(autouse=True)
def _no_path_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders come from arguments or the repository only, never from the caller's environment."""
    for name in (ROOT_ENV, RAW_ENV, PROCESSED_ENV):
        monkeypatch.delenv(name, raising=False)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(argv)``'s exit code (argparse's SystemExit included), stdout and stderr."""
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def dirs(paths: ProjectPaths) -> list[str]:
    return ["--raw-dir", str(paths.raw), "--processed-dir", str(paths.processed)]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def built(scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]) -> ProjectPaths:
    """A scratch project after a successful ``build`` into its empty processed folder."""
    code, _, err = run([*dirs(scratch), "build"], capsys)
    assert code == 0, err
    return scratch


# --- exit 0 ------------------------------------------------------------------------------------------


def test_validate_real_data_exits_0_and_prints_row_counts(
    real_paths: ProjectPaths, raw: RawData, capsys: pytest.CaptureFixture[str]
) -> None:
    raw_before = folder_hashes(real_paths.raw)

    code, out, err = run(["validate"], capsys)

    assert code == 0
    assert err == ""
    assert out.startswith("data/raw is valid")
    for name in TABLES:
        assert f"{name} {len(getattr(raw, name))}" in out
    assert folder_hashes(real_paths.raw) == raw_before


def test_build_into_temp_dir_exits_0_and_writes_manifest_and_csvs(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    raw_before = folder_hashes(scratch.raw)

    code, out, err = run([*dirs(scratch), "build"], capsys)

    assert code == 0, err
    written = folder_hashes(scratch.processed)
    assert out.strip() == f"wrote {len(written)} files to processed"
    assert "manifest.json" in written
    csvs = sorted(path for path in scratch.processed.glob("*.csv"))
    assert csvs
    manifest = json.loads(scratch.manifest.read_text(encoding="utf-8"))
    # The manifest lists every other output with its sha256 and every raw input with its sha256.
    outputs = manifest["outputs"]
    assert set(outputs) | {"manifest.json"} == set(written)
    for name, entry in outputs.items():
        assert entry["sha256"] == written[name]
    for path in csvs:
        assert outputs[path.name]["rows"] == len(pd.read_csv(path))
    # data/raw/datapackage.json describes the tables; the build does not read it
    raw_tables = {name: digest for name, digest in raw_before.items() if name.endswith(".csv")}
    assert {name: entry["sha256"] for name, entry in manifest["inputs"].items()} == raw_tables
    assert folder_hashes(scratch.raw) == raw_before


def test_build_check_exits_0_right_after_build(
    built: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs_before = folder_hashes(built.processed)

    code, out, err = run([*dirs(built), "build", "--check"], capsys)

    assert code == 0, err
    assert f"matches a fresh build ({len(outputs_before)} files)" in out
    assert folder_hashes(built.processed) == outputs_before


def test_claims_exits_0_and_prints_a_count_for_every_verdict(
    raw: RawData, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["claims"], capsys)

    assert code == 0, err
    total = re.search(r"^Claims checked: (\d+)$", out, flags=re.MULTILINE)
    assert total is not None
    seed = raw.claims.loc[
        raw.claims["article_id"]
        == raw.articles.loc[raw.articles["is_default"].eq(True), "article_id"].iloc[0]
    ]
    assert int(total.group(1)) == len(seed)
    counts = {}
    for verdict in VERDICT_ORDER:
        found = re.search(rf"^\s+{verdict}\s+(\d+)\s+\(\d+%\)$", out, flags=re.MULTILINE)
        assert found is not None, f"no count for {verdict}"
        counts[verdict] = int(found.group(1))
    assert sum(counts.values()) == len(seed)


def test_help_exits_0_and_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)

    assert code == 0
    for command in SUBCOMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", out, flags=re.MULTILINE), command


# --- exit 1 ------------------------------------------------------------------------------------------


def alter_one_byte(processed: Path) -> str:
    name = "articles/timestengri-2025-10-ots-military/claims.csv"
    path = processed / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    return f"differs from a fresh build: {name}"


def delete_one_output(processed: Path) -> str:
    name = "turnover_by_dyad.csv"
    (processed / name).unlink()
    return f"missing: {name}"


def add_stray_output(processed: Path) -> str:
    (processed / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    return "not produced by the build: notes.csv"


@pytest.mark.parametrize(
    "tamper",
    [alter_one_byte, delete_one_output, add_stray_output],
    ids=["altered-byte", "deleted-output", "stray-output"],
)
def test_build_check_exits_1_and_names_the_differing_file(
    tamper, built: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = tamper(built.processed)
    outputs_before = folder_hashes(built.processed)

    code, out, err = run([*dirs(built), "build", "--check"], capsys)

    assert code == 1
    assert out == ""
    assert f"  {problem}\n" in err
    assert "Traceback" not in err
    assert folder_hashes(built.processed) == outputs_before  # --check writes nothing


# --- exit 2 ------------------------------------------------------------------------------------------


def test_unknown_subcommand_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["publish"], capsys)

    assert code == 2
    assert out == ""
    assert "invalid choice: 'publish'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("kind", ["empty-folder", "missing-folder"])
@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_root_that_is_not_a_project_exits_2_with_a_message(
    kind: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "elsewhere"
    if kind == "empty-folder":
        root.mkdir()

    code, out, err = run(["--root", str(root), command], capsys)

    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith("ots-analysis: ")
    assert str(root) in err
    assert "is not inside an ots-analysis checkout" in err


# --- python -m -------------------------------------------------------------------------------------


def test_python_m_validate_exits_0(real_paths: ProjectPaths) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ots_analysis.cli", "validate"],
        cwd=real_paths.root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data/raw is valid")
    assert "Traceback" not in result.stderr


def test_python_m_exit_codes_reach_the_shell(scratch: ProjectPaths) -> None:
    """``sys.exit(main())`` passes 1 (invalid data) and 2 (usage) on to the calling process."""
    countries = scratch.raw_table("countries")
    countries.write_bytes(b"\xef\xbb\xbf" + countries.read_bytes())
    command = [sys.executable, "-m", "ots_analysis.cli"]
    invalid = subprocess.run(
        [*command, *dirs(scratch), "validate"], capture_output=True, text=True, timeout=300, check=False
    )
    usage = subprocess.run([*command, "publish"], capture_output=True, text=True, timeout=300, check=False)

    assert invalid.returncode == 1
    assert "countries.csv:1:1:" in invalid.stderr
    assert "Traceback" not in invalid.stderr
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr
