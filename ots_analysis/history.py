"""Each claim's verdict history, read from the repository's git history of the claims registers.

A fact-check publishes its updates: when a verdict changed, from what, and why. The project's claims
registers (``data/processed/articles/<article_id>/claims.csv``, and before articles became data
``data/processed/claims.csv``, which held the default article's claims) are built from
``data/raw/claims.csv`` and committed with it, so their git history is the history of every published
verdict and computed value. This module reads it when the report renders; nothing here looks at the
clock, so the same repository gives the same history.

How it is read:

- the mainline (first parents from ``HEAD``) is walked oldest first; at each commit that touches a
  register, each claim's state is its register row (final verdict, computed value), and a state that
  differs from the previous commit's is a :class:`Change` dated by that commit (when it reached the
  mainline). A claim's first state is its first published verdict; the placeholder verdicts that
  ``data/raw/claims.csv`` held before any register was built were never published and are not read.
- the reason of a change is taken from the commit that made it: for a merge, the newest commit of
  the merged branch whose own diff set the claim to its new state. The reason is the clause of a
  ``CHANGELOG.md`` entry (in a section dated on that commit's author date) that names the claim; else
  the clause of the commit message that names it; else the message's first line.
- without git history (an sdist, a copy, no git installed) the result says why in
  :attr:`VerdictHistory.unavailable`, and has no changes.

Cost: one ``git rev-parse``, one ``git log`` of the mainline, one ``git log`` per merge that changed
a claim, one ``git status``, and one or two ``git cat-file --batch`` processes that read every
register version at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

LEGACY_REGISTER = "data/processed/claims.csv"
"""The register of the only article, before articles became data (no ``article_id`` column)."""

REGISTERS_GLOB = "data/processed/articles/*/claims.csv"
"""Each article's register, in a folder named by its id."""

CHANGELOG = "CHANGELOG.md"

_FIELD = "\x1f"
_RECORD = "\x1e"
_LOG_FORMAT = f"%H{_FIELD}%P{_FIELD}%cI{_FIELD}%aI{_FIELD}%B{_RECORD}"
_SECTION = re.compile(r"^##\s+(\d{4}-\d{2}-\d{2})\b")
_BULLET = re.compile(r"^\s*[-*]\s+")


class HistoryUnavailableError(RuntimeError):
    """Raised inside this module when git cannot give the history; reported, never raised to callers."""


@dataclass(frozen=True)
class ClaimState:
    """What a register published for one claim at one commit."""

    verdict: str
    computed_value: str


@dataclass(frozen=True)
class Change:
    """A claim's state changing at one mainline commit (``before`` is None for a first verdict)."""

    article_id: str
    claim_id: str
    commit: str
    date: dt.date
    before: ClaimState | None
    after: ClaimState | None
    reason: str

    @property
    def kind(self) -> str:
        """``first verdict``, ``withdrawn``, ``verdict``, ``computed value`` or ``verdict and value``."""
        if self.before is None:
            return "first verdict"
        if self.after is None:
            return "withdrawn"
        verdict = self.before.verdict != self.after.verdict
        value = self.before.computed_value != self.after.computed_value
        return "verdict and value" if verdict and value else "verdict" if verdict else "computed value"


