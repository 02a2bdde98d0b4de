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

from ots_analysis.cells import formula_rule
from ots_analysis.claims import CHECK_KINDS, ClaimContext
from ots_analysis.claims.kinds import (
    AdmittedAt,
    AggregateStated,
    CountryStatistic,
    CumulativeFlow,
    DateMatches,
    DefenseEventExists,
    DocumentAdopted,
    FigureNear,
    FoundersAre,
    GroupTradeTotal,
    IntervalAbout,
    MajorityShare,
    MembershipHolds,
    OnlyNonTurkic,
    RecurringExercises,
    RegionalMembership,
    SameOccasion,
    SummitHeld,
    SummitTheme,
    SupplierRank,
    TradeGrowth,
    TradeRank,
    TradeShare,
)
from ots_analysis.indicators import flows
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
    assert verdict(check, points_context([])) == expected


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


# --- trade over spans, ranks and shares (points from hand-made trade rows) ---------------------------


def trade_rows(rows: list[tuple]) -> pd.DataFrame:
    """(reporter, partner, year, flow, value[, source[, origin]]) rows: full years, preferred."""
    records = []
    columns = ["reporter_iso3", "partner_iso3", "year", "flow", "value_usd", "period", "months"]
    columns += ["statistic_origin", "source_ids"]
    for number, row in enumerate(rows):
        reporter, partner, year, flow, value = row[:5]
        records.append(
            {
                "reporter_iso3": reporter,
                "partner_iso3": partner,
                "year": year,
                "flow": flow,
                "value_usd": float(value),
                "period": "full_year",
                "months": 12,
                "statistic_origin": row[6] if len(row) > 6 else "national_statistics",
                "source_ids": row[5] if len(row) > 5 else f"s{number}",
            }
        )
    frame = pd.DataFrame(records, columns=columns)
    return frame.astype({"year": "int64", "value_usd": "float64", "months": "int64"})


def points_context(
    rows: list[tuple], world: list[tuple] = (), members: dict[int, list[str]] | None = None
) -> ClaimContext:
    """A context whose points the real indicators compute from trade rows, world totals
    ((country, year, flow, value) rows) and members by year."""
    table = trade_rows(rows)
    totals = trade_rows([(country, "", year, flow, value) for country, year, flow, value in world])
    totals = totals.drop(columns="partner_iso3", errors="ignore")

    def member_table(organization: str, years: list[int]) -> pd.DataFrame:
        listed = members or {}
        return pd.DataFrame([(y, c) for y in years for c in listed.get(y, [])], columns=["year", "iso3"])

    return ctx(
        trade_flows=flows.directed_flows(table),
        own_trade_flows=flows.own_flows(table),
        world_flows=flows.world_flows(totals),
        members=member_table,
        raw=SimpleNamespace(trade_aggregates=AGGREGATES),
    )


KAZ_UZB = [
    ("KAZ", "UZB", 2021, "exports", 2.0e9),
    ("KAZ", "UZB", 2022, "exports", 2.5e9),
    ("KAZ", "UZB", 2023, "exports", 3.0e9),
    ("KAZ", "KGZ", 2023, "exports", 1.0e9),
]


def cumulative(**overrides: Any) -> CumulativeFlow:
    values = {
        "reporter": "KAZ",
        "partners": ("UZB",),
        "flow": "exports",
        "from_year": 2021,
        "to_year": 2023,
        "stated_usd": 7.5e9,
        "tolerance_pct": 5.0,
        "as_of": AS_OF,
    }
    return CumulativeFlow(**{**values, **overrides})


@pytest.mark.parametrize(
    ("stated", "comparison", "expected"),
    [
        (7.5e9, "about", "supported"),
        (8.0e9, "about", "partly_supported"),  # 6.25 % off: within twice 5 %
        (10e9, "about", "contradicted"),
        (7e9, "more_than", "supported"),
        (7.8e9, "at_least", "partly_supported"),  # 3.8 % short
        (9e9, "at_least", "contradicted"),
        (8e9, "less_than", "supported"),
        (7.2e9, "at_most", "partly_supported"),  # 4.2 % over
    ],
)
def test_cumulative_flow_sums_the_span(stated: float, comparison: str, expected: str) -> None:
    check = cumulative(stated_usd=stated, comparison=comparison)
    result = check.run(points_context(KAZ_UZB))
    assert result.verdict == expected
    assert result.computed_value == "USD 7.50 bn"


