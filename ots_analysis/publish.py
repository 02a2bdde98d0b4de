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

Staging and retired folders left by killed builds are removed by the next publish; one that cannot
be removed (a read-only copy of an old set) is reported through ``on_warning`` with what to do, and
never stops a later publish. A lock on the parent folder (``flock``, where the system has it) keeps
two publishes from interleaving.

A publish replaces only a folder it may own (:mod:`ots_analysis.ownership`): never a protected folder
or one overlapping it, never a file, never a folder holding files its index does not list; it is
refused with :class:`~ots_analysis.ownership.UnsafeOutputFolderError` before anything is written. A
file-system error while the new set is written or swapped in (no space, file too large, permission
denied, name too long) removes the half-written staging folder and raises :class:`PublishError`;
the previous set is then untouched.

Every file operation reports itself to the ``on_step`` callback once done; the command line uses it
for progress, and the crash test kills the process after each one in turn.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ots_analysis.ownership import check_contents, check_location
from ots_analysis.paths import MANIFEST_NAME

Step = Callable[[str], None]
"""Called after each file operation with a short description ("wrote claims.csv")."""

Warn = Callable[[str], None]
"""Called with a one-line message when a publish succeeded but left something to clean up."""


class PublishError(Exception):
    """A file-system error stopped a publish; the previous set is untouched (see the message)."""


class LeftoverWarning(UserWarning):
    """A folder left by an earlier publish could not be removed (the default ``on_warning``)."""


def _warn(message: str) -> None:
    warnings.warn(message, LeftoverWarning, stacklevel=3)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.staging-"


def _retired_prefix(target: Path) -> str:
    return f".{target.name}.retired-"


_TOKEN = re.compile(r"[0-9]+-[0-9a-f]{8}")
"""The suffix a publish gives its staging and retired folders: process id and 8 random hex digits."""


def leftovers(target: Path) -> list[Path]:
    """Staging and retired folders of ``target`` left by builds that did not finish.

    Only folders named exactly as a publish names them (prefix, process id, random token) count, so
    a user's folder that merely begins like one is never touched.
    """
    parent = target.parent
    if not parent.is_dir():
        return []
    found = []
    for path in parent.iterdir():
        for prefix in (_staging_prefix(target), _retired_prefix(target)):
            named = path.name.startswith(prefix) and _TOKEN.fullmatch(path.name[len(prefix) :])
            if named and path.is_dir() and not path.is_symlink():
                found.append(path)
    return sorted(found)


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


def _remove_or_warn(folder: Path, step: Step, warn: Warn, what: str) -> None:
    """Delete ``folder``; if the system refuses, say what is left and how to remove it."""
    try:
        _remove_tree(folder, step)
    except OSError as error:
        warn(
            f"{what} could not be removed from {folder} ({error.strerror or error}); "
            f"the outputs are complete. Make it writable and delete it (chmod -R u+w '{folder}' && "
            f"rm -r '{folder}'); the next build tries again"
        )


def recover(target: Path, on_step: Step | None = None, on_warning: Warn | None = None) -> None:
    """Finish what a killed publish left: restore a set it had moved aside, remove its leftovers.

    If the target folder is missing and a retired set exists (a fallback publish killed between its
    two renames), the newest retired set becomes the target again. Then every staging and retired
    folder of ``target`` is deleted; one that cannot be (read-only) is reported to ``on_warning``
    and left, so it never blocks a later publish. Call it with the parent folder locked or nothing
    else running.
    """
    step = on_step or (lambda _: None)
    warn = on_warning or _warn
    retired = [path for path in leftovers(target) if path.name.startswith(_retired_prefix(target))]
    if not target.exists() and retired:
        restored = _newest(retired)
        try:
            restored.rename(target)
        except OSError as error:
            raise PublishError(
                f"{target} is missing and the previous outputs could not be moved back from {restored} "
                f"({error.strerror or error}); rename that folder to {target.name} by hand"
            ) from error
        step(f"restored {target.name}")
    for leftover in leftovers(target):
        _remove_or_warn(leftover, step, warn, "a folder left by an interrupted build")


