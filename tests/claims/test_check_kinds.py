"""Each check kind on tiny hand-made tables: every verdict the kind can return, by its documented rule.

The checks read only what :class:`~ots_analysis.claims.ClaimContext` offers; here a namespace with the
few attributes a kind reads stands in for it, so each answer can be worked out by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from ots_analysis.claims import CHECK_KINDS, ClaimContext
from ots_analysis.claims.kinds import (
    AdmittedAt,
    AggregateStated,
    DateMatches,
    DefenseEventExists,
    DocumentAdopted,
    FigureNear,
    FoundersAre,
    IntervalAbout,
    MajorityShare,
    MembershipHolds,
    OnlyNonTurkic,
    RecurringExercises,
    RegionalMembership,
    SameOccasion,
    SummitHeld,
    SupplierRank,
)
from ots_analysis.verdicts import VERDICT_ORDER

AS_OF = dt.date(2025, 10, 14)


def ctx(**attributes: Any) -> ClaimContext:
    return SimpleNamespace(**attributes)  # type: ignore[return-value]


def verdict(check: Any, context: ClaimContext) -> str:
    result = check.run(context)
    assert result.verdict in VERDICT_ORDER
    return str(result.verdict)


# --- the registry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CHECK_KINDS))
def test_every_field_but_as_of_is_a_declared_parameter(name: str) -> None:
    kind = CHECK_KINDS[name]
    fields = {field.name for field in dataclasses.fields(kind)} - {"as_of"}
    assert set(kind.parameters()) == fields
    assert all(parameter.description for parameter in kind.parameters().values())
    assert kind.__doc__ and "supported" in kind.__doc__, f"{name} must document its rule"


def test_kind_names_are_the_registry_keys() -> None:
    assert all(kind.kind == name for name, kind in CHECK_KINDS.items())


# --- timeline kinds -------------------------------------------------------------------------------


def dated(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_id", "date", "date_precision"])
    return frame.assign(date=pd.to_datetime(frame["date"]), kind="summit", title="x")


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("2024-02", "supported"),
        ("2024", "supported"),
        ("2024-02-14", "supported"),
        ("2024-05", "partly_supported"),
        ("2023-02", "contradicted"),
    ],
)
def test_date_matches_grades_by_precision(stated: str, expected: str) -> None:
    context = ctx(dated=dated([("e", "2024-02-14", "day")]))
    assert verdict(DateMatches(event_id="e", stated=stated, as_of=AS_OF), context) == expected


def test_date_matches_is_unverifiable_when_data_are_coarser() -> None:
    context = ctx(dated=dated([("e", "2024-01-01", "year")]))
    assert verdict(DateMatches(event_id="e", stated="2024-02", as_of=AS_OF), context) == "unverifiable"


@pytest.mark.parametrize(
    ("stated", "expected"), [(3.5, "supported"), (5.0, "partly_supported"), (36.0, "contradicted")]
)
def test_interval_about_grades_distance_against_tolerance(stated: float, expected: str) -> None:
    context = ctx(dated=dated([("a", "2023-11-03", "day"), ("b", "2024-02-14", "day")]))
    check = IntervalAbout(
        from_event="a", to_event="b", stated_months=stated, tolerance_months=1.5, as_of=AS_OF
    )
    result = check.run(context)
    assert result.verdict == expected
    assert "103 days" in result.computed_value


@pytest.mark.parametrize(
    ("as_of", "expected"),
    # founded 2009-10-03: on 2025-09-29 it is 191.9 months old (15 years and almost 12 months),
    # on 2025-10-14 192.4 months (past its 16th anniversary)
    [(dt.date(2025, 9, 29), "supported"), (dt.date(2025, 10, 14), "partly_supported")],
)
def test_interval_about_without_to_event_ends_at_the_article(as_of: dt.date, expected: str) -> None:
    context = ctx(dated=dated([("founded", "2009-10-03", "day"), ("later", "2030-01-01", "day")]))
    check = IntervalAbout(from_event="founded", stated_months=180, tolerance_months=12, as_of=as_of)
    result = check.run(context)
    assert result.verdict == expected
    assert f"{(as_of - dt.date(2009, 10, 3)).days} days" in result.computed_value
    assert f"(the article's date) ({as_of:%Y-%m-%d})" in result.explanation


def timeline_events(rows: list[dict[str, Any]]) -> pd.DataFrame:
    defaults = {"series": None, "summit_number": pd.NA, "documents": None, "country_iso3": "AZE"}
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    return frame.assign(date=pd.to_datetime(frame["date"]))


@pytest.mark.parametrize(
    ("occasion", "expected"),
    [
        ({"date": "2009-10-03", "city": "Nakhchivan"}, "supported"),
        ({"date": "2009-10-03", "city": "Baku"}, "partly_supported"),
        ({"date": "2009-10-04", "city": "Nakhchivan"}, "contradicted"),
    ],
)
def test_same_occasion_needs_date_and_city(occasion: dict[str, str], expected: str) -> None:
    events = timeline_events(
        [
            {"event_id": "agreement", "date": "2009-10-03", "city": "Nakhchivan"},
            {"event_id": "summit", **occasion},
        ]
    )
    check = SameOccasion(event_id="agreement", occasion_id="summit", as_of=AS_OF)
    assert verdict(check, ctx(events=events)) == expected


SUMMITS = timeline_events(
    [
        {
            "event_id": "s8",
            "date": "2021-11-12",
            "city": "Istanbul",
            "series": "ots_heads_of_state",
            "summit_number": 8,
            "documents": "Istanbul Declaration;Turkic World Vision 2040",
        },
        {
            "event_id": "s9",
            "date": "2022-11-11",
            "city": "Samarkand",
            "series": "ots_heads_of_state",
            "summit_number": 9,
        },
    ]
)


@pytest.mark.parametrize(
    ("number", "city", "month", "expected"),
    [
        (8, "istanbul", "2021-11", "supported"),
        (8, "Istanbul", None, "supported"),
        (8, "Istanbul", "2021-10", "partly_supported"),
        (8, "Ankara", "2021-11", "contradicted"),
        (12, "Gabala", None, "unverifiable"),
    ],
)
def test_summit_held_checks_city_then_month(number: int, city: str, month: str | None, expected: str) -> None:
    check = SummitHeld(series="ots_heads_of_state", number=number, city=city, stated_month=month, as_of=AS_OF)
    assert verdict(check, ctx(events=SUMMITS)) == expected


@pytest.mark.parametrize(
    ("number", "document", "expected"),
    [
        (8, "turkic world vision 2040", "supported"),
        (8, "Charter", "contradicted"),
        (9, "Charter", "unverifiable"),
    ],
)
def test_document_adopted_searches_the_summits_documents(number: int, document: str, expected: str) -> None:
    check = DocumentAdopted(series="ots_heads_of_state", number=number, document=document, as_of=AS_OF)
    assert verdict(check, ctx(events=SUMMITS)) == expected


# --- membership kinds -----------------------------------------------------------------------------


def memberships(
    rows: list[tuple[str, str, str, str | None, str | None]], founders: tuple[str, ...] = ()
) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["iso3", "organization", "status", "start_date", "end_date"])
    return frame.assign(
        start_date=pd.to_datetime(frame["start_date"]),
        end_date=pd.to_datetime(frame["end_date"]),
        founding=frame["iso3"].isin(founders),
    )


OTS_FOUNDERS = memberships(
    [(code, "OTS", "member", "2009-10-03", None) for code in ("AZE", "KAZ", "KGZ", "TUR")]
    + [("UZB", "OTS", "member", "2019-10-15", None)],
    founders=("AZE", "KAZ", "KGZ", "TUR"),
)


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        (("AZE", "KAZ", "KGZ", "TUR"), "supported"),
        (("AZE", "KAZ", "KGZ", "TUR", "UZB"), "partly_supported"),
        (("HUN",), "contradicted"),
    ],
)
def test_founders_are_compares_sets(stated: tuple[str, ...], expected: str) -> None:
    check = FoundersAre(organization="OTS", countries=stated, as_of=AS_OF)
    assert verdict(check, ctx(memberships=OTS_FOUNDERS)) == expected


OBSERVERS = memberships(
    [
        ("HUN", "OTS", "observer", "2018-09-03", None),
        ("XNC", "OTS", "observer", "2022-11-11", "2023-01-01"),
    ]
)


@pytest.mark.parametrize(
    ("countries", "on", "expected"),
    [
        (("HUN", "XNC"), None, "partly_supported"),
        (("HUN", "XNC"), dt.date(2022, 12, 1), "supported"),
        (("XNC",), None, "contradicted"),
    ],
)
def test_membership_holds_counts_each_state_on_the_date(
    countries: tuple[str, ...], on: dt.date | None, expected: str
) -> None:
    check = MembershipHolds(
        countries=countries, organization="OTS", statuses=("observer",), on=on, as_of=AS_OF
    )
    assert verdict(check, ctx(memberships=OBSERVERS)) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [("2021-11-12", "supported"), ("2021-09-01", "contradicted"), (None, "unverifiable")],
)
def test_admitted_at_compares_months(start: str | None, expected: str) -> None:
    spells = memberships([("TKM", "OTS", "observer", start, None)])
    context = ctx(memberships=spells, dated=dated([("summit", "2021-11-12", "day")]))
    check = AdmittedAt(country="TKM", organization="OTS", status="observer", event_id="summit", as_of=AS_OF)
    assert verdict(check, context) == expected


CENTRAL_ASIA = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}


def test_regional_membership_needs_a_majority_for_many() -> None:
    both = [(code, org, "member", "2015-01-01", None) for code in ("KAZ", "KGZ") for org in ("EAEU", "CSTO")]

    def run(rows: list[tuple[str, str, str, str | None, str | None]], country: str) -> str:
        context = ctx(memberships=memberships(rows), region_members=lambda region: set(CENTRAL_ASIA))
        check = RegionalMembership(
            organizations=("EAEU", "CSTO"), must_include=country, region="central-asia", as_of=AS_OF
        )
        return verdict(check, context)

    assert run(both, "KAZ") == "partly_supported"
    three = both + [("TJK", org, "member", "2015-01-01", None) for org in ("EAEU", "CSTO")]
    assert run(three, "KAZ") == "supported"
    assert run(three, "TKM") == "contradicted"


def test_only_non_turkic_requires_every_state_sourced() -> None:
    countries = pd.DataFrame(
        {"iso3": ["KAZ", "TJK", "UZB"], "turkic_majority": pd.array([True, False, pd.NA], dtype="boolean")}
    )

    def run(country: str) -> str:
        context = ctx(
            raw=SimpleNamespace(countries=countries), region_members=lambda region: {"KAZ", "TJK", "UZB"}
        )
        return verdict(OnlyNonTurkic(country=country, region="central-asia", as_of=AS_OF), context)

    assert run("TJK") == "unverifiable"
    countries["turkic_majority"] = pd.array([True, False, True], dtype="boolean")
    assert run("TJK") == "supported"
    assert run("KAZ") == "contradicted"


# --- trade kinds ----------------------------------------------------------------------------------


def trade_context(best_usd: float, low: float, high: float, year: int = 2024) -> ClaimContext:
    best = pd.DataFrame(
        {
            "country_a": ["KAZ"],
            "country_b": ["TUR"],
            "year": [year],
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
    check = FigureNear(country_a="TUR", country_b="KAZ", stated_usd=6e9, tolerance_pct=10, as_of=AS_OF)
    assert verdict(check, trade_context(best, best, best)) == expected


def test_figure_inside_reported_range_is_supported() -> None:
    check = FigureNear(country_a="TUR", country_b="KAZ", stated_usd=6e9, tolerance_pct=10, as_of=AS_OF)
    assert verdict(check, trade_context(4.0e9, 3.5e9, 6.5e9)) == "supported"


def test_figure_near_ignores_years_after_the_one_before_the_article() -> None:
    check = FigureNear(country_a="TUR", country_b="KAZ", stated_usd=6e9, tolerance_pct=10, as_of=AS_OF)
    assert verdict(check, trade_context(6e9, 6e9, 6e9, year=2025)) == "unverifiable"
    later = dataclasses.replace(check, as_of=dt.date(2026, 3, 1))
    assert verdict(later, trade_context(6e9, 6e9, 6e9, year=2025)) == "supported"


AGGREGATES = pd.DataFrame(
    {
        "scope": ["intra_ots", "intra_ots"],
        "year": pd.array([2023, 2023], dtype="Int64"),
        "measure": ["actual", "actual"],
        "value_usd": [42e9, 38.3e9],
        "stated_by": ["minister", "union"],
    }
)


@pytest.mark.parametrize(
    ("year", "measure", "stated", "expected"),
    [
        (2023, "actual", 42e9, "supported"),
        (2023, "expected", 42e9, "partly_supported"),
        (2023, "actual", 60e9, "partly_supported"),
        (2019, "actual", 42e9, "unverifiable"),
    ],
)
def test_aggregate_stated_finds_the_statement(year: int, measure: str, stated: float, expected: str) -> None:
    check = AggregateStated(
        scope="intra_ots", year=year, measure=measure, stated_usd=stated, tolerance_pct=5, as_of=AS_OF
    )
    assert verdict(check, ctx(raw=SimpleNamespace(trade_aggregates=AGGREGATES))) == expected


def supplier_context(rows: list[tuple[int, str, float]]) -> ClaimContext:
    shares = pd.DataFrame(rows, columns=["year", "supplier_iso3", "value_usd"])
    return ctx(supplier_shares=lambda importer: shares.assign(importer_iso3=importer))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([(2022, "TUR", 2e9), (2022, "CHN", 1e9), (2023, "TUR", 3e9)], "supported"),
        ([(2021, "TUR", 2e9), (2021, "CHN", 1e9), (2022, "TUR", 1e9), (2022, "CHN", 3e9)], "contradicted"),
        ([(2022, "TUR", 2e9), (2023, "CHN", 1e9)], "unverifiable"),
    ],
)
def test_supplier_rank_uses_the_latest_year_with_both(
    rows: list[tuple[int, str, float]], expected: str
) -> None:
    check = SupplierRank(importer="TKM", supplier="TUR", rival="CHN", as_of=AS_OF)
    assert verdict(check, supplier_context(rows)) == expected


# --- defence kinds --------------------------------------------------------------------------------


def defense(rows: list[tuple[str, str, str, str, str | None, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_id", "date", "kind", "parties", "host_iso3", "system"])
    return frame.assign(date=pd.to_datetime(frame["date"]), date_precision="day")


def test_defense_event_core_and_details() -> None:
    events = defense([("x", "2017-06-04", "exercise", "AZE;GEO;TUR", "GEO", None)])
    found = DefenseEventExists(
        parties=("AZE", "GEO", "TUR"), kinds=("exercise",), year=2017, month=6, host_iso3="GEO", as_of=AS_OF
    )
    assert verdict(found, ctx(defense=events)) == "supported"
    wrong_month = dataclasses.replace(found, month=9, host_iso3=None)
    assert verdict(wrong_month, ctx(defense=events)) == "partly_supported"
    none = DefenseEventExists(parties=("KAZ", "TUR"), kinds=("exercise",), year=2017, as_of=AS_OF)
    assert verdict(none, ctx(defense=events)) == "unverifiable"


def test_defense_event_without_a_year_looks_up_to_the_article() -> None:
    events = defense([("d", "2021-12-18", "delivery", "KGZ;TUR", None, "Bayraktar TB2")])
    check = DefenseEventExists(parties=("KGZ", "TUR"), kinds=("delivery",), systems=("tb2",), as_of=AS_OF)
    assert verdict(check, ctx(defense=events)) == "supported"
    assert verdict(dataclasses.replace(check, systems=("Ranger",)), ctx(defense=events)) == "partly_supported"
    before = dataclasses.replace(check, as_of=dt.date(2021, 1, 1))
    result = before.run(ctx(defense=events))
    assert result.verdict == "unverifiable" and "up to 2021-01-01" in result.explanation


def test_recurring_exercises_need_distinct_years() -> None:
    events = defense(
        [
            ("a", "2017-06-04", "exercise", "AZE;GEO;TUR", None, None),
            ("b", "2017-09-01", "exercise", "AZE;GEO;TUR", None, None),
            ("c", "2019-09-01", "exercise", "AZE;GEO;TUR", None, None),
            ("d", "2020-09-01", "exercise", "AZE;TUR", None, None),
        ]
    )
    trilateral = RecurringExercises(parties=("AZE", "GEO", "TUR"), min_years=3, as_of=AS_OF)
    assert verdict(trilateral, ctx(defense=events)) == "partly_supported"
    assert verdict(dataclasses.replace(trilateral, min_years=2), ctx(defense=events)) == "supported"
    other = RecurringExercises(parties=("KAZ", "TUR"), min_years=2, as_of=AS_OF)
    assert verdict(other, ctx(defense=events)) == "unverifiable"


ARMS = pd.DataFrame(
    {
        "recipient_iso3": ["KAZ", "KAZ", "AZE"],
        "supplier_iso3": ["RUS", "RUS", "RUS"],
        "period_start": pd.array([2015, 2020, pd.NA], dtype="Int64"),
        "period_end": pd.array([2019, 2024, pd.NA], dtype="Int64"),
        "share_pct": [45.0, 88.0, 60.0],
    }
)


@pytest.mark.parametrize(
    ("recipient", "threshold", "expected"),
    [
        ("KAZ", 50.0, "supported"),
        ("KAZ", 90.0, "contradicted"),
        ("AZE", 50.0, "unverifiable"),
        ("UZB", 50.0, "unverifiable"),
    ],
)
def test_majority_share_reads_the_latest_period(recipient: str, threshold: float, expected: str) -> None:
    check = MajorityShare(recipient=recipient, supplier="RUS", threshold_pct=threshold, as_of=AS_OF)
    assert verdict(check, ctx(raw=SimpleNamespace(arms_suppliers=ARMS))) == expected
