"""Each check kind on tiny hand-made tables: the verdict follows the documented rule."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from ots_analysis import claims


def dated(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_id", "date", "date_precision"])
    return frame.assign(date=pd.to_datetime(frame["date"]), kind="summit", title="x")


def ctx(**attributes: object) -> claims.ClaimContext:
    return SimpleNamespace(**attributes)  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("2024-02", "supported"),
        ("2024", "supported"),
        ("2024-05", "partly_supported"),
        ("2023-02", "contradicted"),
    ],
)
def test_date_matches_grades_by_precision(stated: str, expected: str) -> None:
    context = ctx(dated=dated([("e", "2024-02-14", "day")]))
    assert claims.DateMatches("e", stated).run(context).verdict == expected


def test_date_matches_is_unverifiable_when_data_are_coarser() -> None:
    context = ctx(dated=dated([("e", "2024-01-01", "year")]))
    assert claims.DateMatches("e", "2024-02").run(context).verdict == "unverifiable"


@pytest.mark.parametrize(
    ("stated", "expected"), [(3.5, "supported"), (5.0, "partly_supported"), (36.0, "contradicted")]
)
def test_interval_about_grades_distance_against_tolerance(stated: float, expected: str) -> None:
    context = ctx(dated=dated([("a", "2023-11-03", "day"), ("b", "2024-02-14", "day")]))
    check = claims.IntervalAbout("a", "b", stated_months=stated, tolerance_months=1.5)
    result = check.run(context)
    assert result.verdict == expected
    assert "103 days" in result.computed_value


def trade_context(best_usd: float, low: float, high: float) -> claims.ClaimContext:
    best = pd.DataFrame(
        {
            "country_a": ["KAZ"],
            "country_b": ["TUR"],
            "year": [2024],
            "best_usd": [best_usd],
            "low_usd": [low],
            "high_usd": [high],
            "reporters": ["KAZ;TUR"],
        }
    )
    return ctx(best_turnover=best)


@pytest.mark.parametrize(
    ("best", "expected"), [(6.2e9, "supported"), (5.0e9, "partly_supported"), (3.0e9, "contradicted")]
)
def test_figure_near_uses_tolerance_then_twice_it(best: float, expected: str) -> None:
    check = claims.FigureNear("TUR", "KAZ", stated_usd=6e9, tolerance_pct=10, last_year=2024)
    assert check.run(trade_context(best, best, best)).verdict == expected


def test_figure_inside_reported_range_is_supported() -> None:
    check = claims.FigureNear("TUR", "KAZ", stated_usd=6e9, tolerance_pct=10, last_year=2024)
    assert check.run(trade_context(4.0e9, 3.5e9, 6.5e9)).verdict == "supported"


def memberships(rows: list[tuple[str, str, str, str, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["iso3", "organization", "status", "start_date", "end_date"])
    return frame.assign(
        start_date=pd.to_datetime(frame["start_date"]),
        end_date=pd.to_datetime(frame["end_date"]),
        founding=False,
    )


def test_membership_holds_counts_each_state() -> None:
    spells = memberships(
        [
            ("HUN", "OTS", "observer", "2018-09-03", None),
            ("XNC", "OTS", "observer", "2022-11-11", "2023-01-01"),
        ]
    )
    check = claims.MembershipHolds(("HUN", "XNC"), "OTS", ("observer",))
    assert check.run(ctx(memberships=spells)).verdict == "partly_supported"


def test_regional_membership_needs_a_majority_for_many() -> None:
    countries = pd.DataFrame({"iso3": ["KAZ", "KGZ", "TJK", "TKM", "UZB"], "central_asia": [True] * 5})
    both = [(code, org, "member", "2015-01-01", None) for code in ("KAZ", "KGZ") for org in ("EAEU", "CSTO")]
    context = ctx(raw=SimpleNamespace(countries=countries), memberships=memberships(both))
    assert claims.RegionalMembership(("EAEU", "CSTO"), "KAZ").run(context).verdict == "partly_supported"
    three = both + [("TJK", org, "member", "2015-01-01", None) for org in ("EAEU", "CSTO")]
    context = ctx(raw=SimpleNamespace(countries=countries), memberships=memberships(three))
    assert claims.RegionalMembership(("EAEU", "CSTO"), "KAZ").run(context).verdict == "supported"
    assert claims.RegionalMembership(("EAEU", "CSTO"), "TKM").run(context).verdict == "contradicted"


def defense(rows: list[tuple[str, str, str, str, str | None, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_id", "date", "kind", "parties", "host_iso3", "system"])
    return frame.assign(date=pd.to_datetime(frame["date"]), date_precision="day")


def test_defense_event_core_and_details() -> None:
    events = defense([("x", "2017-06-04", "exercise", "AZE;GEO;TUR", "GEO", None)])
    found = claims.DefenseEventExists(("AZE", "GEO", "TUR"), ("exercise",), 2017, month=6, host_iso3="GEO")
    assert found.run(ctx(defense=events)).verdict == "supported"
    wrong_month = claims.DefenseEventExists(("AZE", "GEO", "TUR"), ("exercise",), 2017, month=9)
    assert wrong_month.run(ctx(defense=events)).verdict == "partly_supported"
    none = claims.DefenseEventExists(("KAZ", "TUR"), ("exercise",), 2017)
    assert none.run(ctx(defense=events)).verdict == "unverifiable"


def test_recurring_exercises_need_distinct_years() -> None:
    events = defense(
        [
            ("a", "2017-06-04", "exercise", "AZE;GEO;TUR", None, None),
            ("b", "2017-09-01", "exercise", "AZE;GEO;TUR", None, None),
            ("c", "2019-09-01", "exercise", "AZE;GEO;TUR", None, None),
        ]
    )
    assert (
        claims.RecurringExercises(("AZE", "GEO", "TUR"), 3).run(ctx(defense=events)).verdict
        == "partly_supported"
    )
    assert claims.RecurringExercises(("AZE", "GEO", "TUR"), 2).run(ctx(defense=events)).verdict == "supported"


def test_only_non_turkic_requires_every_state_sourced() -> None:
    countries = pd.DataFrame(
        {
            "iso3": ["KAZ", "TJK", "UZB"],
            "central_asia": [True, True, True],
            "turkic_majority": pd.array([True, False, pd.NA], dtype="boolean"),
        }
    )
    assert (
        claims.OnlyNonTurkic("TJK").run(ctx(raw=SimpleNamespace(countries=countries))).verdict
        == "unverifiable"
    )
    countries["turkic_majority"] = pd.array([True, False, True], dtype="boolean")
    assert (
        claims.OnlyNonTurkic("TJK").run(ctx(raw=SimpleNamespace(countries=countries))).verdict == "supported"
    )
    assert (
        claims.OnlyNonTurkic("KAZ").run(ctx(raw=SimpleNamespace(countries=countries))).verdict
        == "contradicted"
    )