def test_cumulative_flow_names_missing_years_and_never_counts_them_as_zero() -> None:
    result = cumulative(from_year=2020).run(points_context(KAZ_UZB))
    assert result.verdict == "unverifiable"
    assert "KAZ-UZB 2020" in result.explanation and "not counted as zero" in result.explanation
    # missing years can only add: a bound the years with data already reach holds
    reached = cumulative(from_year=2020, stated_usd=7e9, comparison="at_least").run(points_context(KAZ_UZB))
    assert reached.verdict == "supported" and "KAZ-UZB 2020" in reached.explanation


def test_cumulative_flow_reads_mirror_figures_and_several_partners() -> None:
    rows = [
        *KAZ_UZB,
        ("UZB", "KAZ", 2020, "imports", 1.5e9),
    ]  # UZB's imports from KAZ stand for KAZ's exports
    result = cumulative(partners=("UZB", "KGZ"), from_year=2023, to_year=2023, stated_usd=4e9).run(
        points_context(rows)
    )
    assert result.verdict == "supported"
    mirror = cumulative(from_year=2020, to_year=2020, stated_usd=1.5e9).run(points_context(rows))
    assert mirror.verdict == "supported"


def test_a_dispute_that_decides_the_verdict_makes_it_unverifiable() -> None:
    disputed = [
        ("KAZ", "UZB", 2023, "exports", 3.0e9, "a", "media"),
        ("KAZ", "UZB", 2023, "exports", 4.0e9, "b", "media"),
    ]
    context = points_context(disputed)
    # 3.5 bn at the midpoint; 3.0-4.0 across the dispute: "about 3.5" holds only in the middle
    result = cumulative(from_year=2023, stated_usd=3.5e9).run(context)
    assert result.verdict == "unverifiable" and "settle" in result.explanation
    assert "disputed: KAZ-UZB 2023" in result.explanation
    # a verdict that holds across the whole range stands, and names the dispute it rests on
    held = cumulative(from_year=2023, stated_usd=2e9, comparison="more_than").run(context)
    assert held.verdict == "supported" and "disputed: KAZ-UZB 2023" in held.explanation


GROUP = [
    ("KAZ", "KGZ", 2023, "turnover", 1.3e9),
    ("KAZ", "UZB", 2023, "turnover", 4.4e9),
    ("UZB", "KGZ", 2023, "turnover", 1.5e9),
    ("KAZ", "KGZ", 2024, "turnover", 1.4e9),
    ("KAZ", "UZB", 2024, "turnover", 4.2e9),
]


@pytest.mark.parametrize(
    ("stated", "expected"), [(7.2e9, "supported"), (7.8e9, "partly_supported"), (10e9, "contradicted")]
)
def test_group_total_sums_every_pair_of_the_group(stated: float, expected: str) -> None:
    check = GroupTradeTotal(
        countries=("KAZ", "KGZ", "UZB"), from_year=2023, stated_usd=stated, tolerance_pct=5, as_of=AS_OF
    )
    assert verdict(check, points_context(GROUP)) == expected


def test_group_total_over_a_span_names_the_missing_pair_and_reads_members_by_year() -> None:
    check = GroupTradeTotal(
        organization="OTS", from_year=2023, to_year=2024, stated_usd=14e9, tolerance_pct=5, as_of=AS_OF
    )
    members = {2023: ["KAZ", "KGZ", "UZB"], 2024: ["KAZ", "KGZ", "UZB"]}
    result = check.run(points_context(GROUP, members=members))
    assert result.verdict == "unverifiable" and "KGZ-UZB 2024" in result.explanation
    only_2023 = {2023: ["KAZ", "KGZ", "UZB"], 2024: ["KAZ", "UZB"]}  # KGZ not a member in 2024
    result = dataclasses.replace(check, stated_usd=11.4e9).run(points_context(GROUP, members=only_2023))
    assert result.verdict == "supported"


def growth(**overrides: Any) -> TradeGrowth:
    values = {
        "country": "KAZ",
        "partners": ("UZB",),
        "flow": "exports",
        "from_year": 2021,
        "to_year": 2023,
        "change": "percent",
        "stated_value": 50.0,
        "tolerance": 5.0,
        "as_of": AS_OF,
    }
    return TradeGrowth(**{**values, **overrides})


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "supported"),  # 2.0 -> 3.0 bn: +50 %
        ({"stated_value": 42.0}, "partly_supported"),
        ({"stated_value": 20.0}, "contradicted"),
        ({"change": "fold", "stated_value": 1.5}, "supported"),
        ({"change": "fold", "stated_value": 3.0}, "contradicted"),
        ({"change": "rising"}, "supported"),
        ({"change": "falling"}, "contradicted"),
        ({"change": "rising_each_year"}, "supported"),
        ({"change": "falling_each_year"}, "contradicted"),
        ({"change": "speeding_up"}, "contradicted"),  # +25 %, then +20 %
        ({"change": "slowing_down"}, "supported"),
        ({"from_year": 2019}, "unverifiable"),
    ],
)
def test_trade_growth_by_kind_of_change(overrides: dict[str, Any], expected: str) -> None:
    assert verdict(growth(**overrides), points_context(KAZ_UZB)) == expected


