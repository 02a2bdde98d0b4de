"""Cooperation indicators on a hand-made events table."""

from __future__ import annotations

import pandas as pd
import pytest

from ots_analysis.indicators import cooperation


def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2020-01-05", "2021-03-01", "2021-06-01", "2021-07-01"]),
            "kind": ["exercise", "agreement", "exercise", "statement"],
            "parties": ["AZE;GEO;TUR", "AZE;TUR", "KAZ;TUR", "TUR"],
        }
    )


def test_events_by_year_and_kind() -> None:
    counts = cooperation.events_by_year_and_kind(events())
    assert counts.to_dict("records") == [
        {"year": 2020, "kind": "exercise", "n_events": 1},
        {"year": 2021, "kind": "agreement", "n_events": 1},
        {"year": 2021, "kind": "exercise", "n_events": 1},
        {"year": 2021, "kind": "statement", "n_events": 1},
    ]


def test_dyad_ties_pair_every_two_parties_once() -> None:
    ties = cooperation.dyad_ties(events())
    pairs = set(zip(ties["event_id"], ties["country_a"], ties["country_b"], strict=True))
    assert pairs == {
        ("a", "AZE", "GEO"),
        ("a", "AZE", "TUR"),
        ("a", "GEO", "TUR"),
        ("b", "AZE", "TUR"),
        ("c", "KAZ", "TUR"),
    }


def test_intensity_weights_kinds_and_ranks() -> None:
    instruments = cooperation.dyad_year_instruments(cooperation.dyad_ties(events()))
    intensity = cooperation.cooperation_intensity(
        instruments, {"exercise": 2.0, "agreement": 3.0, "statement": 1.0}
    )
    by_dyad = intensity.set_index(["country_a", "country_b"])
    assert by_dyad.loc[("AZE", "TUR"), "intensity"] == 5.0
    assert by_dyad.loc[("AZE", "TUR"), "rank"] == 1
    assert by_dyad.loc[("KAZ", "TUR"), "intensity"] == 2.0
    assert by_dyad.loc[("KAZ", "TUR"), "rank"] == 2  # ties share the best rank


def test_unknown_kind_is_an_error_not_a_zero_weight() -> None:
    instruments = cooperation.dyad_year_instruments(cooperation.dyad_ties(events()))
    with pytest.raises(KeyError, match="agreement"):
        cooperation.cooperation_intensity(instruments, {"exercise": 1.0})


def test_sensitivity_reports_rank_shift_against_default() -> None:
    instruments = cooperation.dyad_year_instruments(cooperation.dyad_ties(events()))
    scenarios = {
        "default": {"exercise": 1.0, "agreement": 1.0},
        "agreements_only": {"exercise": 0.0, "agreement": 5.0},
    }
    shifts = cooperation.weight_sensitivity(instruments, scenarios)
    row = shifts.set_index(["scenario", "country_a", "country_b"]).loc[("agreements_only", "KAZ", "TUR")]
    assert row["default_rank"] == 2
    assert row["rank"] == 2
    assert set(shifts["scenario"]) == {"default", "agreements_only"}
    assert (shifts.loc[shifts["scenario"] == "default", "rank_shift"] == 0).all()


def test_network_nodes_strength_and_turkey_share() -> None:
    edges = cooperation.network_edges(cooperation.dyad_ties(events()))
    nodes = cooperation.network_nodes(edges).set_index("iso3")
    assert edges["weight"].sum() == 5
    assert nodes.loc["TUR", "strength"] == 4
    assert nodes.loc["TUR", "degree"] == 3
    assert nodes.loc["TUR", "share_of_ties"] == pytest.approx(4 / 5)
    assert nodes["share_of_ties"].sum() == pytest.approx(2.0)
