"""Invariants of the indicators, checked on generated tables (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ots_analysis.indicators import cooperation, trade

CODES = ["AZE", "KAZ", "KGZ", "TUR", "UZB"]
ORIGINS = list(trade.ORIGIN_PRECEDENCE)

trade_rows = st.lists(
    st.tuples(
        st.sampled_from(CODES),
        st.sampled_from(CODES),
        st.integers(2019, 2021),
        st.sampled_from(["exports", "imports", "turnover"]),
        st.integers(1, 10_000).map(lambda n: n * 1e6),
        st.sampled_from(ORIGINS),
        st.sampled_from(["s1", "s2", "s3", "s1;s3"]),
    ).filter(lambda row: row[0] != row[1]),
    min_size=1,
    max_size=40,
)


def to_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=[
            "reporter_iso3",
            "partner_iso3",
            "year",
            "flow",
            "value_usd",
            "statistic_origin",
            "source_ids",
        ],
    )
    frame = frame.drop_duplicates(["reporter_iso3", "partner_iso3", "year", "flow", "source_ids"])
    return frame.assign(period="full_year", months=12)


@settings(max_examples=60, deadline=None)
@given(trade_rows, st.randoms())
def test_estimates_do_not_depend_on_row_order(rows: list[tuple], rnd) -> None:
    frame = to_frame(rows)
    shuffled = frame.sample(frac=1.0, random_state=rnd.randint(0, 10_000))
    first = trade.best_estimate(trade.turnover_by_dyad(frame))
    second = trade.best_estimate(trade.turnover_by_dyad(shuffled))
    pd.testing.assert_frame_equal(first, second)


@settings(max_examples=60, deadline=None)
@given(trade_rows)
def test_derived_turnover_is_exports_plus_imports(rows: list[tuple]) -> None:
    frame = to_frame(rows)
    candidates = trade.turnover_candidates(frame)
    derived = candidates.loc[candidates["basis"] == trade.BASIS_DERIVED]
    flows = frame.pivot_table(
        index=["reporter_iso3", "partner_iso3", "year", "source_ids"],
        columns="flow",
        values="value_usd",
        aggfunc="max",
    )
    for row in derived.itertuples(index=False):
        partner = row.country_b if row.reporter_iso3 == row.country_a else row.country_a
        expected = flows.loc[(row.reporter_iso3, partner, row.year, row.source_ids)]
        assert row.turnover_usd == expected["exports"] + expected["imports"]


@settings(max_examples=60, deadline=None)
@given(trade_rows)
def test_best_estimate_lies_within_its_range(rows: list[tuple]) -> None:
    by_dyad = trade.turnover_by_dyad(to_frame(rows))
    best = trade.best_estimate(by_dyad)
    estimated = trade.with_estimate(best)
    assert (
        (estimated["low_usd"] <= estimated["best_usd"]) & (estimated["best_usd"] <= estimated["high_usd"])
    ).all()
    # an estimate is missing only where every side's preferred figure is a paraphrase
    keys = ["country_a", "country_b", "year"]
    all_paraphrased = by_dyad.groupby(keys)["statistic_origin"].agg(
        lambda s: set(s) == {"paraphrased_statement"}
    )
    missing = best.set_index(keys)["best_usd"].isna()
    assert missing.to_dict() == all_paraphrased.to_dict()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(CODES), st.integers(2019, 2021), st.integers(1, 10**9)),
        min_size=1,
        max_size=30,
    )
)
def test_supplier_shares_sum_to_one(rows: list[tuple]) -> None:
    imports = pd.DataFrame(rows, columns=["supplier_iso3", "year", "value_usd"]).drop_duplicates(
        ["supplier_iso3", "year"]
    )
    shares = trade.supplier_shares(
        imports.assign(importer_iso3="TKM", value_usd=imports["value_usd"].astype(float))
    )
    totals = shares.groupby("year")["share_of_recorded"].sum()
    assert (totals.sub(1.0).abs() < 1e-9).all()


kinds = list(cooperation.DEFAULT_WEIGHTS)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(kinds), st.integers(1, 5)), min_size=1, max_size=12),
    st.sampled_from(kinds),
)
def test_intensity_is_monotone_in_each_event_count(counts: list[tuple[str, int]], extra_kind: str) -> None:
    instruments = pd.DataFrame(
        [("AZE", "TUR", 2020, kind, n) for kind, n in counts],
        columns=["country_a", "country_b", "year", "kind", "n_events"],
    )
    more = pd.concat(
        [instruments, pd.DataFrame([("AZE", "TUR", 2021, extra_kind, 1)], columns=instruments.columns)]
    )
    before = cooperation.cooperation_intensity(instruments)["intensity"].iloc[0]
    after = cooperation.cooperation_intensity(more)["intensity"].iloc[0]
    assert after >= before


# --- no estimate, growth or verdict depends on the names or order of source ids ---------------------

SOURCE_NAMES = ["aaa-first", "mmm-middle", "zzz-last", "b-2024", "q"]


def renamed(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """``frame`` with its source ids mapped one-to-one onto ``names`` (cells may list several)."""
    mapping = dict(zip(["s1", "s2", "s3"], names, strict=False))
    cells = frame["source_ids"].map(lambda cell: ";".join(mapping[part] for part in cell.split(";")))
    return frame.assign(source_ids=cells)


def without_sources(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [column for column in frame.columns if column != "source_ids"]
    return frame.drop(columns="source_ids").sort_values(keys).reset_index(drop=True)


def checks_on(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Verdicts of the trade kinds on ``frame``, with what they computed and why."""
    from types import SimpleNamespace

    from ots_analysis.claims.kinds import CumulativeFlow, FigureNear, TradeGrowth, TradeRank, TradeShare
    from ots_analysis.indicators import flows

    world = (
        frame.loc[frame["flow"] == "turnover"]
        .drop(columns="partner_iso3")
        .assign(value_usd=lambda f: f["value_usd"] * 20)
    )
    context = SimpleNamespace(
        trade_flows=flows.directed_flows(frame),
        own_trade_flows=flows.own_flows(frame),
        world_flows=flows.world_flows(world),
        best_turnover=trade.best_estimate(trade.turnover_by_dyad(frame)),
    )
    as_of = dt.date(2025, 1, 1)
    checks = [
        FigureNear(country_a="KAZ", country_b="TUR", stated_usd=5e9, tolerance_pct=10, as_of=as_of),
        CumulativeFlow(
            reporter="KAZ",
            partners=("TUR", "UZB"),
            flow="turnover",
            from_year=2019,
            to_year=2021,
            stated_usd=1e10,
            comparison="about",
            tolerance_pct=10,
            as_of=as_of,
        ),
        TradeGrowth(
            country="KAZ",
            partners=("TUR",),
            flow="exports",
            from_year=2019,
            to_year=2021,
            change="percent",
            stated_value=20,
            tolerance=10,
            as_of=as_of,
        ),
        TradeGrowth(
            country="AZE",
            partners=("TUR",),
            flow="turnover",
            from_year=2019,
            to_year=2021,
            change="rising",
            as_of=as_of,
        ),
        TradeRank(country="TUR", partner="KAZ", flow="turnover", stated_rank=1, from_year=2020, as_of=as_of),
        TradeShare(
            country="TUR",
            partners=("AZE",),
            flow="turnover",
            from_year=2020,
            stated_pct=10,
            tolerance_pct=5,
            as_of=as_of,
        ),
    ]
    results = [check.run(context) for check in checks]  # type: ignore[arg-type]
    return [(result.verdict, result.computed_value, result.explanation) for result in results]


@settings(max_examples=80, deadline=None)
@given(trade_rows, st.permutations(SOURCE_NAMES), st.randoms())
def test_renaming_or_reordering_source_ids_changes_no_estimate_growth_or_verdict(
    rows: list[tuple], names: list[str], rnd
) -> None:
    frame = to_frame(rows)
    other = renamed(frame, names).sample(frac=1.0, random_state=rnd.randint(0, 10_000))
    for function in (trade.preferred_figures, trade.turnover_by_dyad, trade.disputed_figures):
        pd.testing.assert_frame_equal(without_sources(function(frame)), without_sources(function(other)))
    first = trade.best_estimate(trade.turnover_by_dyad(frame))
    second = trade.best_estimate(trade.turnover_by_dyad(other))
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(trade.year_on_year_growth(first), trade.year_on_year_growth(second))
    pd.testing.assert_frame_equal(trade.compound_annual_growth(first), trade.compound_annual_growth(second))
    assert checks_on(frame) == checks_on(other)
