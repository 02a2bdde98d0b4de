"""Trade indicators on small hand-made tables whose answers can be computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from ots_analysis.indicators import trade


def figures(rows: list[tuple]) -> pd.DataFrame:
    """Trade rows: (reporter, partner, year, flow, value, origin, source_ids[, months])."""
    records = []
    for row in rows:
        reporter, partner, year, flow, value, origin, source = row[:7]
        months = row[7] if len(row) > 7 else 12
        records.append(
            {
                "reporter_iso3": reporter,
                "partner_iso3": partner,
                "year": year,
                "flow": flow,
                "value_usd": float(value),
                "period": "full_year" if months == 12 else "jan-sep",
                "months": months,
                "statistic_origin": origin,
                "source_ids": source,
            }
        )
    return pd.DataFrame(records)


def test_significant_digits_counts_precision() -> None:
    values = pd.Series([6e9, 6.3e9, 1.546e9, 0.0, 123456.0])
    assert trade.significant_digits(values).tolist() == [1, 2, 4, 0, 6]


def test_preferred_figure_prefers_origin_then_precision() -> None:
    table = figures(
        [
            ("TUR", "KAZ", 2023, "turnover", 6e9, "media", "a"),
            ("TUR", "KAZ", 2023, "turnover", 6.4e9, "national_statistics", "b"),
            ("TUR", "KAZ", 2023, "turnover", 6.38e9, "national_statistics", "c"),
        ]
    )
    chosen = trade.preferred_figures(table)
    assert len(chosen) == 1
    assert chosen.loc[0, "value_usd"] == 6.38e9
    assert chosen.loc[0, "n_figures"] == 3


def test_partial_years_are_left_out_of_annual_indicators() -> None:
    table = figures([("TUR", "KAZ", 2025, "turnover", 4e9, "media", "a", 9)])
    assert trade.preferred_figures(table).empty
    assert trade.turnover_candidates(table).empty


def test_turnover_is_derived_from_exports_and_imports_of_one_source() -> None:
    table = figures(
        [
            ("KAZ", "TUR", 2023, "exports", 4e9, "national_statistics", "s1"),
            ("KAZ", "TUR", 2023, "imports", 2e9, "national_statistics", "s1"),
        ]
    )
    candidates = trade.turnover_candidates(table)
    assert candidates["turnover_usd"].tolist() == [6e9]
    assert candidates["basis"].tolist() == [trade.BASIS_DERIVED]
    assert candidates[["country_a", "country_b"]].iloc[0].tolist() == ["KAZ", "TUR"]


def test_stated_turnover_beats_derived_one_of_same_source() -> None:
    table = figures(
        [
            ("KAZ", "TUR", 2023, "exports", 4e9, "national_statistics", "s1"),
            ("KAZ", "TUR", 2023, "imports", 2e9, "national_statistics", "s1"),
            ("KAZ", "TUR", 2023, "turnover", 6.1e9, "national_statistics", "s1"),
        ]
    )
    assert trade.turnover_candidates(table)["basis"].tolist() == [trade.BASIS_STATED]


def test_best_estimate_is_median_of_sides_with_full_range() -> None:
    table = figures(
        [
            ("TUR", "KAZ", 2023, "turnover", 6.4e9, "national_statistics", "t"),
            ("KAZ", "TUR", 2023, "turnover", 6.0e9, "national_statistics", "k"),
            ("KAZ", "TUR", 2023, "turnover", 5.0e9, "media", "m"),
        ]
    )
    best = trade.best_estimate(trade.turnover_by_dyad(table))
    row = best.iloc[0]
    assert row["best_usd"] == pytest.approx(6.2e9)
    assert (row["low_usd"], row["high_usd"]) == (5.0e9, 6.4e9)
    assert row["n_reporters"] == 2
    assert row["reporters"] == "KAZ;TUR"


def test_mirror_discrepancy_pairs_exports_with_partner_imports() -> None:
    table = figures(
        [
            ("TUR", "UZB", 2022, "exports", 2.0e9, "national_statistics", "t"),
            ("UZB", "TUR", 2022, "imports", 1.6e9, "national_statistics", "u"),
            ("TUR", "UZB", 2022, "turnover", 3.0e9, "national_statistics", "t"),
            ("UZB", "TUR", 2022, "turnover", 3.0e9, "national_statistics", "u"),
        ]
    )
    mirror = trade.mirror_discrepancy(trade.preferred_figures(table)).set_index("flow")
    assert len(mirror) == 2
    assert mirror.loc["exports", "discrepancy_usd"] == pytest.approx(0.4e9)
    assert mirror.loc["exports", "discrepancy_pct"] == pytest.approx(0.4 / 1.8 * 100)
    assert mirror.loc["turnover", "discrepancy_usd"] == 0


def test_bilateral_sum_counts_only_member_dyads_and_reports_coverage() -> None:
    estimates = pd.DataFrame(
        {
            "country_a": ["AZE", "KAZ", "CHN"],
            "country_b": ["TUR", "TUR", "TKM"],
            "year": [2023, 2023, 2023],
            "best_usd": [7e9, 6e9, 10e9],
        }
    )
    members = pd.DataFrame({"year": [2023] * 5, "iso3": ["AZE", "KAZ", "KGZ", "TUR", "UZB"]})
    sums = trade.bilateral_sum_within(estimates, members).iloc[0]
    assert sums["bilateral_sum_usd"] == 13e9
    assert sums["dyads_covered"] == 2
    assert sums["dyads_possible"] == 10
    assert sums["covered_dyads"] == "AZE-TUR;KAZ-TUR"
    assert sums["missing_dyads"].split(";") == [
        "AZE-KAZ",
        "AZE-KGZ",
        "AZE-UZB",
        "KAZ-KGZ",
        "KAZ-UZB",
        "KGZ-TUR",
        "KGZ-UZB",
        "TUR-UZB",
    ]
    assert not sums["complete"]


def test_bilateral_sum_is_complete_only_with_every_member_dyad() -> None:
    members = pd.DataFrame({"year": [2023] * 3, "iso3": ["KAZ", "KGZ", "UZB"]})
    estimates = pd.DataFrame(
        {
            "country_a": ["KAZ", "KAZ", "KGZ"],
            "country_b": ["KGZ", "UZB", "UZB"],
            "year": [2023] * 3,
            "best_usd": [1.3e9, 4.4e9, 1.5e9],
            "disputed": [False, True, False],
        }
    )
    sums = trade.bilateral_sum_within(estimates, members).iloc[0]
    assert (sums["bilateral_sum_usd"], sums["complete"], sums["missing_dyads"]) == (7.2e9, True, "")
    assert sums["disputed_dyads"] == "KAZ-UZB"
    partial = trade.bilateral_sum_within(estimates.iloc[:2], members).iloc[0]
    assert (partial["dyads_covered"], partial["complete"], partial["missing_dyads"]) == (2, False, "KGZ-UZB")


def test_members_by_year_respects_spells() -> None:
    spells = pd.DataFrame(
        {
            "iso3": ["TUR", "UZB", "HUN"],
            "organization": ["OTS"] * 3,
            "status": ["member", "member", "observer"],
            "start_date": pd.to_datetime(["2009-10-03", "2019-10-14", "2018-09-03"]),
            "end_date": pd.to_datetime([None, None, None]),
        }
    )
    members = trade.members_by_year(spells, "OTS", [2018, 2020])
    assert members.loc[members["year"] == 2018, "iso3"].tolist() == ["TUR"]
    assert members.loc[members["year"] == 2020, "iso3"].tolist() == ["TUR", "UZB"]


def test_growth_only_between_consecutive_years_and_cagr() -> None:
    estimates = pd.DataFrame(
        {
            "country_a": ["KAZ"] * 3,
            "country_b": ["TUR"] * 3,
            "year": [2019, 2020, 2022],
            "best_usd": [4e9, 5e9, 6.25e9],
        }
    )
    growth = trade.year_on_year_growth(estimates)
    assert growth["yoy_growth_pct"].iloc[1] == pytest.approx(25.0)
    assert pd.isna(growth["yoy_growth_pct"].iloc[2])  # 2020 -> 2022 is not consecutive
    cagr = trade.compound_annual_growth(estimates).iloc[0]
    assert cagr["cagr_pct"] == pytest.approx(((6.25 / 4) ** (1 / 3) - 1) * 100)


def test_import_figures_prefer_importer_records_over_mirror() -> None:
    table = figures(
        [
            ("TKM", "TUR", 2022, "imports", 1.5e9, "national_statistics", "tkm"),
            ("TUR", "TKM", 2022, "exports", 1.4e9, "national_statistics", "tur"),
            ("CHN", "TKM", 2022, "exports", 0.9e9, "national_statistics", "chn"),
        ]
    )
    imports = trade.import_figures(table, "TKM").set_index("supplier_iso3")
    assert imports.loc["TUR", "value_usd"] == 1.5e9
    assert imports.loc["TUR", "basis"] == "importer_imports"
    assert imports.loc["CHN", "basis"] == "supplier_exports"
    shares = trade.supplier_shares(imports.reset_index())
    assert shares["supplier_iso3"].tolist() == ["TUR", "CHN"]
    assert shares["rank"].tolist() == [1, 2]
    assert shares["share_of_recorded"].sum() == pytest.approx(1.0)


def test_equally_ranked_figures_that_agree_give_their_median_and_every_source() -> None:
    rows = [
        ("TUR", "KAZ", 2023, "turnover", 6.1e9, "media", "b"),
        ("TUR", "KAZ", 2023, "turnover", 5.9e9, "media", "a"),
    ]
    forward = trade.preferred_figures(figures(rows))
    backward = trade.preferred_figures(figures(rows[::-1]))
    pd.testing.assert_frame_equal(forward, backward)
    assert forward["value_usd"].tolist() == [6.0e9]  # 3.3 % apart: within the tolerance
    assert forward[["n_figures", "n_tied"]].iloc[0].tolist() == [2, 2]
    assert forward["source_ids"].tolist() == ["a;b"]
    assert not forward["disputed"].iloc[0]


def test_equally_ranked_figures_that_disagree_are_disputed_whatever_their_source_ids() -> None:
    def estimate(first: str, second: str) -> pd.Series:
        table = figures(
            [
                ("CHN", "TKM", 2024, "turnover", 12.2e9, "media", first),
                ("CHN", "TKM", 2024, "turnover", 10.6e9, "media", second),
                ("CHN", "TKM", 2023, "turnover", 10.6e9, "national_statistics", "c"),
            ]
        )
        best = trade.best_estimate(trade.turnover_by_dyad(table)).set_index("year")
        return best.loc[2024]

    for first, second in (("alchempro", "trend"), ("zzz", "aaa")):
        row = estimate(first, second)
        assert row["best_usd"] == pytest.approx(11.4e9)  # the midpoint, not the first source's figure
        assert (row["low_usd"], row["high_usd"]) == (10.6e9, 12.2e9)
        assert row["disputed"]


def test_a_more_precise_figure_is_no_dispute() -> None:
    table = figures(
        [
            ("KAZ", "TUR", 2023, "turnover", 6e9, "national_statistics", "a"),
            ("KAZ", "TUR", 2023, "turnover", 6.38e9, "national_statistics", "b"),
        ]
    )
    chosen = trade.preferred_figures(table).iloc[0]
    assert (chosen["value_usd"], chosen["n_tied"], chosen["disputed"]) == (6.38e9, 1, False)
    assert trade.disputed_figures(table).empty


def test_three_equally_ranked_figures_give_the_middle_one() -> None:
    table = figures(
        [
            ("UZB", "KAZ", 2022, "exports", 1.1e9, "media", "a"),
            ("UZB", "KAZ", 2022, "exports", 1.9e9, "media", "b"),
            ("UZB", "KAZ", 2022, "exports", 1.2e9, "media", "c"),
        ]
    )
    chosen = trade.preferred_figures(table).iloc[0]
    assert chosen["value_usd"] == 1.2e9
    assert chosen["disputed"]


def test_disputed_figures_lists_stated_and_derived_disputes_with_their_range() -> None:
    table = figures(
        [
            ("CHN", "TKM", 2024, "turnover", 12.2e9, "media", "x"),
            ("CHN", "TKM", 2024, "turnover", 10.6e9, "media", "y"),
            # two sources each give exports and imports; their derived turnovers disagree by 31 %
            ("KAZ", "KGZ", 2021, "exports", 0.6e9, "official_statement", "p"),
            ("KAZ", "KGZ", 2021, "imports", 0.5e9, "national_statistics", "p"),
            ("KAZ", "KGZ", 2021, "exports", 0.9e9, "national_statistics", "q"),
            ("KAZ", "KGZ", 2021, "imports", 0.6e9, "official_statement", "q"),
        ]
    )
    disputes = trade.disputed_figures(table).set_index(["reporter_iso3", "flow", "basis"])
    chn = disputes.loc[("CHN", "turnover", trade.BASIS_STATED)]
    assert (chn["tied_low_usd"], chn["tied_high_usd"], chn["estimate_usd"]) == (10.6e9, 12.2e9, 11.4e9)
    assert chn["spread_pct"] == pytest.approx(1.6 / 11.4 * 100)
    kaz = disputes.loc[("KAZ", "turnover", trade.BASIS_DERIVED)]
    assert (kaz["tied_low_usd"], kaz["tied_high_usd"], kaz["source_ids"]) == (1.1e9, 1.5e9, "p;q")
    assert kaz["partner_iso3"] == "KGZ"
    # exports and imports differ in origin between the sources, so neither flow is itself disputed
    assert len(disputes) == 2


def test_growth_and_cagr_from_a_disputed_estimate_are_marked() -> None:
    table = figures(
        [
            ("CHN", "TKM", 2022, "turnover", 11.2e9, "media", "c"),
            ("CHN", "TKM", 2023, "turnover", 10.6e9, "media", "d"),
            ("CHN", "TKM", 2024, "turnover", 12.2e9, "media", "a"),
            ("CHN", "TKM", 2024, "turnover", 10.6e9, "media", "b"),
        ]
    )
    best = trade.best_estimate(trade.turnover_by_dyad(table))
    growth = trade.year_on_year_growth(best).set_index("year")
    assert growth["from_disputed"].to_dict() == {2022: False, 2023: False, 2024: True}
    assert growth.loc[2024, "yoy_growth_pct"] == pytest.approx((11.4 / 10.6 - 1) * 100)
    assert trade.compound_annual_growth(best)["from_disputed"].tolist() == [True]


def test_a_paraphrased_figure_widens_the_range_but_never_sets_the_estimate() -> None:
    table = figures(
        [
            ("KAZ", "TUR", 2023, "turnover", 6e9, "official_statement", "kaz"),
            ("TUR", "KAZ", 2023, "turnover", 10e9, "paraphrased_statement", "tur"),
            ("TUR", "KAZ", 2022, "turnover", 7e9, "paraphrased_statement", "tur"),
        ]
    )
    best = trade.best_estimate(trade.turnover_by_dyad(table)).set_index("year")
    assert best.loc[2023, ["best_usd", "low_usd", "high_usd"]].tolist() == [6e9, 6e9, 10e9]
    assert best.loc[2023, "n_reporters"] == 2 and best.loc[2023, "n_averaged"] == 1
    # a year whose only figure is a paraphrase is shown (its range) without an estimate
    assert pd.isna(best.loc[2022, "best_usd"]) and best.loc[2022, "high_usd"] == 7e9
    assert trade.with_estimate(best.reset_index())["year"].tolist() == [2023]


def test_a_paraphrase_loses_to_any_other_origin_of_the_same_side() -> None:
    table = figures(
        [
            ("TUR", "KAZ", 2023, "turnover", 10e9, "paraphrased_statement", "a"),
            ("TUR", "KAZ", 2023, "turnover", 6.4e9, "media", "b"),
        ]
    )
    assert trade.preferred_figures(table)["value_usd"].tolist() == [6.4e9]
