"""Reusable pandera checks, registered once and used by name in the schemas.

Each check is vectorised: it takes a Series of strings (missing cells already removed by pandera)
and returns a boolean Series, so a failure names every bad cell rather than the column as a whole.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pandas as pd
import pandera.extensions as extensions
import pycountry

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ISO_DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # ASCII digits: Python's \d also takes "٢٠٢٣"
ISO3_PATTERN = r"[A-Z]{3}"
HTTP_URL_PATTERN = r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FULL_YEAR = "full_year"
ISO639_1_PATTERN = r"[a-z]{2}"  # the shape; that pycountry knows the code is checked by iso639_1
# Plain groups: Table Schema patterns are XML Schema regular expressions, which have no (?:...).
MONTH_PERIOD_PATTERN = rf"({FULL_YEAR}|({'|'.join(MONTHS)})-({'|'.join(MONTHS)}))"

# ISO 3166-1 leaves these alpha-3 ranges to users (ISO 3166-1, section 8.1.3); the project uses one
# of them for the Turkish Republic of Northern Cyprus, which has no ISO code (see countries.csv).
_USER_ASSIGNED_ALPHA3 = re.compile(r"AA[A-Z]|Q[M-Z][A-Z]|X[A-Z]{2}|ZZ[A-Z]")


@cache
def official_alpha3_codes() -> frozenset[str]:
    """All ISO 3166-1 alpha-3 codes known to pycountry."""
    return frozenset(country.alpha_3 for country in pycountry.countries)


def is_user_assigned_alpha3(code: str) -> bool:
    """True for codes in ISO 3166-1's user-assigned alpha-3 ranges (AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ)."""
    return bool(_USER_ASSIGNED_ALPHA3.fullmatch(code))


@cache
def iso639_1_codes() -> frozenset[str]:
    """All two-letter ISO 639-1 language codes known to pycountry."""
    return frozenset(language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2"))


def period_months(period: str) -> int | None:
    """Months covered by a period cell: 12 for ``full_year``, 9 for ``jan-sep``; None if not a period.

    A period is ``full_year`` or a range of three-letter English month names whose first month is not
    after its last (``jan-jan`` is January alone).
    """
    if period == FULL_YEAR:
        return 12
    first, _, last = period.partition("-")
    if first not in MONTHS or last not in MONTHS:
        return None
    length = MONTHS.index(last) - MONTHS.index(first) + 1
    return length if length >= 1 else None


def _parse_iso_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")


@extensions.register_check_method(check_type="vectorized")
def slug(series: pd.Series) -> pd.Series:
    """Lowercase words of letters and digits joined by single hyphens, e.g. ``trend-2024-trade``."""
    return series.str.fullmatch(SLUG_PATTERN)


@extensions.register_check_method(check_type="vectorized")
def slug_list(series: pd.Series) -> pd.Series:
    """One or more slugs separated by ``;`` with no spaces."""
    return series.str.fullmatch(rf"{SLUG_PATTERN}(?:;{SLUG_PATTERN})*")


def repeated_items(cell: str) -> list[str]:
    """The values a ``;``-separated cell lists more than once, in order of their second appearance."""
    seen: set[str] = set()
    repeated: list[str] = []
    for item in cell.split(";"):
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


@extensions.register_check_method(check_type="vectorized")
def distinct_items(series: pd.Series) -> pd.Series:
    """A ``;``-separated list that names no value twice (``TUR;TUR`` is not a pair of states)."""
    return series.map(lambda cell: not repeated_items(cell)).astype(bool)


@extensions.register_check_method(check_type="vectorized")
def iso3_code(series: pd.Series) -> pd.Series:
    """An ISO 3166-1 alpha-3 code that pycountry knows, or one from ISO's user-assigned ranges."""
    official = official_alpha3_codes()
    return series.map(lambda code: code in official or is_user_assigned_alpha3(code)).astype(bool)


@extensions.register_check_method(check_type="vectorized")
def iso3_list(series: pd.Series) -> pd.Series:
    """One or more alpha-3 codes separated by ``;``, each a code as in :func:`iso3_code`."""
    official = official_alpha3_codes()

    def valid(cell: str) -> bool:
        codes = cell.split(";")
        return all(code in official or is_user_assigned_alpha3(code) for code in codes)

    return series.map(valid).astype(bool)


@extensions.register_check_method(check_type="vectorized")
def iso639_1(series: pd.Series) -> pd.Series:
    """A two-letter ISO 639-1 language code that pycountry knows (``en``, ``ru``, ``tr``, ...)."""
    return series.isin(iso639_1_codes())


@extensions.register_check_method(check_type="vectorized")
def month_period(series: pd.Series) -> pd.Series:
    """``full_year`` or a real month range such as ``jan-sep`` (see :func:`period_months`)."""
    return series.map(lambda cell: period_months(cell) is not None).astype(bool)


@extensions.register_check_method(check_type="vectorized")
def http_url(series: pd.Series) -> pd.Series:
    """An absolute http(s) URL with a dotted host name and no spaces."""
    return series.str.fullmatch(HTTP_URL_PATTERN)


@extensions.register_check_method(check_type="vectorized")
def iso_date(series: pd.Series) -> pd.Series:
    """A calendar date written ``YYYY-MM-DD`` (ISO 8601)."""
    shaped = series.str.fullmatch(ISO_DATE_PATTERN)
    return shaped & _parse_iso_dates(series).notna()


@extensions.register_check_method(check_type="vectorized")
def not_in_future(series: pd.Series) -> pd.Series:
    """A date (``YYYY-MM-DD``) that is not later than today; unparseable dates are left to ``iso_date``."""
    parsed = _parse_iso_dates(series)
    today = pd.Timestamp(dt.date.today())
    return parsed.isna() | (parsed <= today)


@extensions.register_check_method(statistics=["earliest"], check_type="vectorized")
def not_before(series: pd.Series, *, earliest: str) -> pd.Series:
    """A date (``YYYY-MM-DD``) on or after ``earliest``, the first day a table can hold.

    Unparseable dates are left to ``iso_date``.
    """
    parsed = _parse_iso_dates(series)
    return parsed.isna() | (parsed >= pd.Timestamp(earliest))


@extensions.register_check_method(statistics=["max_words"], check_type="vectorized")
def at_most_words(series: pd.Series, *, max_words: int) -> pd.Series:
    """At most ``max_words`` whitespace-separated words (the evidence excerpt limit)."""
    return series.str.count(r"\S+") <= max_words
