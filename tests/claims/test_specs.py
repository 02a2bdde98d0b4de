"""Check specifications as data: bad specifications are reported where a curator fixes them, and a new
article is checked from data alone."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ots_analysis.build import render_outputs
from ots_analysis.claims import claims_register
from ots_analysis.cli import main
from ots_analysis.errors import Failure
from ots_analysis.load import load_raw, validate_raw
from ots_analysis.paths import ProjectPaths

SEED = "timestengri-2025-10-ots-military"


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def edit_parameter(
    paths: ProjectPaths, claim_id: str, parameter: str, value: str | None, new_name: str | None = None
) -> int:
    """Change (or with value None, drop) one parameter row of the seed article; return its CSV line."""
    path = paths.raw_table("check_parameters")
    rows = read_rows(path)
    for number, row in enumerate(rows):
        if row[:3] == [SEED, claim_id, parameter]:
            if value is None:
                del rows[number]
            else:
                rows[number] = [SEED, claim_id, new_name or parameter, value]
            write_rows(path, rows)
            return number + 1
    raise AssertionError(f"no parameter {parameter} of {claim_id}")


def append_parameter(paths: ProjectPaths, row: list[str]) -> int:
    path = paths.raw_table("check_parameters")
    rows = read_rows(path)
    rows.append(row)
    write_rows(path, rows)
    return len(rows)


def only(failures: list[Failure]) -> Failure:
    assert len(failures) == 1, [failure.describe() for failure in failures]
    return failures[0]


def test_the_real_specifications_are_valid(real_paths: ProjectPaths) -> None:
    assert validate_raw(real_paths) == []


@pytest.mark.parametrize(
    ("claim_id", "parameter", "value", "column", "words"),
    [
        ("C04", "event_id", "no-such-event", "value", "no event id"),
        ("C26", "country_a", "XXX", "value", "no country 'XXX'"),
        ("C30", "region", "atlantis", "value", "no region 'atlantis'"),
        ("C26", "stated_usd", "6e9", "value", "must be a number"),
        ("C26", "stated_usd", "６000000000", "value", "must be a number"),
        ("C04", "stated", "2024-13", "value", "must be a date"),
        ("C24", "month", "13", "value", "from 1 to 12"),
        ("C01", "series", "ots-summits", "value", "must be one of"),
        ("C09", "countries", "AZE;;TUR", "value", "empty item"),
    ],
)
def test_a_bad_value_names_file_line_column(
    scratch: ProjectPaths, claim_id: str, parameter: str, value: str, column: str, words: str
) -> None:
    line = edit_parameter(scratch, claim_id, parameter, value)
    failure = only(validate_raw(scratch))
    assert (failure.file.endswith("check_parameters.csv"), failure.line, failure.column) == (
        True,
        line,
        column,
    )
    assert failure.column_number == 4
    assert words in failure.rule


def test_an_undeclared_parameter_is_named_with_the_ones_the_kind_takes(scratch: ProjectPaths) -> None:
    line = edit_parameter(scratch, "C04", "stated", "2024-02", new_name="stated_date")
    failures = validate_raw(scratch)
    undeclared = [f for f in failures if f.column == "parameter"]
    assert [(f.line, f.value) for f in undeclared] == [(line, "stated_date")]
    assert "it takes: event_id, stated" in undeclared[0].rule
    missing = [f for f in failures if f.column == "check_kind"]
    assert len(missing) == 1 and "needs parameter 'stated'" in missing[0].rule
    assert missing[0].file.endswith("claims.csv")


def test_a_missing_parameter_is_reported_on_the_claim(scratch: ProjectPaths) -> None:
    edit_parameter(scratch, "C06", "tolerance_months", None)
    failure = only(validate_raw(scratch))
    assert failure.file.endswith("claims.csv") and failure.column == "check_kind"
    assert "needs parameter 'tolerance_months'" in failure.rule


def test_an_unknown_kind_lists_the_kinds(scratch: ProjectPaths) -> None:
    path = scratch.raw_table("claims")
    rows = read_rows(path)
    line = next(n for n, row in enumerate(rows, start=1) if row[:2] == [SEED, "C04"])
    rows[line - 1][-1] = "date-is-close"
    write_rows(path, rows)
    failures = validate_raw(scratch)
    kind = [f for f in failures if f.column == "check_kind"]
    assert [(f.line, f.value) for f in kind] == [(line, "date-is-close")]
    assert "date-matches" in kind[0].rule
    # its parameters now belong to a claim whose kind is unknown: nothing else is reported for them
    assert len(failures) == 1


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ([SEED, "C99", "stated", "2024"], "not in claims.csv"),
        ([SEED, "C02", "stated", "2024"], "has no check_kind"),
        (["no-such-article", "C04", "stated", "2024"], "article_id not in articles.csv"),
    ],
)
def test_parameters_of_a_claim_that_cannot_take_them(
    scratch: ProjectPaths, row: list[str], words: str
) -> None:
    line = append_parameter(scratch, row)
    failures = [f for f in validate_raw(scratch) if f.line == line]
    assert failures and all(f.file.endswith("check_parameters.csv") for f in failures)
    assert any(words in f.rule for f in failures), [f.describe() for f in failures]


def test_validate_exits_1_and_writes_nothing(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit_parameter(scratch, "C04", "event_id", "no-such-event")
    args = ["--raw-dir", str(scratch.raw), "--processed-dir", str(scratch.processed)]
    assert main([*args, "validate"]) == 1
    assert main([*args, "build"]) == 1
    assert f"check_parameters.csv:{line}:4" in capsys.readouterr().err
    assert list(scratch.processed.iterdir()) == []


# --- a third article, entirely from fixture data --------------------------------------------------

THIRD = "fixture-2025-ots-brief"
THIRD_ARTICLE = [
    THIRD,
    "A fixture article about the Turkic states",
    "reports on the organisation's summits and trade",
    "Fixture Weekly",
    "",
    "2025-11-20",
    "",
    "https://example.org/fixture-article",
    "en",
    "Lead;Summits;Trade",
    "full text",
    "OTS",
    "",
    "2026-12-01",
    "false",
]
# claim id, section, category, curated verdict, kind, parameters
THIRD_CLAIMS = [
    (
        "C01",
        1,
        "event",
        "supported",
        "summit-held",
        {"series": "ots_heads_of_state", "number": "12", "city": "Gabala"},
    ),
    ("C02", 1, "date", "contradicted", "date-matches", {"event_id": "ots-summit-12", "stated": "2024-10"}),
    (
        "C03",
        0,
        "membership",
        "partly_supported",
        "founders-are",
        {"organization": "OTS", "countries": "AZE;KAZ;KGZ;TUR;UZB"},
    ),
    (
        "C04",
        2,
        "figure",
        "unverifiable",
        "figure-near",
        {"country_a": "KGZ", "country_b": "TKM", "stated_usd": "1000000000", "tolerance_pct": "10"},
    ),
    ("C05", 0, "assessment", "unverifiable", "", {}),
    # claims decided by curation alone, up to the fifteen an article needs (MIN_CLAIMS_PER_ARTICLE)
    *[(f"C{number:02d}", 0, "assessment", "unverifiable", "", {}) for number in range(6, 16)],
]


def add_third_article(paths: ProjectPaths) -> None:
    """Append the fixture article, its claims, evidence and check parameters to a copy of data/raw."""
    articles = read_rows(paths.raw_table("articles"))
    write_rows(paths.raw_table("articles"), [*articles, THIRD_ARTICLE])
    source = read_rows(paths.raw_table("claims"))[1][7].split(";")[0]  # any real source will do
    claims = read_rows(paths.raw_table("claims"))
    evidence = read_rows(paths.raw_table("claim_evidence"))
    parameters = read_rows(paths.raw_table("check_parameters"))
    for claim_id, section, category, verdict, kind, values in THIRD_CLAIMS:
        claims.append(
            [
                THIRD,
                claim_id,
                str(section),
                f"Fixture claim {claim_id}.",
                category,
                verdict,
                "A fixture rationale of five words.",
                source,
                kind,
            ]
        )
        evidence.append([THIRD, claim_id, source, "fixture excerpt", "context", "fixture note"])
        parameters += [[THIRD, claim_id, name, value] for name, value in sorted(values.items())]
    write_rows(paths.raw_table("claims"), claims)
    write_rows(paths.raw_table("claim_evidence"), evidence)
    write_rows(paths.raw_table("check_parameters"), parameters)


def test_a_third_article_is_checked_from_data_alone(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    add_third_article(scratch)
    assert validate_raw(scratch) == []
    raw = load_raw(scratch)
    register = claims_register(raw).set_index(["article_id", "claim_id"])
    third = register.loc[THIRD]
    expected = {claim_id: verdict for claim_id, _, _, verdict, _, _ in THIRD_CLAIMS}
    assert third["final_verdict"].to_dict() == expected
    assert third["agrees"].all()
    # the check's default "as of" date and "year before the article" come from this article
    assert "stated 2024-10" in third.loc["C02", "explanation"]
    files = render_outputs(raw, scratch).files
    assert f"articles/{THIRD}/claims.csv" in files and f"articles/{THIRD}/claimreview.jsonld" in files
    assert b"Fixture Weekly" in files[f"articles/{THIRD}/claimreview.jsonld"]
    args = ["--raw-dir", str(scratch.raw), "--processed-dir", str(scratch.processed)]
    assert main([*args, "claims", "--article", THIRD]) == 0
    out = capsys.readouterr().out
    assert "Claims checked: 15" in out and "Summits" in out


def test_an_unknown_article_is_a_usage_error(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--raw-dir", str(scratch.raw), "--processed-dir", str(scratch.processed)]
    assert main([*args, "claims", "--article", "nope"]) == 2
    assert SEED in capsys.readouterr().err


# --- the register and its evidence ------------------------------------------------------------------


def test_a_claim_must_show_evidence_for_exactly_its_sources(scratch: ProjectPaths) -> None:
    path = scratch.raw_table("claim_evidence")
    rows = read_rows(path)
    dropped = next(row for row in rows[1:] if row[:2] == [SEED, "C01"])
    write_rows(path, [row for row in rows if row is not dropped])
    failure = only(validate_raw(scratch))
    assert failure.file.endswith("claims.csv") and failure.column == "source_ids"
    assert f"no evidence row for {dropped[2]}" in failure.rule

    rows.append([SEED, "C01", "aa-2025-erdogan-gabala-security-x", "x", "context", "x"])
    write_rows(path, [row for row in rows if row[:2] != [SEED, "C04"]])
    rules = sorted(f.rule for f in validate_raw(scratch))
    assert any("no row in claim_evidence.csv" in rule for rule in rules)
    assert any("evidence from unlisted aa-2025-erdogan-gabala-security-x" in rule for rule in rules)


# --- parameters that contradict each other, or name what the data cannot hold ---------------------------

TRADE_CLAIM = {
    "reporter": "KAZ",
    "partners": "UZB",
    "flow": "exports",
    "from_year": "2021",
    "to_year": "2023",
    "stated_usd": "7500000000",
    "tolerance_pct": "5",
}


EXTRA = f"C{len(THIRD_CLAIMS) + 1:02d}"


def add_fixture_claim(paths: ProjectPaths, kind: str, values: dict[str, str]) -> dict[str, int]:
    """The fixture article with one more claim (``EXTRA``) of ``kind``; returns each parameter's line."""
    add_third_article(paths)
    claims = read_rows(paths.raw_table("claims"))
    source = claims[1][7].split(";")[0]
    claims.append(
        [
            THIRD,
            EXTRA,
            "2",
            f"Fixture claim {EXTRA}.",
            "figure",
            "unverifiable",
            "A fixture rationale of five words.",
            source,
            kind,
        ]
    )
    write_rows(paths.raw_table("claims"), claims)
    evidence = read_rows(paths.raw_table("claim_evidence"))
    evidence.append([THIRD, EXTRA, source, "fixture excerpt", "context", "fixture note"])
    write_rows(paths.raw_table("claim_evidence"), evidence)
    return {name: append_parameter(paths, [THIRD, EXTRA, name, value]) for name, value in values.items()}


