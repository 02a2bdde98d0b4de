"""A build replaces only a folder it wrote, and a file-system error never costs the previous outputs.

Misuse of ``--processed-dir`` and ``--raw-dir`` (pointing the build at the raw data, the project, a
file, a folder of someone else's files), a read-only or half-published processed folder, and write
failures (file-size limit, permission, name too long, a full or closed standard output) each end in
one message and an exit code; the project's files are compared byte for byte before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ots_analysis import ownership
from ots_analysis import publish as publishing
from ots_analysis.cli import EXIT_OK, EXIT_SYSTEM, EXIT_USAGE, main
from ots_analysis.paths import PROCESSED_ENV, RAW_ENV, ROOT_ENV, ProjectPaths

HAS_RLIMIT = sys.platform.startswith("linux")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(autouse=True)
def _no_path_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ROOT_ENV, RAW_ENV, PROCESSED_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def project(tmp_path: Path, real_paths: ProjectPaths) -> Path:
    """A minimal checkout: pyproject.toml, data/raw (a copy), a built data/processed, a report file."""
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    shutil.copytree(real_paths.raw, root / "data" / "raw")
    shutil.copy(real_paths.root / "pyproject.toml", root / "pyproject.toml")
    (root / "report").mkdir()
    (root / "report" / "index.qmd").write_text("# a report\n", encoding="utf-8")
    assert main(["--root", str(root), "--quiet", "build"]) == EXIT_OK
    return root


def tree(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (hidden ones included), by relative name."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    code = main(["--root", str(root), "--quiet", "build", *options])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("data/raw", "is the raw data folder"),
        ("data", "contains the raw data folder"),
        (".", "contains the raw data folder"),
        ("data/raw/new-folder", "is inside the raw data folder"),
        ("pyproject.toml", "is a file, not a folder"),
        ("report", "no readable manifest.json"),
    ],
)
def test_the_build_refuses_a_folder_it_did_not_write_and_changes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], target: str, reason: str
) -> None:
    before = tree(project)
    code, err = build(project, capsys, "--processed-dir", str(project / target))
    assert code == EXIT_USAGE
    assert reason in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert tree(project) == before
    assert not (project / "data" / "raw" / "new-folder").exists()


def test_a_symbolic_link_or_dotdot_cannot_hide_the_raw_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = project / "alias"
    link.symlink_to(project / "data" / "raw", target_is_directory=True)
    before = tree(project / "data")
    for target in (link, project / "report" / ".." / "data" / "raw"):
        code, err = build(project, capsys, "--processed-dir", str(target))
        assert code == EXIT_USAGE and "is the raw data folder" in err
    assert tree(project / "data") == before


def test_the_raw_folder_given_as_the_processed_folder_too_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    processed = project / "data" / "processed"
    before = tree(project)
    code = main(["--quiet", "--raw-dir", str(processed), "--processed-dir", str(processed), "build"])
    assert code != EXIT_OK
    assert "Traceback" not in capsys.readouterr().err
    assert tree(project) == before


@pytest.mark.parametrize("raw_dir", ["pyproject.toml", "no-such-folder"])
def test_a_raw_dir_that_is_not_a_folder_of_tables_fails_cleanly(
    project: Path, capsys: pytest.CaptureFixture[str], raw_dir: str
) -> None:
    before = tree(project)
    code = main(["--root", str(project), "--quiet", "--raw-dir", str(project / raw_dir), "build"])
    err = capsys.readouterr().err
    assert code != EXIT_OK and "Traceback" not in err and err.strip()
    assert tree(project) == before


def test_a_processed_folder_with_a_file_its_manifest_does_not_list_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = project / "data" / "processed" / "my-notes.txt"
    notes.write_text("keep me\n", encoding="utf-8")
    before = tree(project)
    code, err = build(project, capsys)
    assert code == EXIT_USAGE
    assert "my-notes.txt" in err and "does not list" in err
    assert tree(project) == before


def test_an_empty_or_absent_folder_is_accepted_and_a_rebuild_replaces_its_own_set(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = project / "elsewhere" / "empty"
    empty.mkdir(parents=True)
    assert build(project, capsys, "--processed-dir", str(empty))[0] == EXIT_OK
    assert build(project, capsys, "--processed-dir", str(project / "absent" / "out"))[0] == EXIT_OK
    assert build(project, capsys, "--processed-dir", str(empty))[0] == EXIT_OK  # its own set now
    assert tree(empty) == tree(project / "data" / "processed")


def test_a_read_only_processed_folder_is_refused_before_writing_then_builds_once_writable(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    processed = (project / "data" / "processed").resolve()
    real_access = os.access

    def access(path: object, mode: int) -> bool:  # as a non-root user sees a read-only folder
        return False if Path(str(path)) == processed and mode & os.W_OK else real_access(path, mode)

    monkeypatch.setattr(ownership.os, "access", access)
    before = tree(project)
    code, err = build(project, capsys)
    assert code == EXIT_USAGE
    assert "read-only" in err and f"chmod -R u+w {processed}" in err
    assert tree(project) == before
    assert publishing.leftovers(processed) == []
    monkeypatch.setattr(ownership.os, "access", real_access)  # the user makes it writable
    assert build(project, capsys)[0] == EXIT_OK


@pytest.mark.skipif(IS_ROOT, reason="root ignores folder permissions; the simulated test covers it")
def test_a_really_read_only_processed_folder_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    processed = project / "data" / "processed"
    processed.chmod(0o555)
    try:
        code, err = build(project, capsys)
        assert code == EXIT_USAGE and "read-only" in err
    finally:
        processed.chmod(0o755)
    assert build(project, capsys)[0] == EXIT_OK


def test_an_old_set_that_cannot_be_deleted_is_a_warning_and_never_blocks_the_next_build(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    processed = (project / "data" / "processed").resolve()
    real_remove = publishing._remove_tree

    def refuse(folder: Path, step: publishing.Step) -> None:
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(publishing, "_remove_tree", refuse)
    (project / "data" / "raw" / "claims.csv").touch()  # the same data: any build is a full rebuild
    code, err = build(project, capsys)
    assert code == EXIT_OK
    assert "could not be removed" in err and "chmod -R u+w" in err
    assert len(publishing.leftovers(processed)) == 1
    assert main(["--root", str(project), "--quiet", "build", "--check"]) == EXIT_OK
    code, err = build(project, capsys)  # still stuck: warned again, never failing
    assert code == EXIT_OK and "could not be removed" in err
    monkeypatch.setattr(publishing, "_remove_tree", real_remove)  # the user fixes the permissions
    code, err = build(project, capsys)
    assert (code, err) == (EXIT_OK, "")
    assert publishing.leftovers(processed) == []


def test_a_write_that_fails_part_way_leaves_the_previous_set_and_no_staging(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    processed = project / "data" / "processed"
    before = tree(project)
    real_open = Path.open
    written: list[str] = []

    def open_(path: Path, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if "w" in mode and ".staging-" in str(path):
            written.append(path.name)
            if len(written) == 5:
                raise OSError(28, "No space left on device", str(path))
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_)
    code, err = build(project, capsys)
    assert code == EXIT_SYSTEM
    assert "No space left on device" in err and "previous outputs are unchanged" in err
    assert len(err.strip().splitlines()) == 1
    assert tree(project) == before
    assert publishing.leftovers(processed) == []


def cli(root: Path, *arguments: str, **options: object) -> subprocess.CompletedProcess[str]:
    """``python -m ots_analysis.cli`` in a subprocess (options go to subprocess.run)."""
    command = [sys.executable, "-m", "ots_analysis.cli", "--root", str(root), *arguments]
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run(command, text=True, check=False, **streams)  # type: ignore[call-overload, no-any-return]


@pytest.mark.skipif(not HAS_RLIMIT, reason="the file-size limit (RLIMIT_FSIZE) is set on Linux only")
def test_a_file_size_limit_while_writing_is_one_message_and_the_old_set_stays(project: Path) -> None:
    import resource

    processed = project / "data" / "processed"
    largest = max(path.stat().st_size for path in processed.rglob("*") if path.is_file())
    limit = largest // 2

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    (project / "data" / "raw" / "claims.csv").touch()
    before = tree(project)
    done = cli(project, "--quiet", "build", preexec_fn=limit_file_size)
    assert done.returncode == EXIT_SYSTEM, done.stderr
    assert "File too large" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert tree(project) == before
    assert publishing.leftovers(processed) == []


def test_a_name_too_long_is_one_message(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project)
    code, err = build(project, capsys, "--processed-dir", str(project / ("x" * 300) / "out"))
    assert code == EXIT_SYSTEM
    assert "File name too long" in err and "Traceback" not in err
    assert tree(project) == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to fill standard output")
def test_a_full_standard_output_is_an_exit_code_not_a_traceback(project: Path) -> None:
    with Path("/dev/full").open("w") as full:
        done = cli(project, "validate", stdout=full)
    assert done.returncode == EXIT_SYSTEM
    assert "could not write to standard output" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_a_closed_standard_output_is_no_traceback(project: Path) -> None:
    script = f"exec >&-; exec {sys.executable} -m ots_analysis.cli --root {project} validate"
    done = subprocess.run(["bash", "-c", script], stderr=subprocess.PIPE, text=True, check=False)
    assert done.returncode == EXIT_OK, done.stderr
    assert "Traceback" not in done.stderr


def test_leftover_names_must_match_exactly_what_a_publish_writes(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    users = tmp_path / ".processed.staging-my-own-notes"
    users.mkdir()
    ours = tmp_path / ".processed.staging-123-0badcafe"
    ours.mkdir()
    assert publishing.leftovers(target) == [ours]
    publishing.publish({"a.csv": b"a\n"}, target)
    assert users.is_dir() and not ours.exists()


def test_the_manifest_must_be_a_build_manifest(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    target.mkdir()
    (target / "manifest.json").write_text(json.dumps({"outputs": {"a.csv": {}}}), encoding="utf-8")
    (target / "a.csv").write_text("a\n", encoding="utf-8")
    publishing.publish({"a.csv": b"b\n", "manifest.json": b"{}"}, target)  # listed: replaced
    (target / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ownership.UnsafeOutputFolderError, match=r"no readable manifest\.json"):
        publishing.publish({"a.csv": b"c\n"}, target)