def _discard(staging: Path) -> None:
    """Remove a half-written staging folder after a failure, as far as the system lets us."""
    with contextlib.suppress(OSError):
        _remove_tree(staging, lambda _: None)


def _failure(target: Path, doing: str, error: OSError) -> PublishError:
    reason = error.strerror or str(error)
    return PublishError(f"could not {doing} in {target}: {reason}; the previous outputs are unchanged")


def _write_staging(
    files: Mapping[str, bytes], parts: Mapping[str, tuple[str, ...]], staging: Path, step: Step
) -> None:
    """Write every file into ``staging`` (subfolders included) and make it durable."""
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


def publish(
    files: Mapping[str, bytes],
    target: Path,
    on_step: Step | None = None,
    use_exchange: bool | None = None,
    protected: Mapping[str, Path] | None = None,
    enclosing: Mapping[str, Path] | None = None,
    on_warning: Warn | None = None,
) -> list[Path]:
    """Replace the folder ``target`` with exactly ``files`` (name -> bytes), as one set.

    Names may contain subfolders ("articles/x/claims.csv"); anything in ``target`` that is not in
    ``files`` disappears with the old set, so ``target`` must be a folder a publish wrote (its
    ``manifest.json`` lists its files), empty, or absent; it must not be, contain or lie inside a
    folder of ``protected``, nor be or contain one of ``enclosing`` (description -> folder; see
    :func:`~ots_analysis.ownership.check_location`). ``use_exchange=False`` forces the two-rename fallback
    (tests use it); by default the atomic exchange is used wherever the system supports it.
    Returns the paths of the published files.

    Raises :class:`~ots_analysis.ownership.UnsafeOutputFolderError` (nothing changed) for a folder it
    may not replace, and :class:`PublishError` (previous set untouched) for a file-system error.
    Leftovers it cannot delete are reported to ``on_warning`` (default: a :class:`LeftoverWarning`).
    """
    step = on_step or (lambda _: None)
    warn = on_warning or _warn
    parts = {name: output_parts(name) for name in files}
    check_location(target, protected or {}, enclosing)
    target = target.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _failure(target.parent, "create the folder", error) from error
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise PublishError(
            f"cannot write the new outputs beside {target}: {target.parent} is read-only; make it "
            "writable and build again; the previous outputs are unchanged"
        )
    with _locked(target.parent):
        recover(target, step, warn)
        check_contents(target, MANIFEST_NAME)
        token = f"{os.getpid()}-{secrets.token_hex(4)}"
        staging = target.parent / f"{_staging_prefix(target)}{token}"
        try:
            staging.mkdir()
        except OSError as error:
            raise _failure(target.parent, "create a staging folder", error) from error
        step(f"created {staging.name}")
        try:
            _write_staging(files, parts, staging, step)
        except OSError as error:
            _discard(staging)
            raise _failure(target, "write the new outputs", error) from error
        _swap(staging, target, token, step, warn, use_exchange)
        _fsync_folder(target.parent)
        step("synced the parent folder")
    return [target.joinpath(*parts[name]) for name in sorted(files)]


def _swap(staging: Path, target: Path, token: str, step: Step, warn: Warn, use_exchange: bool | None) -> None:
    """Put the complete set in ``staging`` in place of ``target``; remove the old set."""
    try:
        if not target.exists():
            staging.rename(target)
            step(f"moved the new set to {target.name}")
            return
        if use_exchange is not False and exchange(staging, target):
            step(f"exchanged the new set with the old {target.name}")
            _fsync_folder(target.parent)
            _remove_or_warn(staging, step, warn, "the previous outputs")  # now holds the old set
            return
    except OSError as error:
        _discard(staging)
        raise _failure(target, "swap in the new outputs", error) from error
    retired = target.parent / f"{_retired_prefix(target)}{token}"
    try:
        target.rename(retired)
    except OSError as error:
        _discard(staging)
        raise _failure(target, "move the previous outputs aside", error) from error
    step(f"moved the old {target.name} aside")
    try:
        staging.rename(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            retired.rename(target)
        _discard(staging)
        raise _failure(target, "move the new outputs in", error) from error
    step(f"moved the new set to {target.name}")
    _fsync_folder(target.parent)
    _remove_or_warn(retired, step, warn, "the previous outputs")