def test_a_rise_with_a_fall_inside_is_only_partly_a_rise_every_year() -> None:
    rows = [*KAZ_UZB[:3], ("KAZ", "UZB", 2022, "exports", 1.5e9, "x", "media")]  # national 2.5 wins anyway
    dip = [
        ("KAZ", "UZB", 2021, "exports", 2.0e9),
        ("KAZ", "UZB", 2022, "exports", 1.8e9),
        ("KAZ", "UZB", 2023, "exports", 3.0e9),
    ]
    assert verdict(growth(change="rising_each_year"), points_context(rows)) == "supported"
    assert verdict(growth(change="rising_each_year"), points_context(dip)) == "partly_supported"
    assert verdict(growth(change="speeding_up"), points_context(dip)) == "supported"


# One pair where each side reports its own figures: Kyrgyz statistics give KGZ-KAZ turnover 1.181 bn
# (2022) and 1.317 bn (2023), Kazakh ones 1.3 and 1.6 bn; only Kazakhstan reports its exports.
OWN_SIDES = [
    ("KGZ", "KAZ", 2022, "turnover", 1.181e9),
    ("KGZ", "KAZ", 2023, "turnover", 1.317e9),
    ("KAZ", "KGZ", 2022, "turnover", 1.3e9),
    ("KAZ", "KGZ", 2023, "turnover", 1.6e9),
    ("KAZ", "KGZ", 2023, "exports", 1.1e9),
]


@pytest.mark.parametrize(
    ("figures", "stated", "expected"),
    [
        ("own", 1.317e9, "supported"),  # Kyrgyzstan's own figure
        ("best", 1.317e9, "contradicted"),  # the pair's estimate: the median 1.4585 bn, 10.7 % off
        ("best", 1.4585e9, "supported"),
        ("own", 1.4585e9, "contradicted"),
    ],
)
def test_own_figures_read_the_countrys_statistics_not_the_pairs_estimate(
    figures: str, stated: float, expected: str
) -> None:
    check = cumulative(
        reporter="KGZ",
        partners=("KAZ",),
        flow="turnover",
        from_year=2023,
        to_year=2023,
        stated_usd=stated,
        tolerance_pct=0.1,
        figures=figures,
    )
    assert verdict(check, points_context(OWN_SIDES)) == expected


def test_own_figures_never_fall_back_on_the_partners_mirror() -> None:
    check = cumulative(
        reporter="KGZ",
        partners=("KAZ",),
        flow="imports",
        from_year=2023,
        to_year=2023,
        stated_usd=1.1e9,
        tolerance_pct=1.0,
    )
    assert verdict(check, points_context(OWN_SIDES)) == "supported"  # Kazakhstan's exports, mirrored
    own = dataclasses.replace(check, figures="own").run(points_context(OWN_SIDES))
    assert own.verdict == "unverifiable" and "KGZ-KAZ 2023" in own.explanation.replace("KAZ-KGZ", "KGZ-KAZ")


def test_a_percent_change_is_published_in_words_never_as_a_signed_cell() -> None:
    up = growth(
        country="KGZ",
        partners=("KAZ",),
        flow="turnover",
        from_year=2022,
        to_year=2023,
        stated_value=11.6,
        tolerance=0.05,
        figures="own",
    ).run(points_context(OWN_SIDES))
    assert up.computed_value == "up 11.5%"  # 1.317 / 1.181 - 1 = 11.52 %
    down = growth(
        country="KGZ",
        partners=("KAZ",),
        flow="turnover",
        from_year=2022,
        to_year=2023,
        change="percent",
        stated_value=-10.0,
        tolerance=1.0,
    ).run(points_context([(c, p, 2022 if y == 2023 else 2023, f, v) for c, p, y, f, v in OWN_SIDES[:4]]))
    assert down.computed_value.startswith("down ")
    assert formula_rule(up.computed_value) is None and formula_rule(down.computed_value) is None


def rank(**overrides: Any) -> TradeRank:
    values = {
        "country": "UZB",
        "partner": "CHN",
        "flow": "turnover",
        "stated_rank": 1,
        "from_year": 2024,
        "as_of": AS_OF,
    }
    return TradeRank(**{**values, **overrides})


