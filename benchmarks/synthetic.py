"""A seeded, world-size synthetic trade table in the layout of ``load_raw().trade``.

Every reporter states its exports to and imports from every other country (a country never reports
trade with itself, so there are ``n * (n - 1)`` ordered pairs) for every year: with 200 countries and
30 years that is 200 * 199 * 30 * 2 = 2,388,000 rows. All rows are full-year figures (``full_year``,
12 months), one per reporter, partner, year and flow, so the table satisfies the ``Trade`` key.

The values behave like the real ones: a directed flow i -> j has a log-normal size and a common
trend; i's exports to j and j's imports from i are two noisy readings of it (imports inflated by
~6 %, as CIF against FOB), so mirror discrepancies are realistic; each value is rounded to 2-4
significant digits, as a stated "$6.3 billion" is. One source (drawn from a few slugs, each with its
``statistic_origin``) states both flows of a reporter, partner and year, as a yearbook does, so
``turnover_by_dyad`` derives a turnover for every one of them. Country codes are ISO 3166-1
user-assigned alpha-3 codes (``XKQ``, ``QMA``...): synthetic, yet valid under the ``Trade`` schema.
Construction is vectorised: no Python loop over rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20240521
FIRST_YEAR = 1995
FLOWS = ("exports", "imports")
SOURCES = (
    ("stat-yearbook-2024", "national_statistics"),
    ("ministry-trade-2024", "official_statement"),
    ("comtrade-2024", "international_database"),
    ("imf-dots-2024", "international_database"),
    ("news-wire-2024", "media"),
)
"""Source slugs with the ``statistic_origin`` each implies (all four allowed origins appear)."""
EVIDENCE = (
    "Exports to the partner amounted to the stated value in the year.",
    "Imports from the partner reached the stated value, the ministry said.",
    "Bilateral trade figures by partner country, annual, current US dollars.",
)
_LETTERS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)


def _user_assigned_codes() -> np.ndarray:
    """The 1,092 ISO 3166-1 user-assigned alpha-3 codes (AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ).

    No real country has one, yet the ``Trade`` schema accepts them, so synthetic rows can never be
    mistaken for real ones and still validate.
    """
    pairs = (_LETTERS[:, None] + _LETTERS[None, :]).ravel()
    groups = ["AA" + _LETTERS, "Q" + pairs[12 * 26 :], "X" + pairs, "ZZ" + _LETTERS]
    return np.sort(np.concatenate(groups))


def country_codes(n_countries: int, rng: np.random.Generator) -> np.ndarray:
    """``n_countries`` distinct synthetic (user-assigned) three-letter codes, sorted, as str objects."""
    pool = _user_assigned_codes()
    if not 2 <= n_countries <= len(pool):
        raise ValueError(f"n_countries must be between 2 and {len(pool)}, not {n_countries}")
    codes: np.ndarray = np.sort(rng.choice(pool, size=n_countries, replace=False))
    return codes


def round_significant(values: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """Round each positive value to its number of significant ``digits``."""
    scale = 10.0 ** (np.floor(np.log10(values)) - digits + 1)
    rounded: np.ndarray = np.round(values / scale) * scale
    return rounded


def _text(values: np.ndarray) -> pd.Series:
    """A column with the string dtype the loader gives text columns (``str`` in pandas 3)."""
    return pd.Series(values, dtype=object).astype(str)


def synthetic_trade(n_countries: int = 200, n_years: int = 30, seed: int = SEED) -> pd.DataFrame:
    """A synthetic trade table: exports and imports of every ordered country pair and year.

    Columns and dtypes are those of ``ots_analysis.load.load_raw().trade`` (reporter_iso3,
    partner_iso3, year, flow, value_usd, period, months, statistic_origin, source_ids, evidence),
    indexed by ``csv_line`` from 2 as if read from a CSV file. Same arguments, same table.
    """
    rng = np.random.default_rng(seed)
    codes = country_codes(n_countries, rng)
    n_pairs = n_countries * (n_countries - 1)
    n_rows = n_pairs * n_years * len(FLOWS)

    # Ordered pairs (reporter, partner) without reporter == partner, then years, then flows.
    reporter_of_pair = np.repeat(np.arange(n_countries), n_countries - 1)
    partner_of_pair = np.tile(np.arange(n_countries - 1), n_countries)
    partner_of_pair += partner_of_pair >= reporter_of_pair
    per_pair = n_years * len(FLOWS)
    reporter = np.repeat(reporter_of_pair, per_pair)
    partner = np.repeat(partner_of_pair, per_pair)
    year_index = np.tile(np.repeat(np.arange(n_years), len(FLOWS)), n_pairs)
    flow_index = np.tile(np.arange(len(FLOWS)), n_pairs * n_years)

    # Directed flow origin -> destination: log-normal size, a common trend, noise per reading.
    size = np.exp(rng.normal(18.0, 2.5, size=(n_countries, n_countries)))
    trend = np.cumprod(1.0 + rng.normal(0.04, 0.08, size=n_years))
    exporting = flow_index == 0
    origin = np.where(exporting, reporter, partner)
    destination = np.where(exporting, partner, reporter)
    noise = rng.lognormal(0.0, 0.1, size=n_rows) * np.where(exporting, 1.0, 1.06)
    raw_value = size[origin, destination] * trend[year_index] * noise
    value = round_significant(raw_value, rng.integers(2, 5, size=n_rows))

    # One source per reporter, partner and year states both flows (so turnover can be derived).
    source = np.repeat(rng.integers(0, len(SOURCES), size=n_pairs * n_years), len(FLOWS))
    slugs = np.array([slug for slug, _ in SOURCES], dtype=object)
    origins = np.array([origin_name for _, origin_name in SOURCES], dtype=object)
    frame = pd.DataFrame(
        {
            "reporter_iso3": _text(codes[reporter]),
            "partner_iso3": _text(codes[partner]),
            "year": (FIRST_YEAR + year_index).astype("int64"),
            "flow": _text(np.array(FLOWS, dtype=object)[flow_index]),
            "value_usd": value.astype("float64"),
            "period": _text(np.full(n_rows, "full_year", dtype=object)),
            "months": np.full(n_rows, 12, dtype="int64"),
            "statistic_origin": _text(origins[source]),
            "source_ids": _text(slugs[source]),
            "evidence": _text(np.array(EVIDENCE, dtype=object)[rng.integers(0, len(EVIDENCE), n_rows)]),
        }
    )
    frame.index = pd.Index(np.arange(2, n_rows + 2, dtype="int64"), name="csv_line")
    return frame
