"""Parameters of the check kinds: their types, how a cell of check_parameters.csv is read, and what
an id must refer to.

A check kind declares each parameter as a dataclass field made with :func:`parameter`, giving its
:class:`ParameterType` and a description. The type turns the text of a ``value`` cell into a Python
value (raising :class:`ParameterValueError` with a message a curator understands) and, for ids, names
the ids that exist in the loaded tables. Several values in one cell are separated by ``;``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ots_analysis.cells import MAX_DIGITS
from ots_analysis.checks import repeated_items
from ots_analysis.multivalue import SEPARATOR, explode_list
from ots_analysis.schemas import CURRENT_YEAR, FIRST_YEAR
from ots_analysis.vocab import (
    AGGREGATE_MEASURES,
    AGGREGATE_SCOPES,
    COUNTRY_STATISTICS,
    DEFENSE_KINDS,
    MEMBERSHIP_STATUSES,
    ORGANIZATIONS,
    SUMMIT_SERIES,
    TRADE_FLOWS,
)

Tables = Mapping[str, pd.DataFrame]

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")
_PARTIAL_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")


KnownIds = dict[Callable[[Mapping[str, pd.DataFrame]], frozenset[str]], frozenset[str]]
"""Ids that exist in the tables, by the lookup that found them."""


class ParameterValueError(ValueError):
    """A value cell that cannot be read as its parameter's type, or names an id that does not exist."""


@dataclass(frozen=True)
class ParameterType:
    """How a value is written and read.

    ``parse`` turns one item of text into a value or raises :class:`ParameterValueError`; ``known``
    (for ids) gives the ids that exist in the tables; ``many`` allows several items separated by ';'.
    """

    name: str
    parse: Callable[[str], Any]
    known: Callable[[Tables], frozenset[str]] | None = None
    many: bool = False

    def read(self, text: str, tables: Tables, known_ids: KnownIds | None = None) -> Any:
        """The value of a cell: one item, or a tuple of items when ``many``.

        ``known_ids`` memoises the ids that exist, per lookup, across the cells of one reading.
        """
        items = text.split(SEPARATOR) if self.many else [text]
        if any(item == "" for item in items):
            raise ParameterValueError(f"empty item in a list of {self.name} (separate values by ';')")
        repeated = repeated_items(text) if self.many else []
        if repeated:
            raise ParameterValueError(f"lists {', '.join(map(repr, repeated))} twice: name each value once")
        values = [self.parse(item) for item in items]
        if self.known is not None:
            cache = known_ids if known_ids is not None else {}
            if self.known not in cache:
                cache[self.known] = self.known(tables)
            existing = cache[self.known]
            missing = [item for item in items if item not in existing]
            if missing:
                raise ParameterValueError(f"no {self.name} {', '.join(map(repr, missing))} in the data")
        return tuple(values) if self.many else values[0]

    def listed(self) -> ParameterType:
        """The same type, accepting several values separated by ';'."""
        plural = f"{self.name[:-1]}ies" if self.name.endswith("y") else f"{self.name}s"
        return dataclasses.replace(self, name=plural, many=True)


def _text(value: str) -> str:
    return value


def _digits_within_limit(value: str) -> None:
    digits = sum(char.isdigit() for char in value)
    if digits > MAX_DIGITS:
        raise ParameterValueError(f"has {digits} digits; at most {MAX_DIGITS} are stored exactly (a typo?)")


def _number(value: str) -> float:
    """A number the claim states or a tolerance: never negative, always finite."""
    if not _NUMBER.fullmatch(value):
        raise ParameterValueError("must be a number written with ASCII digits and an optional '.'")
    if value.startswith("-"):
        raise ParameterValueError("must not be negative (an amount, a share, an interval or a tolerance)")
    _digits_within_limit(value)  # which also keeps it finite: 1 and 308 zeros reads as infinity
    return float(value)


def _integer(value: str) -> int:
    """A year, a month, a count or a summit number: never negative."""
    if not _INTEGER.fullmatch(value):
        raise ParameterValueError("must be a whole number written with ASCII digits")
    if value.startswith("-"):
        raise ParameterValueError("must not be negative (a year, a month, a number or a count)")
    _digits_within_limit(value)
    return int(value)


def _positive_number(value: str) -> float:
    number = _number(value)
    if number <= 0:
        raise ParameterValueError("must be a number above 0")
    return number


def _positive_integer(value: str) -> int:
    number = _integer(value)
    if number < 1:
        raise ParameterValueError("must be a whole number from 1 up")
    return number


def _year(value: str) -> int:
    year = _integer(value)
    if not FIRST_YEAR <= year <= CURRENT_YEAR:
        raise ParameterValueError(
            f"must be a year from {FIRST_YEAR} to {CURRENT_YEAR} (the years the tables can hold)"
        )
    return year


def _month(value: str) -> int:
    month = _integer(value)
    if not 1 <= month <= 12:
        raise ParameterValueError("must be a month number from 1 to 12")
    return month


def _date(value: str) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParameterValueError("must be a calendar date written YYYY-MM-DD") from None


