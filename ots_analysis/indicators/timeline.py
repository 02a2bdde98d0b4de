"""Intervals between dated events, to check statements such as "three years later".

An interval runs from the date of one event to the date of another. ``days`` is the exact count;
``months`` is days / 30.436875, the mean Gregorian month (365.2425 / 12 days); ``whole_months`` is
the count of complete calendar months. Dates of month or year precision stand for their first day,
so ``precision`` reports the coarser of the two, and such intervals are approximate.
"""

from __future__ import annotations

import pandas as pd

from ots_analysis.vocab import HEADS_OF_STATE_SERIES

MEAN_MONTH_DAYS = 365.2425 / 12
_PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}


def dated_events(events: pd.DataFrame, defense: pd.DataFrame) -> pd.DataFrame:
    """The timeline and defence events in one frame: ``event_id``, ``date``, ``date_precision``,
    ``kind``, ``title``, ``table`` (which raw table the row comes from)."""
    columns = ["event_id", "date", "date_precision", "kind", "title"]
    combined = pd.concat(
        [events[columns].assign(table="events"), defense[columns].assign(table="defense_cooperation")],
        ignore_index=True,
    )
    return combined.sort_values(["date", "event_id"]).reset_index(drop=True)


def whole_months_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Complete calendar months from ``start`` to ``end`` (negative if ``end`` is earlier)."""
    months = (end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month)
    incomplete = (months > 0) & (end.dt.day < start.dt.day)
    overshoot = (months < 0) & (end.dt.day > start.dt.day)
    return months - incomplete.astype("int64") + overshoot.astype("int64")


def intervals(dated: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Intervals for each (``from_event``, ``to_event``) pair of event ids.

    ``dated`` is :func:`dated_events`; unknown ids raise ``KeyError`` naming them.
    """
    lookup = dated.set_index("event_id")
    unknown = sorted((set(pairs["from_event"]) | set(pairs["to_event"])) - set(lookup.index))
    if unknown:
        raise KeyError(f"unknown event id(s): {unknown}")
    start = lookup.loc[pairs["from_event"]].reset_index(drop=True)
    end = lookup.loc[pairs["to_event"]].reset_index(drop=True)
    days = (end["date"] - start["date"]).dt.days
    coarser = pd.concat(
        [start["date_precision"].map(_PRECISION_ORDER), end["date_precision"].map(_PRECISION_ORDER)],
        axis=1,
    ).max(axis=1)
    inverse = {rank: name for name, rank in _PRECISION_ORDER.items()}
    result = pairs.reset_index(drop=True).assign(
        from_date=start["date"],
        to_date=end["date"],
        days=days,
        months=days / MEAN_MONTH_DAYS,
        whole_months=whole_months_between(start["date"], end["date"]),
        precision=coarser.map(inverse),
    )
    return result


def summit_intervals(events: pd.DataFrame, series: str = HEADS_OF_STATE_SERIES) -> pd.DataFrame:
    """Intervals between consecutive numbered summits of one series."""
    summits = events.loc[(events["series"] == series) & events["summit_number"].notna()]
    summits = summits.sort_values("summit_number")
    pairs = pd.DataFrame(
        {
            "from_event": summits["event_id"].iloc[:-1].to_numpy(),
            "to_event": summits["event_id"].iloc[1:].to_numpy(),
        }
    )
    dated = events[["event_id", "date", "date_precision"]]
    return intervals(dated, pairs)


TIMELINE_COLUMNS = [
    "event_id",
    "date",
    "date_precision",
    "kind",
    "title",
    "series",
    "summit_number",
    "city",
    "country_iso3",
]


def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    """The timeline's events in date order (then id), with the columns a reader of the timeline needs."""
    return events[TIMELINE_COLUMNS].sort_values(["date", "event_id"]).reset_index(drop=True)
