"""Each claim's verdict history, read from a temporary git repository of a few commits.

The repository mimics the project's history: placeholder verdicts in data/raw/claims.csv before any
register existed, a register without article_id (the only article's), the move to one register per
article, a correction made on a branch and merged, and a rebuild that changed a computed value.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from ots_analysis.articles import Article
from ots_analysis.claimreview import claimreview_jsonld
from ots_analysis.history import ClaimState, change_reason, changelog_entries, verdict_history

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

HEADER = "article_id,claim_id,final_verdict,computed_value"
LEGACY_HEADER = "claim_id,final_verdict,computed_value"


class Repo:
    """A git repository in a temporary folder, with commits at chosen dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "curator@example.org")
        self.git("config", "user.name", "Curator")

    def git(self, *args: str, date: str = "2026-01-01T12:00:00+00:00") -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True, env=env
        )
        return done.stdout

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text + "\n", encoding="utf-8")

    def commit(self, message: str, date: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("history"))
    repo.write("data/raw/claims.csv", "claim_id,verdict\nC01,unverifiable\nC02,unverifiable")
    repo.commit("Foundation: placeholder verdicts", "2026-01-01T09:00:00+00:00")
    repo.write("data/processed/claims.csv", f"{LEGACY_HEADER}\nC01,supported,2.0 bn\nC02,supported,")
    repo.commit("Claims register with curated verdicts", "2026-01-02T09:00:00+00:00")
    (repo.root / "data/processed/claims.csv").unlink()
    repo.write(
        "data/processed/articles/a1/claims.csv", f"{HEADER}\na1,C01,supported,2.0 bn\na1,C02,supported,"
    )
    repo.write("data/processed/articles/a2/claims.csv", f"{HEADER}\na2,C01,contradicted,1990")
    repo.commit("Articles as data: one register per article; a second article", "2026-01-03T09:00:00+00:00")
    # a correction on a branch, merged later; its CHANGELOG entry names the claim
    repo.git("checkout", "-q", "-b", "review")
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## 2026-01-04: corrections after review\n\n- `claims.csv`: C02 is partly supported; "
        "the source gives the year only (its date was read from the address).\n- C07 unrelated.",
    )
    repo.write(
        "data/processed/articles/a1/claims.csv",
        f"{HEADER}\na1,C01,supported,2.0 bn\na1,C02,partly_supported,",
    )
    repo.commit("Corrections from review", "2026-01-04T09:00:00+00:00")
    repo.write("README.md", "notes")
    repo.commit("README: notes", "2026-01-04T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.write(
        "data/processed/articles/a1/claims.csv", f"{HEADER}\na1,C01,supported,2.1 bn\na1,C02,supported,"
    )
    repo.commit(
        "Rebuild after a trade correction; C01's computed value follows it", "2026-01-05T09:00:00+00:00"
    )
    # the merge keeps both: the rebuilt C01 and the corrected C02
    subprocess.run(
        ["git", "-C", str(repo.root), "merge", "-q", "--no-ff", "--no-commit", "review"],
        check=False,
        capture_output=True,
    )
    repo.write(
        "data/processed/articles/a1/claims.csv",
        f"{HEADER}\na1,C01,supported,2.1 bn\na1,C02,partly_supported,",
    )
    repo.commit("Merge review", "2026-01-06T09:00:00+00:00")
    assert len(repo.git("log", "-1", "--format=%P").split()) == 2
    return repo


def test_the_history_of_each_claim(repo: Repo) -> None:
    history = verdict_history(repo.root, "a1")
    assert history.unavailable is None
    c01 = history.of_claim("a1", "C01")
    assert [(change.kind, change.date) for change in c01] == [
        ("first verdict", dt.date(2026, 1, 2)),  # the placeholders of 1 January were never published
        ("computed value", dt.date(2026, 1, 5)),
    ]
    assert (c01[1].before, c01[1].after) == (
        ClaimState("supported", "2.0 bn"),
        ClaimState("supported", "2.1 bn"),
    )
    assert c01[1].reason == "C01's computed value follows it."  # the clause of the message that names it


def test_a_change_merged_from_a_branch_is_dated_by_the_merge_and_explained_by_its_commit(repo: Repo) -> None:
    history = verdict_history(repo.root, "a1")
    c02 = history.of_claim("a1", "C02")
    assert [change.kind for change in c02] == ["first verdict", "verdict"]
    change = c02[1]
    assert change.date == dt.date(2026, 1, 6)  # when the merge published it
    assert (change.before, change.after) == (ClaimState("supported", ""), ClaimState("partly_supported", ""))
    # from the CHANGELOG section dated on the day the branch's commit made the change
    assert change.reason == (
        "`claims.csv`: C02 is partly supported; the source gives the year only "
        "(its date was read from the address)."
    )
    assert history.first_published("a1", "C02") == dt.date(2026, 1, 2)
    assert history.last_modified("a1", "C02") == dt.date(2026, 1, 6)


