"""Which folders a build may replace: only its own.

A build replaces its output folder whole (:mod:`ots_analysis.publish`), so before anything is written
it must prove the folder is one it wrote. The proof is the set's index file (the build's
``manifest.json``), which lists every output by name: the folder may be replaced when it is absent,
empty (no files at any depth), or holds exactly the files its index lists plus the index itself.
Whatever else it holds (a file the index does not name, a symbolic link, a folder of the project)
would be lost with the old set, so the folder is refused, with the reason, and nothing is changed.

Independently of its contents, a folder that is, contains or lies inside a protected folder (the raw
data, the project root) is never replaced, nor is a path that is not a folder.

The checks only read; they raise :class:`UnsafeOutputFolderError` with a message naming the folder and
what to do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

_LISTED_EXAMPLES = 3


class UnsafeOutputFolderError(Exception):
    """Raised when a build is pointed at a folder it did not write (nothing was changed)."""


def _relation(target: Path, protected: Path) -> str | None:
    """How ``target`` overlaps ``protected`` ("is", "contains", "is inside"), or None. Both resolved."""
    if target == protected:
        return "is"
    if target in protected.parents:
        return "contains"
    if protected in target.parents:
        return "is inside"
    return None


def check_location(
    target: Path, protected: Mapping[str, Path], enclosing: Mapping[str, Path] | None = None
) -> None:
    """Refuse a ``target`` that is not a folder or overlaps a folder it must leave alone.

    ``protected`` maps a description ("the raw data folder") to a folder the target may not be,
    contain or lie inside; ``enclosing`` to a folder the target may lie inside but not be or contain
    (the project root, which holds data/processed). All paths are resolved first, so a symbolic link
    or ``..`` cannot hide an overlap.
    """
    resolved = target.resolve()
    checks = [(description, folder, True) for description, folder in protected.items()]
    checks += [(description, folder, False) for description, folder in (enclosing or {}).items()]
    for description, folder, inside_too in checks:
        relation = _relation(resolved, folder.resolve())
        if relation is not None and (inside_too or relation != "is inside"):
            raise UnsafeOutputFolderError(
                f"refusing to write outputs to {target}: it {relation} {description} ({folder}); "
                "outputs need a folder of their own, such as data/processed"
            )
    if resolved.exists() and not resolved.is_dir():
        raise UnsafeOutputFolderError(
            f"refusing to write outputs to {target}: it is a file, not a folder; "
            "give a folder (absent, empty, or one a previous build wrote)"
        )


def _entries(folder: Path) -> tuple[list[str], list[str], list[Path]]:
    """Every file, every symbolic link (relative ``/`` names) and every subfolder under ``folder``.

    Symbolic links are not followed: a link to a folder is reported as a link, not walked into.
    """
    files: list[str] = []
    links: list[str] = []
    folders: list[Path] = []
    for current, subfolders, names in os.walk(folder):
        base = Path(current)
        for name in sorted(subfolders):
            path = base / name
            if path.is_symlink():
                links.append(path.relative_to(folder).as_posix())
            else:
                folders.append(path)
        for name in sorted(names):
            path = base / name
            relative = path.relative_to(folder).as_posix()
            (links if path.is_symlink() else files).append(relative)
    return sorted(files), sorted(links), folders


def listed_outputs(index: Path) -> set[str] | None:
    """The output names a build's index file lists, or None if it is not a readable index."""
    try:
        document = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    outputs = document.get("outputs") if isinstance(document, dict) else None
    if not isinstance(outputs, dict) or not all(isinstance(name, str) for name in outputs):
        return None
    return set(outputs)


def _examples(names: list[str]) -> str:
    shown = ", ".join(names[:_LISTED_EXAMPLES])
    more = len(names) - _LISTED_EXAMPLES
    return f"{shown} and {more} more" if more > 0 else shown


def check_contents(target: Path, index_name: str) -> None:
    """Refuse an existing ``target`` whose contents a build did not write, or cannot delete.

    Passes for an absent folder, one without files, or one holding exactly the files listed by its
    index file ``index_name`` (plus the index). Also refuses a folder (or subfolder) the process
    cannot modify, since replacing the set deletes the old files: better to stop before writing
    than after publishing.
    """
    if not target.exists():
        return
    files, links, folders = _entries(target)
    if links:
        raise UnsafeOutputFolderError(
            f"refusing to replace {target}: it holds symbolic links a build never writes "
            f"({_examples(links)}); remove them or choose another folder"
        )
    if files:
        listed = listed_outputs(target / index_name)
        if listed is None:
            raise UnsafeOutputFolderError(
                f"refusing to replace {target}: it holds {len(files)} file(s) but no readable "
                f"{index_name}, so no build wrote it ({_examples(files)}); "
                "give an empty or new folder, or the folder a previous build wrote"
            )
        unlisted = [name for name in files if name not in listed and name != index_name]
        if unlisted:
            raise UnsafeOutputFolderError(
                f"refusing to replace {target}: it holds {len(unlisted)} file(s) its {index_name} does "
                f"not list ({_examples(unlisted)}), which would be deleted; move them elsewhere"
            )
    for folder in [target, *folders]:
        if not os.access(folder, os.W_OK | os.X_OK):
            raise UnsafeOutputFolderError(
                f"cannot replace {target}: the folder {folder} is read-only, so the old outputs could "
                f"not be removed; make it writable (chmod -R u+w {target}) and build again"
            )