def _partial_date(value: str) -> str:
    """A date at year, month or day precision: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    message = "must be a date written YYYY, YYYY-MM or YYYY-MM-DD"
    if not _PARTIAL_DATE.fullmatch(value):
        raise ParameterValueError(message)
    try:
        _date(value + "-01" * ((10 - len(value)) // 3))
    except ParameterValueError:
        raise ParameterValueError(f"{message}, with a real month and day") from None
    return value


def _year_month(value: str) -> str:
    if len(value) != 7:
        raise ParameterValueError("must be a month written YYYY-MM")
    return _partial_date(value)


def _one_of(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ParameterValueError(f"must be one of: {', '.join(allowed)}")
        return value

    return parse


def _column_values(
    table: str, column: str, preferred_only: bool = False
) -> Callable[[Tables], frozenset[str]]:
    def known(tables: Tables) -> frozenset[str]:
        frame = tables.get(table)
        if frame is None or column not in frame.columns:
            return frozenset()
        if preferred_only and "preferred" in frame.columns:
            frame = frame.loc[frame["preferred"].eq(True)]
        return frozenset(explode_list(frame[column]))

    return known


def _event_ids(tables: Tables) -> frozenset[str]:
    timeline = _column_values("events", "event_id", preferred_only=True)(tables)
    return timeline | _column_values("defense_cooperation", "event_id", preferred_only=True)(tables)


TEXT = ParameterType("text", _text)
NUMBER = ParameterType("number", _number)
INTEGER = ParameterType("whole number", _integer)
MONTH = ParameterType("month", _month)
POSITIVE_NUMBER = ParameterType("number above 0", _positive_number)
POSITIVE_INTEGER = ParameterType("whole number from 1 up", _positive_integer)
YEAR = ParameterType("year", _year)
DATE = ParameterType("date", _date)
PARTIAL_DATE = ParameterType("date", _partial_date)
YEAR_MONTH = ParameterType("month", _year_month)
COUNTRY = ParameterType("country", _text, known=_column_values("countries", "iso3"))
REGION = ParameterType("region", _text, known=_column_values("countries", "regions"))
EVENT = ParameterType(
    "event id (preferred row of events.csv or defense_cooperation.csv)", _text, known=_event_ids
)
DEFENSE_EVENT = ParameterType(
    "event id (preferred row of defense_cooperation.csv)",
    _text,
    known=_column_values("defense_cooperation", "event_id", preferred_only=True),
)
ORGANIZATION = ParameterType("organisation", _one_of(ORGANIZATIONS))
STATUS = ParameterType("membership status", _one_of(MEMBERSHIP_STATUSES))
SERIES = ParameterType("summit series", _one_of(SUMMIT_SERIES))
DEFENSE_KIND = ParameterType("defence-event kind", _one_of(DEFENSE_KINDS))
AGGREGATE_SCOPE = ParameterType("aggregate scope", _one_of(tuple(AGGREGATE_SCOPES)))
AGGREGATE_MEASURE = ParameterType("aggregate measure", _one_of(AGGREGATE_MEASURES))
FLOW = ParameterType("trade flow", _one_of(TRADE_FLOWS))
STATISTIC = ParameterType("country statistic", _one_of(tuple(COUNTRY_STATISTICS)))

COMPARISONS = ("about", "at_least", "more_than", "at_most", "less_than")
"""How a claim compares its figure with the data: about it (within a tolerance), or a bound."""
COMPARISON = ParameterType("comparison", _one_of(COMPARISONS))
RANK_MODES = ("exactly", "top")
RANK_MODE = ParameterType("rank mode", _one_of(RANK_MODES))
CHANGES = (
    "percent",
    "fold",
    "rising",
    "falling",
    "rising_each_year",
    "falling_each_year",
    "speeding_up",
    "slowing_down",
)
"""What a growth claim states: a percent change, an x-fold change, a direction, or a change of pace."""
CHANGE = ParameterType("kind of change", _one_of(CHANGES))
SHARE_BASES = ("world", "partners", "group")
"""What a share is of: the country's trade with the world, with a list of partners, or a group's
internal trade."""
SHARE_BASE = ParameterType("share base", _one_of(SHARE_BASES))
FIGURE_CHOICES = ("best", "own")
"""Which figures a trade check reads: ``best``, the best estimate from both countries' statistics (a
country's own exports and imports, else its partner's mirror figures; turnover is the pair's best
estimate); ``own``, only the country's own statistics (no mirror; its own turnover), for a claim that
quotes one country's figures."""
FIGURES = ParameterType("figures", _one_of(FIGURE_CHOICES))


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a check kind."""

    name: str
    type: ParameterType
    description: str
    required: bool


_METADATA_KEY = "ots_parameter"
_REQUIRED = object()


def parameter(type_: ParameterType, description: str, default: Any = _REQUIRED) -> Any:
    """A dataclass field that is a check parameter; without ``default`` the parameter is required."""
    metadata = {_METADATA_KEY: (type_, description)}
    if default is _REQUIRED:
        return dataclasses.field(metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def figures_parameter() -> Any:
    """The ``figures`` parameter of the trade kinds (:data:`FIGURE_CHOICES`), declared once."""
    return parameter(
        FIGURES, "best (default): both countries' statistics; own: the country's own only.", default="best"
    )


def declared_parameters(kind: type) -> dict[str, Parameter]:
    """The parameters a check-kind class declares, by name, in declaration order."""
    declared = {}
    for field in dataclasses.fields(kind):
        if _METADATA_KEY in field.metadata:
            type_, description = field.metadata[_METADATA_KEY]
            required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
            declared[field.name] = Parameter(field.name, type_, description, required)
    return declared