@dataclass(frozen=True)
class VerdictHistory:
    """Every change of every claim, oldest first, or why there is no history."""

    changes: tuple[Change, ...] = ()
    unavailable: str | None = None
    notes: tuple[str, ...] = ()
    _by_claim: dict[tuple[str, str], list[Change]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for change in self.changes:
            self._by_claim.setdefault((change.article_id, change.claim_id), []).append(change)

    def of_claim(self, article_id: str, claim_id: str) -> list[Change]:
        """The changes of one claim, oldest first."""
        return list(self._by_claim.get((article_id, claim_id), []))

    def of_article(self, article_id: str) -> list[Change]:
        """The changes of an article's claims, oldest first."""
        return [change for change in self.changes if change.article_id == article_id]

    def first_published(self, article_id: str, claim_id: str) -> dt.date | None:
        """The date of the claim's first verdict (None without history)."""
        changes = self.of_claim(article_id, claim_id)
        return changes[0].date if changes else None

    def last_modified(self, article_id: str, claim_id: str) -> dt.date | None:
        """The date of the claim's last change, its first verdict included (None without history)."""
        changes = self.of_claim(article_id, claim_id)
        return changes[-1].date if changes else None


@dataclass(frozen=True)
class _Commit:
    sha: str
    parents: tuple[str, ...]
    committed: dt.datetime
    authored: dt.datetime
    message: str
    changed: dict[str, str]  # register path -> git status letter (A, M, D)


class _Git:
    """Runs git in one folder; every failure becomes :class:`HistoryUnavailableError`."""

    def __init__(self, folder: Path, executable: str) -> None:
        self.folder = folder
        self.executable = executable

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(
                [self.executable, "-C", str(self.folder), *args],
                input=stdin,
                capture_output=True,
                check=False,
                timeout=120,
            )
        except FileNotFoundError as error:
            raise HistoryUnavailableError(f"git is not installed ({self.executable} not found)") from error
        except (OSError, subprocess.SubprocessError) as error:
            raise HistoryUnavailableError(f"git could not be run: {error}") from error
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise HistoryUnavailableError(
                f"`git {args[0]}` failed: {message[0] if message else f'exit {done.returncode}'}"
            )
        return done.stdout

    def blobs(self, specs: Sequence[str]) -> dict[str, str | None]:
        """The text of each ``commit:path`` (None where the path does not exist at that commit)."""
        if not specs:
            return {}
        output = self.run("cat-file", "--batch", stdin="".join(f"{spec}\n" for spec in specs).encode())
        texts: dict[str, str | None] = {}
        position = 0
        for spec in specs:
            end = output.index(b"\n", position)
            header = output[position:end].decode("utf-8", "replace").split()
            position = end + 1
            if len(header) == 3 and header[1] == "blob":
                size = int(header[2])
                texts[spec] = output[position : position + size].decode("utf-8", "replace")
                position += size + 1
            else:  # "<spec> missing" (or a tree): the file is absent at that commit
                texts[spec] = None
        return texts


def _parse_log(output: bytes, prefix: str) -> list[_Commit]:
    """Commits of ``git log --format=_LOG_FORMAT --name-status``, in the log's order.

    Each record (ended by ``_RECORD``) is a header (fields split by ``_FIELD``, the message last) and
    is followed, in the next record, by the commit's ``--name-status`` lines.
    """
    headers: list[list[str]] = []
    changes: list[dict[str, str]] = []
    for record in output.decode("utf-8", "replace").split(_RECORD):
        first_field = record.find(_FIELD)
        status_part = record if first_field < 0 else record[: record.rfind("\n", 0, first_field) + 1]
        if headers:
            changed = {}
            for line in status_part.splitlines():
                parts = line.split("\t")
                if len(parts) == 2 and parts[1].startswith(prefix):
                    changed[parts[1][len(prefix) :]] = parts[0][:1]
            changes.append(changed)
        if first_field >= 0:
            headers.append(record[len(status_part) :].split(_FIELD, 4))
    return [
        _Commit(
            sha,
            tuple(parents.split()),
            dt.datetime.fromisoformat(committed),
            dt.datetime.fromisoformat(authored),
            message.strip(),
            changed,
        )
        for (sha, parents, committed, authored, message), changed in zip(headers, changes, strict=True)
    ]


def _register_states(text: str | None, path: str, default_article: str) -> dict[tuple[str, str], ClaimState]:
    """The claims of one register file: (article id, claim id) -> state."""
    if text is None:
        return {}
    parts = PurePosixPath(path).parts
    article_from_path = parts[-2] if len(parts) >= 2 and parts[-3:-2] == ("articles",) else None
    states = {}
    for row in csv.DictReader(io.StringIO(text)):
        claim_id = (row.get("claim_id") or "").strip()
        verdict = (row.get("final_verdict") or row.get("verdict") or "").strip()
        if not claim_id or not verdict:
            continue
        article = article_from_path or (row.get("article_id") or "").strip() or default_article
        states[(article, claim_id)] = ClaimState(verdict, (row.get("computed_value") or "").strip())
    return states


def _is_register(path: str) -> bool:
    return path == LEGACY_REGISTER or PurePosixPath(path).match(REGISTERS_GLOB)


def _split_clauses(text: str, separators: str = ";.") -> list[str]:
    """The parts of ``text`` ended by one of ``separators`` and a space, not splitting inside brackets
    or quotes (with ``".;"``: sentences and ``;``-separated clauses; with ``"."``: sentences)."""
    clauses, current, depth, quoted = [], [], 0, False
    for index, char in enumerate(text):
        current.append(char)
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == '"':
            quoted = not quoted
        elif char in separators and depth == 0 and not quoted:
            following = text[index + 1 : index + 2]
            if following in ("", " ", "\n"):
                clauses.append("".join(current))
                current = []
    clauses.append("".join(current))
    return [" ".join(clause.split()).strip(" ;.") for clause in clauses if clause.strip(" ;.\n")]


def _names(claim_id: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(claim_id)}(?![0-9A-Za-z])")


def changelog_entries(text: str) -> dict[dt.date, list[str]]:
    """The bullets of ``CHANGELOG.md`` (each joined onto one line), by the date of their section."""
    entries: dict[dt.date, list[str]] = {}
    section: dt.date | None = None
    bullet: list[str] = []

    def close() -> None:
        if section is not None and bullet:
            entries.setdefault(section, []).append(" ".join(" ".join(bullet).split()))
        bullet.clear()

    for line in text.splitlines():
        heading = _SECTION.match(line)
        if heading or line.startswith("#"):
            close()
            section = dt.date.fromisoformat(heading.group(1)) if heading else None
        elif _BULLET.match(line):
            close()
            bullet.append(_BULLET.sub("", line))
        elif line.strip() and bullet:
            bullet.append(line.strip())
        elif not line.strip():
            close()
    close()
    return entries


def change_reason(
    claim_id: str,
    authored: dt.date,
    message: str,
    changelog: Mapping[dt.date, list[str]],
    own_terms: Sequence[str] = (),
    other_terms: Sequence[str] = (),
) -> str:
    """Why a claim changed: the sentences naming it in CHANGELOG entries of that day, else the clauses
    of the commit message naming it (a message lists its changes separated by ``;``), else the
    message's first line.

    Claim ids repeat across articles (every article has a C09), so an entry that names another
    article (one of ``other_terms``: its id or publisher) and not this one (``own_terms``) is not
    taken as a reason for this claim."""
    names = _names(claim_id)

    def about_this_article(text: str) -> bool:
        return any(term in text for term in own_terms) or not any(term in text for term in other_terms)

    entries = [text for text in changelog.get(authored, []) if about_this_article(text)]
    for source, separators in ((entries, "."), ([message], ";.")):
        found = [part for text in source for part in _split_clauses(text, separators) if names.search(part)]
        if found:
            return "; ".join(dict.fromkeys(found)) + "."
    return message.strip().splitlines()[0] if message.strip() else ""


def _utc_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date()


def _diff(
    before: Mapping[tuple[str, str], ClaimState], after: Mapping[tuple[str, str], ClaimState]
) -> list[tuple[tuple[str, str], ClaimState | None, ClaimState | None]]:
    return [
        (key, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]


def _merged_side_commits(git: _Git, merge: _Commit, pathspecs: Sequence[str], prefix: str) -> list[_Commit]:
    """The commits a merge brought in that touch a register (newest first), merges left out."""
    log = git.run(
        "log",
        f"--format={_LOG_FORMAT}",
        "--name-status",
        "--no-renames",
        "--no-merges",
        f"{merge.parents[0]}..{merge.sha}",
        "--",
        *pathspecs,
    )
    return _parse_log(log, prefix)


def verdict_history(
    root: Path,
    default_article: str,
    *,
    git: str = "git",
    changelog: str | None = None,
    article_terms: Mapping[str, Sequence[str]] | None = None,
) -> VerdictHistory:
    """The history of every claim's verdict and computed value in the git repository holding ``root``.

    ``default_article`` is the article the legacy register (without ``article_id``) belongs to;
    ``changelog`` is the text of CHANGELOG.md (default: read from ``root``); ``article_terms``, the
    words that name each article in CHANGELOG.md (its id, its publisher), keep one article's entries
    from explaining another's claim of the same id. Never raises for a missing or unreadable history:
    the result's ``unavailable`` says why.
    """
    if changelog is None:
        path = root / CHANGELOG
        changelog = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        entries = changelog_entries(changelog)
        return _read_history(_Git(root, git), default_article, entries, article_terms or {})
    except HistoryUnavailableError as error:
        return VerdictHistory(unavailable=str(error))


def _read_history(
    git: _Git,
    default_article: str,
    changelog: Mapping[dt.date, list[str]],
    article_terms: Mapping[str, Sequence[str]],
) -> VerdictHistory:
    not_a_repository = "the project folder is not in a git repository (a copy or a source archive)"
    try:
        inside = git.run("rev-parse", "--is-inside-work-tree", "--show-prefix", "--is-shallow-repository")
    except HistoryUnavailableError as error:
        if "not a git repository" in str(error):
            raise HistoryUnavailableError(not_a_repository) from error
        raise
    flags = inside.decode().split("\n")
    if len(flags) < 3 or flags[0].strip() != "true":
        raise HistoryUnavailableError(not_a_repository)
    prefix, shallow = flags[1].strip(), flags[2].strip() == "true"
    pathspecs = [f":(top,literal){prefix}{LEGACY_REGISTER}", f":(top,glob){prefix}{REGISTERS_GLOB}"]
    log = git.run(
        "log",
        "--first-parent",
        "--reverse",
        f"--format={_LOG_FORMAT}",
        "--name-status",
        "--no-renames",
        "HEAD",
        "--",
        *pathspecs,
    )
    mainline = [commit for commit in _parse_log(log, prefix) if any(map(_is_register, commit.changed))]
    specs = [f"{commit.sha}:{prefix}{path}" for commit in mainline for path in commit.changed]
    blobs = git.blobs(specs)

    files: dict[str, dict[tuple[str, str], ClaimState]] = {}
    steps: list[tuple[_Commit, list[tuple[tuple[str, str], ClaimState | None, ClaimState | None]]]] = []
    previous: dict[tuple[str, str], ClaimState] = {}
    for commit in mainline:
        for path in commit.changed:
            files[path] = _register_states(blobs[f"{commit.sha}:{prefix}{path}"], path, default_article)
        current: dict[tuple[str, str], ClaimState] = {}
        for path in sorted(files, key=lambda name: name != LEGACY_REGISTER):  # per-article files win
            current.update(files[path])
        diff = _diff(previous, current)
        if diff:
            steps.append((commit, diff))
        previous = current

    responsible = _responsible_commits(git, steps, pathspecs, prefix, default_article)
    changes = []
    for commit, diff in steps:
        for key, before, after in diff:
            source = responsible.get((commit.sha, key), commit)
            own = article_terms.get(key[0], ())
            others = [term for article, terms in article_terms.items() if article != key[0] for term in terms]
            reason = change_reason(key[1], _utc_date(source.authored), source.message, changelog, own, others)
            changes.append(
                Change(key[0], key[1], commit.sha, _utc_date(commit.committed), before, after, reason)
            )

    notes = []
    if shallow:
        notes.append("the clone is shallow: its history starts at its oldest fetched commit")
    status = git.run("status", "--porcelain", "--", *pathspecs, f":(top,literal){prefix}data/raw/claims.csv")
    if status.strip():
        notes.append("the claims tables have uncommitted changes, which are not in this history yet")
    return VerdictHistory(tuple(changes), notes=tuple(notes))


def _responsible_commits(
    git: _Git,
    steps: Iterable[tuple[_Commit, list[tuple[tuple[str, str], ClaimState | None, ClaimState | None]]]],
    pathspecs: Sequence[str],
    prefix: str,
    default_article: str,
) -> dict[tuple[str, tuple[str, str]], _Commit]:
    """For changes made by a merge: the newest merged commit whose own diff made each of them."""
    candidates: list[tuple[_Commit, list[tuple[tuple[str, str], ClaimState | None]], list[_Commit]]] = []
    for commit, diff in steps:
        if len(commit.parents) > 1:
            side = [c for c in _merged_side_commits(git, commit, pathspecs, prefix) if c.changed]
            candidates.append((commit, [(key, after) for key, _, after in diff], side))
    specs = [
        spec
        for _, _, side in candidates
        for commit in side
        for path in commit.changed
        for spec in (f"{commit.sha}:{prefix}{path}", f"{commit.parents[0]}:{prefix}{path}")
        if commit.parents
    ]
    blobs = git.blobs(list(dict.fromkeys(specs)))
    found: dict[tuple[str, tuple[str, str]], _Commit] = {}
    for merge, targets, side in candidates:
        for key, after in targets:
            for commit in side:  # newest first
                if not commit.parents:
                    continue
                for path in commit.changed:
                    new = _register_states(blobs[f"{commit.sha}:{prefix}{path}"], path, default_article)
                    old = _register_states(
                        blobs[f"{commit.parents[0]}:{prefix}{path}"], path, default_article
                    )
                    if new.get(key) == after and old.get(key) != after:
                        found[(merge.sha, key)] = commit
                        break
                if (merge.sha, key) in found:
                    break
    return found