def test_moving_a_register_is_not_a_change_and_articles_are_kept_apart(repo: Repo) -> None:
    history = verdict_history(repo.root, "a1")
    assert not [
        change
        for change in history.changes
        if change.date == dt.date(2026, 1, 3) and change.article_id == "a1"
    ]
    a2 = history.of_article("a2")
    assert [(change.claim_id, change.kind, change.after) for change in a2] == [
        ("C01", "first verdict", ClaimState("contradicted", "1990"))
    ]
    assert history.notes == ()


def test_uncommitted_changes_to_the_claims_are_noted(repo: Repo, tmp_path: Path) -> None:
    copy = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo.root), str(copy)], check=True)
    (copy / "data/raw/claims.csv").write_text("claim_id,verdict\nC01,contradicted\n", encoding="utf-8")
    history = verdict_history(copy, "a1")
    assert len(history.changes) == len(verdict_history(repo.root, "a1").changes)
    assert any("uncommitted" in note for note in history.notes)


def test_without_a_repository_the_history_says_why(tmp_path: Path) -> None:
    history = verdict_history(tmp_path, "a1")
    assert history.changes == ()
    assert history.unavailable and "not in a git repository" in history.unavailable
    assert history.first_published("a1", "C01") is None


def test_without_git_the_history_says_why(repo: Repo) -> None:
    history = verdict_history(repo.root, "a1", git=str(repo.root / "no-such-git"))
    assert history.unavailable == f"git is not installed ({repo.root / 'no-such-git'} not found)"


def test_the_claimreview_carries_the_dates_of_the_first_verdict_and_the_last_change(repo: Repo) -> None:
    history = verdict_history(repo.root, "a1")
    article = Article(
        "a1", "A headline", "argues", "Publisher", None, dt.date(2025, 12, 1), None, "https://example.com/a",
        "en", ("Lead",), "all", "OTS", None, dt.date(2026, 1, 2), True,
    )  # fmt: skip
    claims = pd.DataFrame(
        {
            "claim_id": ["C01", "C02", "C03"],
            "claim": ["one", "two", "three"],
            "final_verdict": ["supported", "partly_supported", "supported"],
            "rationale": ["r1", "r2", "r3"],
        }
    )
    graph = json.loads(
        claimreview_jsonld(claims, article, "https://example.org/site/articles/a1.html", history)
    )
    reviews = {review["identifier"]: review for review in graph["@graph"]}
    assert reviews["C02"]["datePublished"] == "2026-01-02"
    assert reviews["C02"]["dateModified"] == "2026-01-06"
    assert reviews["C02"]["url"] == "https://example.org/site/articles/a1.html#claim-c02"
    # C03 is not in the committed history: the review's date, and no dateModified
    assert reviews["C03"]["datePublished"] == "2026-01-02" and "dateModified" not in reviews["C03"]
    relative = json.loads(claimreview_jsonld(claims, article))["@graph"][0]
    assert relative["url"] == "#claim-c01" and "dateModified" not in relative


def test_the_reason_prefers_the_changelog_sentence_then_the_message_clause() -> None:
    changelog = changelog_entries(
        "# Changelog\n\n## 2026-02-01: fixes\n\n- `trade.csv`: a figure corrected (C10 follows); C11\n"
        "  re-decided (the source says 2019). Nothing else.\n- unrelated bullet\n\n"
        "## 2026-01-01: older\n\n- C12 added.\n"
    )
    day = dt.date(2026, 2, 1)
    sentence = "`trade.csv`: a figure corrected (C10 follows); C11 re-decided (the source says 2019)."
    assert change_reason("C11", day, "Fix data", changelog) == sentence  # the CHANGELOG's sentence naming it
    assert change_reason("C10", day, "Fix data", changelog) == sentence
    # C12's entry is of another day: the clause of the commit message that names it
    assert change_reason("C12", day, "Data: C12 rebuilt; other things", changelog) == "Data: C12 rebuilt."
    assert change_reason("C13", day, "Data: several fixes\n\nLong body.", changelog) == "Data: several fixes"
    # C1 is not named by C10 or C100
    assert change_reason("C1", day, "C10 and C100 changed", changelog) == "C10 and C100 changed"


def test_another_articles_entry_never_explains_a_claim_of_the_same_id() -> None:
    changelog = changelog_entries(
        "# Changelog\n\n## 2026-02-01: fixes\n\n- Daily Sabah's article: C09 re-worded.\n"
        "- Trend News Agency's article: C09 checked against Kyrgyz figures.\n- C09 and C10 rebuilt.\n"
    )
    day = dt.date(2026, 2, 1)
    trend, sabah = ("trend-x", "Trend News Agency"), ("sabah-x", "Daily Sabah")
    reason = change_reason("C09", day, "Fix", changelog, own_terms=trend, other_terms=sabah)
    assert reason == "Trend News Agency's article: C09 checked against Kyrgyz figures; C09 and C10 rebuilt."
    reason = change_reason("C09", day, "Fix", changelog, own_terms=sabah, other_terms=trend)
    assert reason == "Daily Sabah's article: C09 re-worded; C09 and C10 rebuilt."
