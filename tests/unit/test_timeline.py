"""Intervals between dated events."""

from __future__ import annotations

import pandas as pd
import pytest

from ots_analysis.indicators import timeline


def dated() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["s10", "inaug", "s12", "y"],
            "date": pd.to_datetime(["2023-11-03", "2024-02-14", "2025-10-07", "2019-01-01"]),
            "date_precision": ["day", "day", "day", "year"],
        }
    )


def test_interval_days_months_and_whole_months() -> None:
    pairs = pd.DataFrame({"from_event": ["s10", "inaug"], "to_event": ["inaug", "s12"]})
    result = timeline.intervals(dated(), pairs)
    assert result["days"].tolist() == [103, 601]
    assert result["months"].iloc[0] == pytest.approx(103 / 30.436875)
    assert result["whole_months"].tolist() == [3, 19]
    assert result["precision"].tolist() == ["day", "day"]


def test_interval_takes_the_coarser_precision() -> None:
    pairs = pd.DataFrame({"from_event": ["y"], "to_event": ["s10"]})
    assert timeline.intervals(dated(), pairs)["precision"].tolist() == ["year"]


def test_unknown_event_id_is_named() -> None:
    pairs = pd.DataFrame({"from_event": ["s10"], "to_event": ["nope"]})
    with pytest.raises(KeyError, match="nope"):
        timeline.intervals(dated(), pairs)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [("2024-01-31", "2024-02-29", 0), ("2024-01-15", "2024-02-15", 1), ("2024-03-15", "2024-01-16", -1)],
)
def test_whole_months_between(start: str, end: str, expected: int) -> None:
    result = timeline.whole_months_between(
        pd.Series(pd.to_datetime([start])), pd.Series(pd.to_datetime([end]))
    )
    assert result.iloc[0] == expected


def test_summit_intervals_follow_summit_numbers() -> None:
    events = pd.DataFrame(
        {
            "event_id": ["b", "a", "x"],
            "date": pd.to_datetime(["2024-11-06", "2023-11-03", "2024-02-14"]),
            "date_precision": ["day", "day", "day"],
            "series": ["ots_heads_of_state", "ots_heads_of_state", None],
            "summit_number": pd.array([11, 10, pd.NA], dtype="Int64"),
        }
    )
    result = timeline.summit_intervals(events)
    assert result[["from_event", "to_event"]].to_numpy().tolist() == [["a", "b"]]
