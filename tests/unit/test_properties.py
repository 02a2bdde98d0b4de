"""Invariants of the indicators, checked on generated tables (hypothesis)."""

from __future__ import annotations

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
        st.sampled_from(["s1", "s2", "s3"]),
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
