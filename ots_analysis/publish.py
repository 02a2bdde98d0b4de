"""Publish a build as one set: the processed folder is replaced whole, never file by file.

The files are written into a staging folder beside the target (so on the same file system), made
durable with fsync, and then swapped with the target in one step:

- **Linux**: ``renameat2(..., RENAME_EXCHANGE)`` exchanges the two folders atomically, so a reader,
  or a build killed at any instant (``kill -9`` included), finds either the complete old set or the
  complete new one under the target's name. The old set, now under the staging name, is deleted.
- **Fallback** (other systems, or a file system that refuses the exchange): two renames, the old set
  aside to a "retired" name and the new set in. A build killed between the two leaves no target
  folder, only the old set under its retired name; :func:`recover` puts it back, and every publish
  runs it first. So on these systems a kill can leave the target missing until the next build (or a
  call to :func:`recover`), never mixed.

Staging and retired folders left by killed builds are removed by the next publish. A lock on the
parent folder (``flock``, where the system has it) keeps two publishes from interleaving.

Every file operation reports itself to the ``on_step`` callback once done; the command line uses it
for progress, and the crash test kills the process after each one in turn.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import sys
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

Step = Callable[[str], None]
"""Called after each file operation with a short description ("wrote claims.csv")."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.staging-"


def _retired_prefix(target: Path) -> str:
    return f".{target.name}.retired-"


def leftovers(target: Path) -> list[Path]:
    """Staging and retired folders of ``target`` left by builds that did not finish."""
    parent = target.parent
    if not parent.is_dir():
        return []
    prefixes = (_staging_prefix(target), _retired_prefix(target))
    return sorted(path for path in parent.iterdir() if path.name.startswith(prefixes))


def output_parts(name: str) -> tuple[str, ...]:
    """The path components of output ``name`` ("articles/x/claims.csv"), checked to stay inside.

    Raises ValueError for an absolute path, ``..`` or ``.``, an empty or hidden component, or a
    backslash: each would write outside the set or where :func:`~ots_analysis.build.compare_outputs`
    does not look.
    """
    parts = tuple(name.split("/"))
    if "\\" in name or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise ValueError(f"output name {name!r} must be a relative path without '.', '..' or hidden parts")
    return parts


@cache
def _renameat2() -> Any:
    """libc's renameat2, or None where there is none (not Linux, or glibc older than 2.28)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False (nothing changed) where the system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _fsync_folder(folder: Path) -> None:
    """Make a folder's entries durable (POSIX only; elsewhere a folder cannot be opened)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (flock on the folder itself; no lock file to leave)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: publishes are not serialised
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _remove_tree(folder: Path, step: Step) -> None:
    """Delete ``folder`` bottom-up, one reported operation per file and folder."""
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()
        step(f"removed {path.name}")
    folder.rmdir()
    step(f"removed {folder.name}")


def _newest(paths: list[Path]) -> Path:
    return max(paths, key=lambda path: path.stat().st_mtime_ns)


def recover(target: Path, on_step: Step | None = None) -> None:
    """Finish what a killed publish left: restore a set it had moved aside, remove its leftovers.

    If the target folder is missing and a retired set exists (a fallback publish killed between its
    two renames), the newest retired set becomes the target again. Then every staging and retired
    folder of ``target`` is deleted. Call it with the parent folder locked or nothing else running.
    """
    step = on_step or (lambda _: None)
    retired = [path for path in leftovers(target) if path.name.startswith(_retired_prefix(target))]
    if not target.exists() and retired:
        restored = _newest(retired)
        restored.rename(target)
        step(f"restored {target.name}")
    for leftover in leftovers(target):
        _remove_tree(leftover, step)


def publish(
    files: Mapping[str, bytes],
    target: Path,
    on_step: Step | None = None,
    use_exchange: bool | None = None,
) -> list[Path]:
    """Replace the folder ``target`` with exactly ``files`` (name -> bytes), as one set.

    Names may contain subfolders ("articles/x/claims.csv"); anything in ``target`` that is not in
    ``files`` disappears with the old set. ``use_exchange=False`` forces the two-rename fallback
    (tests use it); by default the atomic exchange is used wherever the system supports it. Returns
    the paths of the published files.
    """
    step = on_step or (lambda _: None)
    parts = {name: output_parts(name) for name in files}
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        recover(target, step)
        token = f"{os.getpid()}-{secrets.token_hex(4)}"
        staging = target.parent / f"{_staging_prefix(target)}{token}"
        staging.mkdir()
        step(f"created {staging.name}")
        folders = {staging}
        for name in sorted(files):
            path = staging.joinpath(*parts[name])
            for folder in reversed(path.parents):
                if folder not in folders and staging in folder.parents:
                    folder.mkdir()
                    folders.add(folder)
                    step(f"created {folder.relative_to(staging).as_posix()}/")
            with path.open("wb") as handle:
                handle.write(files[name])
                handle.flush()
                os.fsync(handle.fileno())
            step(f"wrote {name}")
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            _fsync_folder(folder)
        step("synced the new set")
        if not target.exists():
            staging.rename(target)
            step(f"moved the new set to {target.name}")
        elif use_exchange is not False and exchange(staging, target):
            step(f"exchanged the new set with the old {target.name}")
            _fsync_folder(target.parent)
            _remove_tree(staging, step)  # now holds the old set
        else:
            retired = target.parent / f"{_retired_prefix(target)}{token}"
            target.rename(retired)
            step(f"moved the old {target.name} aside")
            staging.rename(target)
            step(f"moved the new set to {target.name}")
            _fsync_folder(target.parent)
            _remove_tree(retired, step)
        _fsync_folder(target.parent)
        step("synced the parent folder")
    return [target.joinpath(*parts[name]) for name in sorted(files)]