@pytest.mark.parametrize(
    ("kind", "changes", "parameter", "words"),
    [
        ("trade-cumulative", {"to_year": "2019"}, "to_year", "must be in or after from_year (2021)"),
        ("trade-cumulative", {"from_year": "1980"}, "from_year", "must be a year from 1991"),
        ("trade-cumulative", {"stated_usd": "0"}, "stated_usd", "must be a number above 0"),
        ("trade-cumulative", {"partners": "UZB;XXX"}, "partners", "no countries 'XXX' in the data"),
        ("trade-cumulative", {"comparison": "roughly"}, "comparison", "must be one of: about, at_least"),
    ],
)
def test_a_trade_check_with_bad_parameters_is_named_at_the_parameter_row(
    scratch: ProjectPaths, kind: str, changes: dict[str, str], parameter: str, words: str
) -> None:
    lines = add_fixture_claim(scratch, kind, {**TRADE_CLAIM, **changes})
    failure = only(validate_raw(scratch))
    assert (failure.file, failure.line, failure.column_number) == (
        "raw/check_parameters.csv",
        lines[parameter],
        4,
    ), failure.describe()
    assert words in failure.rule


@pytest.mark.parametrize(
    ("kind", "values", "parameter", "words"),
    [
        (
            "trade-growth",
            {
                "country": "KAZ",
                "partners": "UZB",
                "flow": "exports",
                "from_year": "2023",
                "to_year": "2023",
                "change": "rising",
            },
            "to_year",
            "must be after from_year",
        ),
        (
            "trade-growth",
            {
                "country": "KAZ",
                "partners": "UZB",
                "flow": "exports",
                "from_year": "2021",
                "to_year": "2023",
                "change": "percent",
                "tolerance": "5",
            },
            "change",
            "needs stated_value",
        ),
        (
            "trade-rank",
            {"country": "UZB", "partner": "UZB", "flow": "exports", "stated_rank": "1", "from_year": "2024"},
            "partner",
            "names the same country as 'country'",
        ),
        (
            "trade-rank",
            {"country": "UZB", "partner": "ZZZ", "flow": "exports", "stated_rank": "1", "from_year": "2024"},
            "partner",
            "no country 'ZZZ' in the data",
        ),
        (
            "trade-share",
            {
                "country": "UZB",
                "partners": "CHN",
                "flow": "turnover",
                "from_year": "2024",
                "stated_pct": "150",
                "tolerance_pct": "1",
            },
            "stated_pct",
            "a percentage from 0 to 100",
        ),
        (
            "trade-share",
            {
                "country": "UZB",
                "partners": "CHN",
                "flow": "exports",
                "from_year": "2024",
                "stated_pct": "15",
                "tolerance_pct": "1",
                "base": "group",
                "among": "CHN;UZB",
            },
            "flow",
            "a group's trade is turnover",
        ),
    ],
)
def test_contradicting_parameters_are_named_where_a_curator_fixes_them(
    scratch: ProjectPaths, kind: str, values: dict[str, str], parameter: str, words: str
) -> None:
    lines = add_fixture_claim(scratch, kind, values)
    failure = only(validate_raw(scratch))
    assert (failure.line, failure.column) == (lines[parameter], "value"), failure.describe()
    assert words in failure.rule


def test_a_span_outside_the_data_is_unverifiable_with_the_years_named(scratch: ProjectPaths) -> None:
    add_fixture_claim(scratch, "trade-cumulative", {**TRADE_CLAIM, "from_year": "1995", "to_year": "1996"})
    assert validate_raw(scratch) == []
    register = claims_register(load_raw(scratch)).set_index(["article_id", "claim_id"])
    row = register.loc[(THIRD, EXTRA)]
    assert row["computed_verdict"] == "unverifiable"
    assert "KAZ-UZB 1995, KAZ-UZB 1996" in row["explanation"]
    assert "the data hold KAZ's exports for" in row["explanation"]
