"""The command line's exit codes: 0 success, 1 invalid data or stale outputs, 2 usage errors.

Commands run in-process through ``ots_analysis.cli.main``; builds write only into temporary folders
(the ``scratch`` fixture). One test runs ``python -m ots_analysis.cli`` in a subprocess.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ots_analysis import paths as paths_module
from ots_analysis.cli import main
from ots_analysis.load import RawData
from ots_analysis.paths import PROCESSED_ENV, RAW_ENV, ROOT_ENV, ProjectNotFoundError, ProjectPaths
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


def only_warnings(err: str) -> bool:
    """True if standard error holds nothing but warnings (e.g. unsettled trade disputes)."""
    return all(line.startswith("warning: ") for line in err.splitlines())


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
    assert only_warnings(err)  # unsettled disputes, if any
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


# --- a CLI a newcomer can drive --------------------------------------------------------------------

COMMON_OPTIONS = ("--root", "--raw-dir", "--processed-dir", "--quiet")


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_help_describes_it_and_its_options(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([command, "--help"], capsys)

    assert code == 0
    usage, _, rest = out.partition("\n\n")
    description = rest.split("\n\n", 1)[0]
    assert usage.startswith(f"usage: ots-analysis {command}")
    assert len(description.split()) >= 20, description  # a paragraph, not a one-liner
    for option in COMMON_OPTIONS + (("--check",) if command == "build" else ()):
        assert re.search(rf"^\s+(-\w, )?{option}\b.*\S", out, flags=re.MULTILINE), option


def break_a_cell(paths: ProjectPaths) -> str:
    """Put a formula in one cell of trade.csv; return the location that must be reported."""
    path = paths.raw_table("trade")
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = lines[2].split(",")
    fields[5] = "=1+1"  # period
    lines[2] = ",".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")
    return "raw/trade.csv:3:6: column 'period'"


@pytest.mark.parametrize("where", ["before", "after"])
def test_folder_options_work_before_or_after_the_subcommand(
    where: str, scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    location = break_a_cell(scratch)
    argv = [*dirs(scratch), "validate"] if where == "before" else ["validate", *dirs(scratch)]

    code, out, err = run(argv, capsys)

    assert code == 1
    assert out == ""
    assert location in err


def test_an_option_after_the_subcommand_wins_over_one_before(
    scratch: ProjectPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = break_a_cell(scratch)
    code, _, err = run(
        ["--raw-dir", str(tmp_path / "nowhere"), "validate", "--raw-dir", str(scratch.raw)], capsys
    )
    assert code == 1
    assert location in err


def test_validate_needs_no_processed_folder_and_never_writes(
    scratch: ProjectPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "processed"
    code, out, err = run(["validate", "--raw-dir", str(scratch.raw), "--processed-dir", str(missing)], capsys)
    assert code == 0, err
    assert "is valid" in out
    assert not missing.parent.exists()

    code, out, err = run(["validate", "--raw-dir", str(scratch.raw)], capsys)  # raw folder alone
    assert code == 0, err
    assert out.startswith(f"{scratch.raw} is valid")

    break_a_cell(scratch)
    code, _, err = run(["validate", "--raw-dir", str(scratch.raw), "--processed-dir", str(missing)], capsys)
    assert code == 1
    assert "Nothing was written" not in err
    assert not missing.parent.exists()


def test_an_unknown_csv_in_the_raw_folder_is_a_warning_that_names_it(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    (scratch.raw / "Trade_2025.csv").write_text("a\n1\n", encoding="utf-8")

    code, out, err = run([*dirs(scratch), "validate"], capsys)

    assert code == 0
    assert "is valid" in out
    (warning,) = [line for line in err.splitlines() if "unsettled" not in line]  # disputes aside
    assert warning.startswith("warning: raw/Trade_2025.csv: not a table of the schema")
    assert "trade.csv" in warning  # the tables it might have been meant as


class FakeTerminal(io.StringIO):
    """Standard output as a terminal would be: isatty() is true."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("quiet", [False, True], ids=["terminal", "terminal-quiet"])