UZB_PARTNERS = [
    ("UZB", "CHN", 2024, "turnover", 12.4e9),
    ("UZB", "RUS", 2024, "turnover", 11.6e9),
    ("UZB", "KAZ", 2024, "turnover", 4.2e9),
]


def test_trade_rank_needs_a_world_total_to_confirm_a_rank() -> None:
    without = rank().run(points_context(UZB_PARTNERS))
    assert without.verdict == "unverifiable" and "no total with the world" in without.explanation
    # 28.2 bn recorded of 30 bn: no unrecorded partner can reach China's 12.4 bn
    world = [("UZB", 2024, "turnover", 30e9)]
    assert verdict(rank(), points_context(UZB_PARTNERS, world)) == "supported"
    assert verdict(rank(partner="RUS", stated_rank=2), points_context(UZB_PARTNERS, world)) == "supported"
    # 65.9 bn in all: 37.7 bn unaccounted for could hold three partners above China
    wide = [("UZB", 2024, "turnover", 65.9e9)]
    result = rank().run(points_context(UZB_PARTNERS, wide))
    assert result.verdict == "unverifiable" and result.computed_value == "rank 1-4"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"partner": "KAZ"}, "contradicted"),  # China and Russia are certainly above it
        ({"partner": "KAZ", "stated_rank": 3, "mode": "top"}, "unverifiable"),  # 3rd to 4th
        ({"partner": "RUS", "stated_rank": 2, "mode": "top"}, "unverifiable"),
        ({"partner": "KAZ", "stated_rank": 2, "mode": "top"}, "contradicted"),
        ({"partner": "TUR"}, "unverifiable"),  # no figure for the partner itself
    ],
)
def test_trade_rank_without_a_world_total_can_only_refute(overrides: dict[str, Any], expected: str) -> None:
    result = rank(**overrides).run(points_context(UZB_PARTNERS))
    assert result.verdict == expected
    if overrides.get("partner") == "TUR":
        assert "UZB-TUR 2024" in result.explanation


def test_trade_rank_top_mode_is_supported_when_the_worst_rank_fits() -> None:
    world = [("UZB", 2024, "turnover", 30e9)]
    assert (
        verdict(rank(partner="KAZ", stated_rank=3, mode="top"), points_context(UZB_PARTNERS, world))
        == "supported"
    )


def share(**overrides: Any) -> TradeShare:
    values = {
        "country": "UZB",
        "partners": ("CHN",),
        "flow": "turnover",
        "from_year": 2024,
        "stated_pct": 18.8,
        "tolerance_pct": 1.0,
        "as_of": AS_OF,
    }
    return TradeShare(**{**values, **overrides})


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "supported"),  # 12.4 of 65.9 bn: 18.8 %
        ({"stated_pct": 20.5}, "partly_supported"),
        ({"stated_pct": 30.0}, "contradicted"),
        ({"stated_pct": 15.0, "comparison": "more_than"}, "supported"),
        ({"from_year": 2023}, "unverifiable"),
        ({"base": "partners", "among": ("CHN", "KAZ", "RUS"), "stated_pct": 44.0}, "supported"),
        (
            {"base": "group", "partners": ("KAZ",), "among": ("KAZ", "RUS", "UZB"), "stated_pct": 26.6},
            "unverifiable",
        ),
    ],
)
def test_trade_share_against_the_world_partners_or_a_group(overrides: dict[str, Any], expected: str) -> None:
    world = [("UZB", 2024, "turnover", 65.9e9)]
    result = share(**overrides).run(points_context(UZB_PARTNERS, world))
    assert result.verdict == expected, result.explanation


def test_trade_share_of_a_group_counts_each_pair_once() -> None:
    rows = [*UZB_PARTNERS, ("KAZ", "RUS", 2024, "turnover", 10.0e9)]
    # KAZ-UZB 4.2 of (4.2 + 11.6 + 10.0) = 16.3 %
    check = share(
        partners=("KAZ",), base="group", among=("KAZ", "RUS", "UZB"), stated_pct=16.3, tolerance_pct=0.5
    )
    assert verdict(check, points_context(rows)) == "supported"


def test_a_share_above_the_whole_is_unverifiable_with_the_reason() -> None:
    result = share(stated_pct=100.0).run(points_context(UZB_PARTNERS, [("UZB", 2024, "turnover", 10e9)]))
    assert result.verdict == "unverifiable" and "do not fit" in result.explanation


STATISTICS = pd.DataFrame(
    {
        "iso3": ["AZE", "KAZ", "KAZ", "TUR"],
        "statistic": ["area_km2", "area_km2", "population", "population"],
        "value": [86600.0, 2724900.0, 20139914.0, 85372377.0],
        "as_of": pd.to_datetime([None, None, "2024-07-01", "2023-12-31"]),
    }
)


