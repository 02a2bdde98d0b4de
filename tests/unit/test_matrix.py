"""The bilateral matrix's pairs and coverage on small hand-made tables."""

from __future__ import annotations

import pandas as pd

from ots_analysis.indicators import matrix, trade


def spells(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["iso3", "status", "start_date", "end_date"])
    return frame.assign(
        organization="OTS",
        start_date=pd.to_datetime(frame["start_date"]),
        end_date=pd.to_datetime(frame["end_date"]),
    )


SPELLS = spells(
    [
        ("AZE", "member", "2009-10-03", None),
        ("KAZ", "member", "2009-10-03", None),
        ("TUR", "member", "2009-10-03", None),
        ("HUN", "observer", "2018-09-03", None),
        ("XNC", "observer", "2022-11-11", None),
        ("TKM", "observer", "2021-11-12", None),
    ]
)


def test_matrix_pairs_are_member_pairs_and_chosen_observers_with_each_member() -> None:
    pairs = matrix.matrix_pairs(SPELLS, "OTS", ("HUN",), pd.Timestamp("2024-12-31"))
    members = pairs.loc[pairs["pair_group"] == matrix.MEMBER_PAIR]
    observers = pairs.loc[pairs["pair_group"] == matrix.OBSERVER_PAIR]
    assert list(zip(members["country_a"], members["country_b"], strict=True)) == [
        ("AZE", "KAZ"),
        ("AZE", "TUR"),
        ("KAZ", "TUR"),
    ]
    assert sorted(zip(observers["country_a"], observers["country_b"], strict=True)) == [
        ("AZE", "HUN"),
        ("HUN", "KAZ"),
        ("HUN", "TUR"),
    ]


def figures(rows: list[tuple[str, str, int, float, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["reporter_iso3", "partner_iso3", "year", "value_usd", "statistic_origin"]
    )
    return frame.assign(
        flow="turnover", period="full_year", months=12, source_ids="s" + frame.index.astype(str)
    )


def test_coverage_counts_the_sides_in_each_estimate_and_never_fills_a_missing_year() -> None:
    table = figures(
        [
            ("AZE", "TUR", 2023, 7.0e9, "national_statistics"),
            ("TUR", "AZE", 2023, 7.2e9, "national_statistics"),
            ("KAZ", "TUR", 2023, 6.4e9, "official_statement"),
            ("TUR", "KAZ", 2024, 6.0e9, "paraphrased_statement"),  # shown, not averaged: no estimate
        ]
    )
    by_dyad = trade.turnover_by_dyad(table)
    pairs = matrix.matrix_pairs(SPELLS, "OTS", (), pd.Timestamp("2024-12-31"))
    coverage = matrix.trade_coverage(pairs, range(2023, 2025), by_dyad, trade.best_estimate(by_dyad))
    found = coverage.set_index(["country_a", "country_b", "year"])
    assert found.loc[("AZE", "TUR", 2023), ["coverage", "reporters"]].tolist() == [
        matrix.BOTH_REPORTERS,
        "AZE;TUR",
    ]
    assert found.loc[("KAZ", "TUR", 2023), ["coverage", "reporters"]].tolist() == [matrix.ONE_REPORTER, "KAZ"]
    assert found.loc[("KAZ", "TUR", 2024), "coverage"] == matrix.MISSING
    assert pd.isna(found.loc[("AZE", "KAZ", 2024), "best_usd"])
    assert len(coverage) == 3 * 2
    counts = matrix.coverage_counts(coverage).set_index(["pair_group", "coverage"])["pair_years"]
    assert counts[(matrix.MEMBER_PAIR, matrix.BOTH_REPORTERS)] == 1
    assert counts[(matrix.MEMBER_PAIR, matrix.ONE_REPORTER)] == 1
    assert counts[(matrix.MEMBER_PAIR, matrix.MISSING)] == 4
    assert counts[(matrix.OBSERVER_PAIR, matrix.MISSING)] == 0  # no observer chosen: zero, still listed