def test_progress_shows_on_a_terminal_unless_quiet(
    command: str, quiet: bool, scratch: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)

    code = main([*dirs(scratch), command, *(["--quiet"] if quiet else [])])

    assert code == 0
    shown = terminal.getvalue()
    if quiet:
        assert shown == ""
        return
    assert "\r\x1b[Kvalidating raw/trade.csv" in shown
    if command == "build":
        assert "\r\x1b[Kprocessed: wrote manifest.json" in shown
    # The status line is erased, and the summary printed on the clean line.
    summary = shown.rsplit("\r\x1b[K", 1)[1]
    assert re.fullmatch(r"(raw is valid \(.*rows\)|wrote \d+ files to processed)\n", summary), summary


def test_no_progress_when_output_is_not_a_terminal(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([*dirs(scratch), "build"], capsys)
    assert code == 0, err
    assert "\r" not in out + err
    assert re.fullmatch(r"wrote \d+ files to processed\n", out)


def test_a_raw_folder_alone_works_outside_a_checkout(
    scratch: ProjectPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Installed without a checkout: validate reads the folder given; build writes beside it."""

    def nowhere(start: object = None) -> Path:
        raise ProjectNotFoundError("no checkout here")

    monkeypatch.setattr(paths_module, "find_root", nowhere)
    shutil.rmtree(scratch.processed)

    code, out, err = run(["validate", "--raw-dir", str(scratch.raw)], capsys)
    assert code == 0 and only_warnings(err)
    assert out.startswith("raw is valid")

    code, out, err = run(["build", "--raw-dir", str(scratch.raw)], capsys)
    assert code == 0 and only_warnings(err)
    assert (scratch.raw.parent / "processed" / "manifest.json").is_file()


# --- warnings: unsettled trade disputes ----------------------------------------------------------------


def _prefer(raw: Path, reporter: str, partner: str, year: str, flow: str, keep: set[str]) -> list[int]:
    """Mark the full-year rows of trade.csv for this figure whose source_ids are in ``keep`` preferred
    and set the others aside; returns the CSV lines of the kept rows."""
    path = raw / "trade.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = frame.index[
        (frame["reporter_iso3"] == reporter)
        & (frame["partner_iso3"] == partner)
        & (frame["year"] == year)
        & (frame["flow"] == flow)
        & (frame["period"] == "full_year")
    ]
    kept = [row for row in rows if frame.loc[row, "source_ids"] in keep]
    assert len(kept) == len(keep), frame.loc[rows, "source_ids"].tolist()
    frame.loc[rows, "preferred"] = "false"
    frame.loc[rows, "preferred_note"] = "set aside in a test"
    frame.loc[kept, "preferred"] = "true"
    frame.loc[kept, "preferred_note"] = ""
    frame.to_csv(path, index=False, lineterminator="\n")
    return [int(row) + 2 for row in kept]


# Two outlets' figures for China-Turkmenistan 2024, equally ranked (media, three digits): 12.2 and 10.6 bn.
CHN_TKM_2024 = ("CHN", "TKM", "2024", "turnover")
OUTLETS = {"alchempro-2025-chn-tkm-trade-2024", "trend-2025-02-tkm-chn-trade-2024"}


def test_validate_warns_of_each_unsettled_dispute_at_its_rows_and_still_exits_0(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _prefer(scratch.raw, *CHN_TKM_2024, OUTLETS)

    code, out, err = run([*dirs(scratch), "validate"], capsys)

    assert code == 0 and "is valid" in out
    disputes = [line for line in err.splitlines() if "CHN's turnover with TKM in 2024" in line]
    assert len(disputes) == 1
    assert disputes[0].startswith(f"warning: raw/trade.csv:{lines[0]}:5: column 'value_usd'")
    assert all(f"line {line}" in disputes[0] for line in lines)


def test_a_settled_dispute_is_no_longer_named(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    _prefer(scratch.raw, *CHN_TKM_2024, {"trend-2025-02-tkm-chn-trade-2024"})

    code, _, err = run([*dirs(scratch), "validate"], capsys)

    assert code == 0
    assert "CHN's turnover with TKM in 2024" not in err