@pytest.mark.parametrize(
    ("countries", "statistic", "stated", "expected"),
    [
        (("AZE", "KAZ"), "area_km2", 2.8e6, "supported"),
        (("AZE", "KAZ"), "area_km2", 3.0e6, "partly_supported"),
        (("KAZ", "TUR"), "population", 80e6, "contradicted"),
        (("AZE", "TUR"), "population", 95e6, "unverifiable"),  # no population of Azerbaijan
    ],
)
def test_country_statistic_sums_each_countrys_latest_figure(
    countries: tuple[str, ...], statistic: str, stated: float, expected: str
) -> None:
    check = CountryStatistic(
        countries=countries, statistic=statistic, stated_value=stated, tolerance_pct=5, as_of=AS_OF
    )
    assert verdict(check, ctx(country_statistics=STATISTICS)) == expected
    # before a figure's date it does not exist yet
    early = dataclasses.replace(check, on=dt.date(2024, 1, 1), countries=("KAZ",), statistic="population")
    assert verdict(early, ctx(country_statistics=STATISTICS)) == "unverifiable"


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        ("regional security and peace", "supported"),
        ("security", "partly_supported"),
        ("digital transformation", "contradicted"),
    ],
)
def test_summit_theme_compares_content_words(theme: str, expected: str) -> None:
    themes = pd.DataFrame({"event_id": ["s12"], "theme": ["Regional Peace and Security"]})
    events = timeline_events(
        [
            {
                "event_id": "s12",
                "date": "2025-10-07",
                "city": "Gabala",
                "series": "ots_heads_of_state",
                "summit_number": 12,
            }
        ]
    )
    check = SummitTheme(series="ots_heads_of_state", number=12, theme=theme, as_of=AS_OF)
    assert verdict(check, ctx(events=events, event_themes=themes)) == expected
    unrecorded = dataclasses.replace(check, number=11)
    assert verdict(unrecorded, ctx(events=events, event_themes=themes)) == "unverifiable"


COMPLETE_2023 = [
    ("KAZ", "TUR", 2023, "turnover", 20e9),
    ("KAZ", "UZB", 2023, "turnover", 10e9),
    ("TUR", "UZB", 2023, "turnover", 11e9),
]


def test_aggregate_stated_compares_with_the_complete_matrix() -> None:
    members = {2023: ["KAZ", "TUR", "UZB"], 2019: ["KAZ", "TUR", "UZB"]}
    context = points_context(COMPLETE_2023, members=members)
    check = AggregateStated(
        scope="intra_ots", year=2023, measure="actual", stated_usd=42e9, tolerance_pct=5, as_of=AS_OF
    )
    # the minister's 42 bn is recorded and the complete matrix gives 41 bn: supported
    result = check.run(context)
    assert result.verdict == "supported" and "from 3 of 3 member pairs (complete" in result.explanation
    # the union's 38.3 bn is recorded too, but the matrix misses it by more than twice 2 %: partly
    assert (
        verdict(dataclasses.replace(check, stated_usd=38.3e9, tolerance_pct=2), context) == "partly_supported"
    )
    # no statement for 2019, and no matrix for it either: unverifiable as before
    assert verdict(dataclasses.replace(check, year=2019), context) == "unverifiable"
    incomplete = points_context(COMPLETE_2023[:2], members=members)
    result = dataclasses.replace(check, stated_usd=60e9).run(incomplete)
    assert result.verdict == "partly_supported"  # from the statements; a lower bound changes nothing
    assert "a lower bound" in result.explanation and "TUR-UZB 2023" in result.explanation


@pytest.mark.parametrize(
    ("stated", "expected"), [(41e9, "supported"), (44e9, "partly_supported"), (60e9, "contradicted")]
)
def test_an_actual_total_no_statement_records_is_graded_against_the_complete_matrix(
    stated: float, expected: str
) -> None:
    rows = [(a, b, 2022, flow, value) for a, b, _, flow, value in COMPLETE_2023]  # no statement for 2022
    context = points_context(rows, members={2022: ["KAZ", "TUR", "UZB"]})
    check = AggregateStated(
        scope="intra_ots", year=2022, measure="actual", stated_usd=stated, tolerance_pct=5, as_of=AS_OF
    )
    result = check.run(context)
    assert result.verdict == expected
    assert "no recorded intra_ots total for 2022" in result.explanation and "complete" in result.explanation
    # an expected or target total is about what was said, which the matrix cannot show
    assert verdict(dataclasses.replace(check, measure="expected"), context) == "unverifiable"
