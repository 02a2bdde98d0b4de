"""The curation conventions are validation rules: each is broken in a scratch copy of data/raw and must
be reported at its file, line and column, with the count or the two values that broke it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ots_analysis.cli import main
from ots_analysis.conventions import MIN_CLAIMS_PER_ARTICLE, MIN_RATIONALE_WORDS
from ots_analysis.errors import Failure
from ots_analysis.load import load_raw, validate_raw
from ots_analysis.paths import ProjectPaths
from ots_analysis.vocab import DATA_DECIDED_CATEGORIES

SEED = "timestengri-2025-10-ots-military"


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(paths: ProjectPaths, table: str, row_is: dict[str, str], column: str, value: str) -> int:
    """Set ``column`` of the first row of ``table`` whose cells equal ``row_is``; return its CSV line."""
    path = paths.raw_table(table)
    rows = read_rows(path)
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if all(row[header.index(name)] == wanted for name, wanted in row_is.items()):
            row[header.index(column)] = value
            write_rows(path, rows)
            return number
    raise AssertionError(f"no row of {table} with {row_is}")


def cell(paths: ProjectPaths, table: str, line: int, column: str) -> str:
    rows = read_rows(paths.raw_table(table))
    return rows[line - 1][rows[0].index(column)]


def column_number(paths: ProjectPaths, table: str, column: str) -> int:
    return read_rows(paths.raw_table(table))[0].index(column) + 1


def only(failures: list[Failure]) -> Failure:
    assert len(failures) == 1, [failure.describe() for failure in failures]
    return failures[0]


def where(failure: Failure) -> tuple[str, int, int, str]:
    return Path(failure.file).name, failure.line, failure.column_number, failure.column


# --- computed verdict = curated verdict -----------------------------------------------------------------


def test_a_curated_verdict_that_differs_from_its_check_fails_validation(scratch: ProjectPaths) -> None:
    line = set_cell(scratch, "claims", {"article_id": SEED, "claim_id": "C01"}, "verdict", "contradicted")
    failure = only(validate_raw(scratch))
    assert where(failure) == ("claims.csv", line, column_number(scratch, "claims", "verdict"), "verdict")
    assert failure.value == "contradicted"
    assert "C01 of timestengri-2025-10-ots-military" in failure.rule
    assert "curated verdict contradicted, computed supported" in failure.rule
    assert "Gabala" in failure.rule  # the check's explanation


def test_validate_and_build_exit_1_with_both_verdicts(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    line = set_cell(scratch, "claims", {"article_id": SEED, "claim_id": "C06"}, "verdict", "supported")
    args = ["--raw-dir", str(scratch.raw), "--processed-dir", str(scratch.processed)]
    assert main([*args, "validate"]) == 1
    err = capsys.readouterr().err
    assert f"claims.csv:{line}:6: column 'verdict' value 'supported'" in err
    assert "curated verdict supported, computed contradicted" in err
    assert main([*args, "build"]) == 1
    assert "Nothing was written." in capsys.readouterr().err
    assert list(scratch.processed.iterdir()) == []


def test_claims_shows_the_disagreement_then_exits_1(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    line = set_cell(scratch, "claims", {"article_id": SEED, "claim_id": "C06"}, "verdict", "supported")
    args = ["--raw-dir", str(scratch.raw), "--processed-dir", str(scratch.processed)]
    assert main([*args, "claims"]) == 1
    out, err = capsys.readouterr()
    assert "! C06: curated supported, computed contradicted" in out
    assert "! C06 [contradicted]" in out  # marked in the list of doubtful claims too
    assert "Claims checked: 41" in out  # the scoreboard is printed in full
    assert f"claims.csv:{line}:6" in err


def test_claims_exits_0_and_marks_nothing_when_verdicts_agree(
    real_paths: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["claims"]) == 0
    out = capsys.readouterr().out
    assert "differ from their computed check" not in out
    assert not [line for line in out.splitlines() if line.startswith("!")]


def test_load_raw_can_leave_the_verdicts_to_the_caller(scratch: ProjectPaths) -> None:
    set_cell(scratch, "claims", {"article_id": SEED, "claim_id": "C01"}, "verdict", "contradicted")
    raw = load_raw(scratch, verdicts_must_agree=False)
    assert len(raw.claims) == len(load_raw().claims)


def test_a_verdict_is_checked_again_after_its_file_changes(scratch: ProjectPaths) -> None:
    assert validate_raw(scratch) == []  # memoised on the files' bytes
    set_cell(scratch, "claims", {"article_id": SEED, "claim_id": "C01"}, "verdict", "contradicted")
    assert only(validate_raw(scratch)).column == "verdict"


def test_a_data_correction_that_changes_a_verdict_fails_validation(scratch: ProjectPaths) -> None:
    set_cell(scratch, "events", {"event_id": "ots-summit-12"}, "city", "Baku")
    failures = validate_raw(scratch)
    assert failures and all(where(f)[0] == "claims.csv" and f.column == "verdict" for f in failures)
    seed_c01 = [f for f in failures if f.rule.startswith(f"C01 of {SEED}:")]
    assert "curated verdict supported, computed contradicted" in only(seed_c01).rule


def test_verdicts_are_compared_only_once_every_other_rule_passes(scratch: ProjectPaths) -> None:
    set_cell(scratch, "claims", {"article_id": SEED, "claim_id": "C01"}, "verdict", "contradicted")
    set_cell(scratch, "claims", {"article_id": SEED, "claim_id": "C03"}, "rationale", "Too short.")
    assert only(validate_raw(scratch)).column == "rationale"  # a disagreement on broken data is an echo


# --- claims, rationales, checks, sources -----------------------------------------------------------------


def add_article(paths: ProjectPaths, article_id: str, claims: int, review_date: str | None = None) -> int:
    """A new article with ``claims`` uncheckable claims, each with a rationale and an evidence row
    (and the first article's review date unless ``review_date`` is given); return the article's line
    in articles.csv."""
    articles = read_rows(paths.raw_table("articles"))
    header = articles[0]
    new = dict(zip(header, articles[1], strict=True))
    new |= {"article_id": article_id, "url": f"https://example.org/{article_id}", "is_default": "false"}
    if review_date is not None:
        new["review_date"] = review_date
    articles.append([new[name] for name in header])
    write_rows(paths.raw_table("articles"), articles)
    source = read_rows(paths.raw_table("sources"))[1][0]
    claim_rows = read_rows(paths.raw_table("claims"))
    evidence = read_rows(paths.raw_table("claim_evidence"))
    for number in range(1, claims + 1):
        claim_id = f"C{number:02d}"
        rationale = "No public source settles this either way."
        claim_rows.append(
            [article_id, claim_id, "0", "A claim.", "assessment", "unverifiable", rationale, source, ""]
        )
        evidence.append([article_id, claim_id, source, "an excerpt", "context", "what it shows"])
    write_rows(paths.raw_table("claims"), claim_rows)
    write_rows(paths.raw_table("claim_evidence"), evidence)
    return len(articles)


def test_an_article_with_too_few_claims_is_named_with_its_count(scratch: ProjectPaths) -> None:
    line = add_article(scratch, "fixture-short-article", MIN_CLAIMS_PER_ARTICLE - 1)
    failure = only(validate_raw(scratch))
    assert where(failure) == ("articles.csv", line, 1, "article_id")
    assert failure.value == "fixture-short-article"
    count = MIN_CLAIMS_PER_ARTICLE - 1
    assert f"article has {count} claim(s) in claims.csv; at least {MIN_CLAIMS_PER_ARTICLE}" in failure.rule


def test_an_article_with_enough_claims_is_valid(scratch: ProjectPaths) -> None:
    add_article(scratch, "fixture-full-article", MIN_CLAIMS_PER_ARTICLE)
    assert validate_raw(scratch) == []


def test_an_article_not_reviewed_yet_is_listed_without_claims(scratch: ProjectPaths) -> None:
    add_article(scratch, "fixture-queued-article", 0, review_date="")
    assert validate_raw(scratch) == []


def test_claims_of_an_article_without_a_review_date_are_refused(scratch: ProjectPaths) -> None:
    line = add_article(scratch, "fixture-undated-review", MIN_CLAIMS_PER_ARTICLE, review_date="")
    failure = only(validate_raw(scratch))
    assert where(failure) == ("articles.csv", line, 14, "review_date")
    assert f"article has {MIN_CLAIMS_PER_ARTICLE} claim(s) but no review_date" in failure.rule


def test_a_short_rationale_is_reported_with_its_word_count(scratch: ProjectPaths) -> None:
    key = {"article_id": SEED, "claim_id": "C03"}
    line = set_cell(scratch, "claims", key, "rationale", "See the source.")
    failure = only(validate_raw(scratch))
    assert where(failure) == ("claims.csv", line, column_number(scratch, "claims", "rationale"), "rationale")
    assert f"rationale has 3 word(s); at least {MIN_RATIONALE_WORDS}" in failure.rule


@pytest.mark.parametrize("category", DATA_DECIDED_CATEGORIES)
def test_a_decidable_claim_without_a_check_is_reported(scratch: ProjectPaths, category: str) -> None:
    key = {"article_id": SEED, "claim_id": "C03"}  # an assessment, decided by curation
    assert cell(scratch, "claims", set_cell(scratch, "claims", key, "category", category), "check_kind") == ""
    failure = only(validate_raw(scratch))
    assert where(failure)[0] == "claims.csv" and failure.column == "check_kind"
    assert f"C03 is a {category} claim but names no check_kind" in failure.rule


def test_two_sources_for_one_page_are_reported_at_the_second(scratch: ProjectPaths) -> None:
    rows = read_rows(scratch.raw_table("sources"))
    first_id, url = rows[1][0], rows[1][3]
    line = set_cell(scratch, "sources", {"source_id": rows[2][0]}, "url", url)
    failure = only(validate_raw(scratch))
    assert where(failure) == ("sources.csv", line, 4, "url")
    assert f"the page is already source {first_id} (line 2)" in failure.rule
