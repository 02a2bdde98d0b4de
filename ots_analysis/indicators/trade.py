"""Trade indicators: turnover by dyad, mirror discrepancies, best estimates, totals, growth, shares.

Conventions. A *figure* is one row of ``trade.csv``: a value in current US dollars stated by one
*reporter* (the country whose statistics or officials gave it) about its trade with a *partner*.
A *dyad* is an unordered pair of countries, written with the alphabetically first code as
``country_a``. Only full-year figures (12 months) enter the annual indicators; partial-year figures
stay in the raw data for the claims that cite them. Turnover is exports plus imports.

Disputes. Figures compete by rank: origin (:data:`ORIGIN_PRECEDENCE`), then, for turnover, a stated
figure over one derived from exports and imports, then precision (more significant digits). Nothing
else ranks them: neither the names nor the order of their source ids. The figures that tie with the
best on every rank are its *equally ranked* candidates; the chosen value is their median (for two,
their midpoint), which no source id can change. When those candidates disagree (their spread, highest
minus lowest, exceeds :data:`DISPUTE_TOLERANCE` of their midpoint) the figure is *disputed*: it is
flagged (``disputed``), listed with its range by :func:`disputed_figures`, named by
``ots-analysis validate`` (a warning) and in the report, and growth and CAGR computed from it are
marked. A curator settles a dispute in ``trade.csv``: the rejected row gets ``preferred = false`` and
a ``preferred_note`` saying why; the indicators read preferred rows only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ots_analysis.multivalue import SEPARATOR
from ots_analysis.vocab import SHOWN_NOT_AVERAGED, STATISTIC_ORIGINS

ORIGIN_PRECEDENCE = STATISTIC_ORIGINS
"""When one reporter states several figures for the same flow and year, the first origin here wins."""

DISPUTE_TOLERANCE = 0.05
"""Equally ranked figures whose spread (highest - lowest) exceeds this fraction of their midpoint
((highest + lowest) / 2) are disputed: 5 %, wider than the rounding of a figure stated to two or three
significant digits and than most revisions of a statistic, narrower than a real disagreement (USD 12.2
against 10.6 billion is 14 %)."""

BASIS_STATED = "stated"
BASIS_DERIVED = "exports+imports"
_MIRROR_FLOW = {"exports": "imports", "imports": "exports", "turnover": "turnover"}
_DYAD = ["country_a", "country_b"]


def significant_digits(values: pd.Series) -> pd.Series:
    """The number of significant decimal digits of each positive value (``6.3e9`` has 2; 0 for 0).

    A figure stated as "$6.3 billion" is more precise than one stated as "$6 billion"; this measures
    that precision from the value itself (at most 15 digits).
    """
    array = values.to_numpy(dtype="float64")
    digits = np.zeros(len(array), dtype="int64")
    undecided = np.flatnonzero(array > 0)
    magnitude = np.floor(np.log10(array[undecided]))
    for count in range(1, 16):
        if undecided.size == 0:
            break
        scale = 10.0 ** (magnitude - count + 1)
        subset = array[undecided]
        exact = np.isclose(np.round(subset / scale) * scale, subset, rtol=1e-12, atol=0.0)
        digits[undecided[exact]] = count
        undecided, magnitude = undecided[~exact], magnitude[~exact]
    digits[undecided] = 15
    return pd.Series(digits, index=values.index, name="significant_digits")


def full_year(trade: pd.DataFrame) -> pd.DataFrame:
    """The full-year (12-month) figures of ``trade``."""
    return trade.loc[trade["months"] == 12]


# Integer coding. Sorting, grouping and pairing 2.4 million rows of Python strings is slow, so the
# functions below turn each key column into integer codes once (in alphabetical order, so sorting
# codes sorts the strings) and work on numpy arrays.


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype("int64"), pd.Index(uniques)


def _country_codes(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Codes of two country columns in one shared, alphabetical code space."""
    codes_1, uniques_1 = _sorted_codes(first)
    codes_2, uniques_2 = _sorted_codes(second)
    countries = uniques_1.union(uniques_2).sort_values()
    remap_1 = countries.get_indexer(uniques_1)
    remap_2 = countries.get_indexer(uniques_2)
    return remap_1[codes_1], remap_2[codes_2], countries


def _origin_rank(origins: pd.Series) -> np.ndarray:
    return pd.Index(ORIGIN_PRECEDENCE).get_indexer(pd.Index(origins)).astype("int64")


_INT64_ROOM = 2**62


def _combined_key(*parts: tuple[np.ndarray, int]) -> np.ndarray:
    """One int64 per row from several codes, each given with the number of values it can take.

    Ordering the combined key orders the rows by the parts, first part first.
    """
    key = np.zeros(len(parts[0][0]), dtype="int64")
    for codes, size in parts:
        key = key * max(size, 1) + codes
    return key


def _fits_int64(*sizes: int) -> bool:
    return float(np.prod([max(size, 1) for size in sizes], dtype="float64")) < _INT64_ROOM


@dataclass(frozen=True)
class _Ranked:
    """Rows ordered within groups by rank, and each group's equally ranked leaders.

    ``order`` sorts the rows by group, then rank (best first), then value; ``starts`` are the positions
    in that order where each group begins, ``sizes`` the rows per group, and ``tied`` the number of rows
    at the head of each group that are equal on every rank (1 where the best row is alone).
    """

    order: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    tied: np.ndarray


def _rank_within_groups(
    group: list[tuple[np.ndarray, int]], ranks: list[tuple[np.ndarray, int]], value: np.ndarray
) -> _Ranked:
    """Order rows by ``group`` codes, then ``ranks`` (lower is better), then ``value``.

    Codes come with the number of values they can take, so they can be packed into one int64 sort
    key (falling back to a multi-key sort when they would overflow it). Rows equal on group and every
    rank form a run; the run at the head of a group is its set of equally ranked leaders.
    """
    group_key = _combined_key(*group)
    sizes = [size for _, size in group + ranks]
    if _fits_int64(*sizes):
        full_key = _combined_key(*group, *ranks)
        order = np.argsort(full_key, kind="stable")
        sorted_key = full_key[order]
        same = sorted_key[1:] == sorted_key[:-1]
        if same.any():  # equally ranked rows: order them by value, so a run's values are sorted
            order = np.lexsort((value, full_key))
    else:
        parts = [group_key, *(codes for codes, _ in ranks)]
        order = np.lexsort((value, *reversed(parts)))
        same = np.ones(max(len(order) - 1, 0), dtype=bool)
        for part in parts:
            ordered = part[order]
            same &= ordered[1:] == ordered[:-1]
    n = len(order)
    sorted_group = group_key[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]]) if n else order
    if not same.any():  # the common case: every group's best row is alone
        return _Ranked(order, starts, np.diff(np.r_[starts, n]), np.ones(len(starts), dtype="int64"))
    new_run = np.r_[True, ~same]
    run_lengths = np.diff(np.r_[np.flatnonzero(new_run), n])
    tied = run_lengths[np.cumsum(new_run)[starts] - 1]
    return _Ranked(order, starts, np.diff(np.r_[starts, n]), tied)


@dataclass(frozen=True)
class _Leaders:
    """Each group's estimate from its equally ranked leaders (see :func:`_leaders`)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    disputed: np.ndarray
    joined_sources: dict[int, str]
    """For each group with several equally ranked leaders (by position), all their source ids."""

    def source_ids(self, leading: pd.Series) -> pd.Series:
        """``leading`` (the source_ids of each group's first row) with the joined ids patched in."""
        if not self.joined_sources:
            return leading
        patched = leading.to_numpy(dtype=object, copy=True)
        for group, joined in self.joined_sources.items():
            patched[group] = joined
        return pd.Series(patched, index=leading.index, dtype=leading.dtype, name=leading.name)


def is_disputed(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """True where figures ranging from ``low`` to ``high`` disagree: their spread exceeds
    :data:`DISPUTE_TOLERANCE` of their midpoint."""
    return (high - low) > DISPUTE_TOLERANCE * (high + low) / 2


def _leaders(ranked: _Ranked, value: np.ndarray, source: np.ndarray, sources: pd.Index) -> _Leaders:
    """The median, range, dispute flag and sources of each group's equally ranked leaders.

    The rule of :data:`DISPUTE_TOLERANCE`: values within a run are sorted, so the median is the mean
    of its middle one or two values; ``sources`` joins every leader's source_ids (sorted, once each).
    """
    first, tied = ranked.starts, ranked.tied
    several = np.flatnonzero(tied > 1)
    if len(several) == 0:  # no equally ranked leaders: each group's figure stands alone
        alone = value[ranked.order[first]]
        return _Leaders(alone, alone, alone, np.zeros(len(first), dtype=bool), {})
    sorted_values = value[ranked.order]
    low, high = sorted_values[first], sorted_values[first + tied - 1]
    median = (sorted_values[first + (tied - 1) // 2] + sorted_values[first + tied // 2]) / 2
    joined = {}
    for group in several:
        rows = ranked.order[first[group] : first[group] + tied[group]]
        cited = {cited for entry in sources.take(source[rows]) for cited in str(entry).split(SEPARATOR)}
        joined[int(group)] = SEPARATOR.join(sorted(cited))
    return _Leaders(median, low, high, is_disputed(low, high), joined)


def _year_codes(years: np.ndarray) -> tuple[np.ndarray, int]:
    first = int(years.min()) if len(years) else 0
    span = int(years.max()) - first + 1 if len(years) else 1
    return years - first, span


def _precision_rank(values: np.ndarray) -> tuple[np.ndarray, int]:
    """15 - significant digits: lower = more precise (a rank code in 0..15)."""
    return 15 - significant_digits(pd.Series(values)).to_numpy(), 16


@dataclass(frozen=True)
class _CodedFigures:
    """The key columns of full-year figures as integer codes (alphabetical), with their lookups."""

    reporter: np.ndarray
    partner: np.ndarray
    countries: pd.Index
    flow: np.ndarray
    flows: pd.Index
    source: np.ndarray
    sources: pd.Index
    year: np.ndarray
    value: np.ndarray


def _code_figures(figures: pd.DataFrame) -> _CodedFigures:
    reporter, partner, countries = _country_codes(figures["reporter_iso3"], figures["partner_iso3"])
    flow, flows = _sorted_codes(figures["flow"])
    source, sources = _sorted_codes(figures["source_ids"])
    return _CodedFigures(
        reporter=reporter,
        partner=partner,
        countries=countries,
        flow=flow,
        flows=flows,
        source=source,
        sources=sources,
        year=figures["year"].to_numpy(dtype="int64"),
        value=figures["value_usd"].to_numpy(dtype="float64"),
    )


_FIGURE_KEYS = ["reporter_iso3", "partner_iso3", "year", "flow"]


def _ranked_figures(trade: pd.DataFrame, with_range: bool = True) -> pd.DataFrame:
    """:func:`preferred_figures`, with the range of each figure's equally ranked candidates
    (``tied_low_usd``, ``tied_high_usd``) if ``with_range``."""
    figures = full_year(trade)
    f = _code_figures(figures)
    n = len(f.countries)
    ranked = _rank_within_groups(
        [(f.reporter, n), (f.partner, n), _year_codes(f.year), (f.flow, len(f.flows))],
        [(_origin_rank(figures["statistic_origin"]), len(ORIGIN_PRECEDENCE)), _precision_rank(f.value)],
        f.value,
    )
    leaders = _leaders(ranked, f.value, f.source, f.sources)
    rows = ranked.order[ranked.starts]
    chosen = figures[[*_FIGURE_KEYS, "statistic_origin", "source_ids"]].iloc[rows].reset_index(drop=True)
    chosen.insert(len(_FIGURE_KEYS), "value_usd", leaders.value)
    chosen["source_ids"] = leaders.source_ids(chosen["source_ids"])
    chosen["n_figures"] = ranked.sizes
    chosen["n_tied"] = ranked.tied
    chosen["disputed"] = leaders.disputed
    if with_range:
        chosen["tied_low_usd"] = leaders.low
        chosen["tied_high_usd"] = leaders.high
    return chosen


def preferred_figures(trade: pd.DataFrame, with_range: bool = False) -> pd.DataFrame:
    """One full-year figure per reporter, partner, year and flow.

    Rule: the figures with the most authoritative origin (:data:`ORIGIN_PRECEDENCE`) lead; among them
    the more precise (more significant digits). The figure is the median of the leaders left equally
    ranked (``n_tied`` of them; usually one), and ``source_ids`` lists all their sources: no source id
    decides it. ``disputed`` is True where those leaders disagree (see the module's note on disputes).
    ``n_figures`` counts the figures the choice was made among. ``with_range`` adds the range of the
    equally ranked leaders (``tied_low_usd``, ``tied_high_usd``).
    """
    return _ranked_figures(trade, with_range)


def _dedupe_largest(rows: np.ndarray, key: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``rows`` with one row per key: the largest value (keys are unique in valid data)."""
    if pd.Index(key[rows]).is_unique:
        return rows
    rows = rows[np.lexsort((-value[rows], key[rows]))]
    return rows[np.r_[True, key[rows][1:] != key[rows][:-1]]]


@dataclass(frozen=True)
class _Candidates:
    """Turnover candidates as integer-coded arrays (see :func:`turnover_candidates`)."""

    reporter: np.ndarray
    partner: np.ndarray
    year: np.ndarray
    source: np.ndarray
    value: np.ndarray
    derived: np.ndarray
    origin: np.ndarray
    countries: pd.Index
    sources: pd.Index

    @property
    def a(self) -> np.ndarray:
        return np.minimum(self.reporter, self.partner)

    @property
    def b(self) -> np.ndarray:
        return np.maximum(self.reporter, self.partner)

    def frame(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """The decoded columns shared by the candidate tables, for ``rows``."""
        return {
            "country_a": self.countries.take(self.a[rows]).to_numpy(),
            "country_b": self.countries.take(self.b[rows]).to_numpy(),
            "year": self.year[rows],
            "reporter_iso3": self.countries.take(self.reporter[rows]).to_numpy(),
            "turnover_usd": self.value[rows],
            "basis": np.where(self.derived[rows], BASIS_DERIVED, BASIS_STATED),
            "statistic_origin": np.asarray(ORIGIN_PRECEDENCE, dtype=object)[self.origin[rows]],
            "source_ids": self.sources.take(self.source[rows]).to_numpy(),
        }


def _coded_candidates(trade: pd.DataFrame) -> _Candidates:
    figures = full_year(trade)
    f = _code_figures(figures)
    n = len(f.countries)
    key = _combined_key((f.reporter, n), (f.partner, n), _year_codes(f.year), (f.source, len(f.sources)))
    value = f.value

    def rows_of(name: str) -> np.ndarray:
        return (
            np.flatnonzero(f.flow == f.flows.get_loc(name))
            if name in f.flows
            else np.array([], dtype="int64")
        )

    stated = rows_of("turnover")
    exports = _dedupe_largest(rows_of("exports"), key, value)
    imports = _dedupe_largest(rows_of("imports"), key, value)
    match = pd.Index(key[imports]).get_indexer(key[exports])
    paired_exports, paired_imports = exports[match >= 0], imports[match[match >= 0]]
    not_stated = pd.Index(key[stated]).get_indexer(key[paired_exports]) < 0
    paired_exports, paired_imports = paired_exports[not_stated], paired_imports[not_stated]
    rows = np.r_[stated, np.minimum(paired_exports, paired_imports)].astype("int64")
    origin = _origin_rank(figures["statistic_origin"])
    # a derived figure is only as authoritative as the less authoritative of its two rows
    derived_origin = np.maximum(origin[paired_exports], origin[paired_imports])
    return _Candidates(
        reporter=f.reporter[rows],
        partner=f.partner[rows],
        year=f.year[rows],
        source=f.source[rows],
        value=np.r_[value[stated], value[paired_exports] + value[paired_imports]],
        derived=np.r_[np.zeros(len(stated), bool), np.ones(len(paired_exports), bool)],
        origin=np.r_[origin[stated], derived_origin],
        countries=f.countries,
        sources=f.sources,
    )


def _as_str_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({column: "str" for column in frame.columns if frame[column].dtype == object})


def turnover_candidates(trade: pd.DataFrame) -> pd.DataFrame:
    """Every full-year turnover figure of every dyad: stated ones and derived ones.

    A derived figure is a reporter's exports plus imports for the same partner and year, both taken
    from the same source(s); it is only made where that source states no turnover itself.
    """
    c = _coded_candidates(trade)
    order = np.lexsort((c.value, c.reporter, c.year, c.b, c.a))
    return _as_str_columns(pd.DataFrame(c.frame(order)))


def _ranked_sides(trade: pd.DataFrame, with_range: bool = True) -> pd.DataFrame:
    """:func:`turnover_by_dyad`, with the range of each side's equally ranked candidates if
    ``with_range``."""
    c = _coded_candidates(trade)
    n = len(c.countries)
    ranked = _rank_within_groups(
        [(c.a, n), (c.b, n), _year_codes(c.year), (c.reporter, n)],
        [
            (c.origin, len(ORIGIN_PRECEDENCE)),
            (c.derived.astype("int64"), 2),
            _precision_rank(c.value),
        ],
        c.value,
    )
    leaders = _leaders(ranked, c.value, c.source, c.sources)
    sorted_values = c.value[ranked.order]
    columns = c.frame(ranked.order[ranked.starts])
    columns["turnover_usd"] = leaders.value
    starts = ranked.starts
    columns["low_usd"] = np.minimum.reduceat(sorted_values, starts) if len(starts) else sorted_values
    columns["high_usd"] = np.maximum.reduceat(sorted_values, starts) if len(starts) else sorted_values
    columns["n_candidates"] = ranked.sizes
    columns["n_tied"] = ranked.tied
    columns["disputed"] = leaders.disputed
    if with_range:
        columns["tied_low_usd"] = leaders.low
        columns["tied_high_usd"] = leaders.high
    sides = _as_str_columns(pd.DataFrame(columns))
    return (
        sides.assign(source_ids=leaders.source_ids(sides["source_ids"])) if leaders.joined_sources else sides
    )


def turnover_by_dyad(trade: pd.DataFrame, with_range: bool = False) -> pd.DataFrame:
    """Bilateral turnover by dyad, year and reporting side: one preferred figure per side.

    The side's candidates rank as in :func:`preferred_figures` (origin, then stated over derived, then
    precision); its figure is the median of the equally ranked leaders (``n_tied``), ``disputed`` where
    they disagree (see the module's note on disputes). ``low_usd``/``high_usd`` span all of that side's
    candidates; ``n_candidates`` counts them. ``with_range`` adds the range of the equally ranked
    leaders (``tied_low_usd``, ``tied_high_usd``).
    """
    return _ranked_sides(trade, with_range)


DISPUTE_COLUMNS = [
    "reporter_iso3",
    "partner_iso3",
    "year",
    "flow",
    "basis",
    "n_tied",
    "tied_low_usd",
    "tied_high_usd",
    "spread_pct",
    "estimate_usd",
    "source_ids",
]


def disputed_figures(trade: pd.DataFrame) -> pd.DataFrame:
    """Every disputed figure (see the module's note on disputes), one row each, with its range.

    A reporter's stated exports, imports or turnover for a partner and year (``basis`` stated), and a
    side's turnover derived from exports plus imports where the derived candidates are the ones in
    dispute (``basis`` exports+imports). ``tied_low_usd``-``tied_high_usd`` is the range of the
    ``n_tied`` equally ranked candidates, ``spread_pct`` their spread as a percentage of their midpoint,
    ``estimate_usd`` the median the indicators use until a curator settles the dispute, ``source_ids``
    the sources of the candidates.
    """
    figures = _ranked_figures(trade)
    stated = figures.loc[figures["disputed"]]
    stated = stated.assign(basis=BASIS_STATED, estimate_usd=stated["value_usd"])
    sides = _ranked_sides(trade)
    derived = sides.loc[sides["disputed"] & (sides["basis"] == BASIS_DERIVED)]
    derived = derived.assign(
        partner_iso3=derived["country_b"].where(
            derived["reporter_iso3"] == derived["country_a"], derived["country_a"]
        ),
        flow="turnover",
        estimate_usd=derived["turnover_usd"],
    )
    columns = [column for column in DISPUTE_COLUMNS if column != "spread_pct"]
    parts = [part[columns] for part in (stated, derived) if not part.empty]
    both = pd.concat(parts, ignore_index=True) if parts else stated[columns].astype({"basis": "str"})
    midpoint = (both["tied_low_usd"] + both["tied_high_usd"]) / 2
    both = both.assign(spread_pct=(both["tied_high_usd"] - both["tied_low_usd"]) / midpoint * 100)
    keys = ["reporter_iso3", "partner_iso3", "year", "flow", "basis"]
    ordered = both[DISPUTE_COLUMNS].sort_values(keys).reset_index(drop=True)
    return ordered.astype({"year": "int64", "n_tied": "int64", "spread_pct": "float64"})


def mirror_discrepancy(figures: pd.DataFrame) -> pd.DataFrame:
    """What one side reports against what its partner reports for the same flow and year.

    ``figures`` has one value per reporter, partner, year and flow (e.g. :func:`preferred_figures`).
    A's exports to B are compared with B's imports from A, and A's turnover with B's. Each pair
    appears once. ``discrepancy_usd`` = reported - mirror; ``discrepancy_pct`` = that difference as
    a percentage of the mean of the two (the symmetric relative difference, in percent).
    """
    keys = ["reporter_iso3", "partner_iso3", "year", "flow"]
    reporter, partner, countries = _country_codes(figures["reporter_iso3"], figures["partner_iso3"])
    flow_order = pd.Index(["exports", "imports", "turnover"])
    flow = flow_order.get_indexer(pd.Index(figures["flow"])).astype("int64")
    mirrored_flow = np.array([1, 0, 2])[flow]
    years = _year_codes(figures["year"].to_numpy(dtype="int64"))
    n = len(countries)
    key = _combined_key((reporter, n), (partner, n), years, (flow, 3))
    mirror_key = _combined_key((partner, n), (reporter, n), years, (mirrored_flow, 3))
    match = pd.Index(key).get_indexer(mirror_key)
    once = (match >= 0) & ((flow == 0) | ((flow == 2) & (reporter < partner)))
    rows = np.flatnonzero(once)
    rows = rows[np.argsort(key[rows], kind="stable")]
    reported = figures["value_usd"].to_numpy(dtype="float64")[rows]
    mirror = figures["value_usd"].to_numpy(dtype="float64")[match[rows]]
    difference = reported - mirror
    mean = (reported + mirror) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(mean > 0, difference / mean * 100, np.nan)
    result = figures[keys].iloc[rows].reset_index(drop=True)
    return result.assign(
        mirror_flow=flow_order.take(mirrored_flow[rows]).to_numpy(),
        reported_usd=reported,
        mirror_usd=mirror,
        discrepancy_usd=difference,
        discrepancy_pct=percent,
    ).astype({"mirror_flow": "str"})


def best_estimate(turnover: pd.DataFrame) -> pd.DataFrame:
    """One turnover estimate per dyad and year, with the range of all figures around it.

    Rule: the median of the reporting sides' preferred figures (with two sides, their mean), where a
    side whose preferred figure has an origin in :data:`~ots_analysis.vocab.SHOWN_NOT_AVERAGED` (a
    figure relayed in indirect speech) is left out of the median: it is shown, not averaged. Such a
    side still widens the range ``low_usd``-``high_usd``, which covers every candidate figure of
    either side; if no other side reports, ``best_usd`` is empty. ``turnover`` is the output of
    :func:`turnover_by_dyad`. ``reporters`` lists every side, ``;``-separated; ``n_averaged`` counts
    the sides in the median. ``disputed`` is True where a side in the median has a disputed figure (its
    equally ranked candidates disagree; see the module's note): the estimate then rests on their
    median, and ``low_usd``-``high_usd`` carries their range.
    """
    keys = [*_DYAD, "year"]
    averaged_side = ~turnover["statistic_origin"].isin(SHOWN_NOT_AVERAGED)
    averaged = turnover["turnover_usd"].where(averaged_side)
    disputed = turnover["disputed"].astype(bool) & averaged_side if "disputed" in turnover else False
    grouped = turnover.assign(averaged_usd=averaged, disputed_side=disputed).groupby(keys)
    estimate = grouped.agg(
        best_usd=("averaged_usd", "median"),
        low_usd=("low_usd", "min"),
        high_usd=("high_usd", "max"),
        n_reporters=("reporter_iso3", "size"),
        n_averaged=("averaged_usd", "count"),
        reporters=("reporter_iso3", lambda s: ";".join(sorted(s))),
        disputed=("disputed_side", "any"),
    )
    return estimate.reset_index().sort_values(keys).reset_index(drop=True)


def with_estimate(estimates: pd.DataFrame) -> pd.DataFrame:
    """The dyad-years of :func:`best_estimate` that have an estimate (``best_usd`` not empty)."""
    return estimates.loc[estimates["best_usd"].notna()]


def members_by_year(memberships: pd.DataFrame, organization: str, years: list[int]) -> pd.DataFrame:
    """Full members of ``organization`` on 31 December of each year: columns ``year``, ``iso3``."""
    spells = memberships.loc[
        (memberships["organization"] == organization) & (memberships["status"] == "member")
    ]
    rows = []
    for year in years:
        year_end = pd.Timestamp(year=year, month=12, day=31)
        active = (spells["start_date"] <= year_end) & (
            spells["end_date"].isna() | (spells["end_date"] >= year_end)
        )
        rows.append(pd.DataFrame({"year": year, "iso3": sorted(spells.loc[active, "iso3"].unique())}))
    if not rows:
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "iso3": pd.Series(dtype="str")})
    return pd.concat(rows, ignore_index=True)


def member_dyads(members: pd.DataFrame) -> pd.DataFrame:
    """Every dyad of two members in the same year: ``year``, ``country_a`` < ``country_b``."""
    pairs = members.merge(members, on="year", suffixes=("_a", "_b"))
    pairs = pairs.loc[pairs["iso3_a"] < pairs["iso3_b"]]
    pairs = pairs.rename(columns={"iso3_a": "country_a", "iso3_b": "country_b"})
    return pairs[["year", *_DYAD]].sort_values(["year", *_DYAD]).reset_index(drop=True)


def _joined(names: pd.Series) -> str:
    return ";".join(sorted(names.dropna()))


def bilateral_sum_within(estimates: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Sum of best-estimate turnover over dyads whose two countries are both members that year.

    ``members`` has columns ``year`` and ``iso3`` (see :func:`members_by_year`). Coverage:
    ``dyads_covered`` of ``dyads_possible`` (n members choose 2) are in the sum, listed in
    ``covered_dyads``; ``missing_dyads`` lists the others, never counted as zero: a sum over fewer
    than all dyads is a lower bound of the group's internal trade, and ``complete`` is True only when
    every dyad is covered, when the sum is an independent estimate of it. ``disputed_dyads`` lists
    the covered dyads whose estimate is disputed. Years without any estimate are left out.
    """
    dyads = member_dyads(members)
    keys = ["year", *_DYAD]
    estimated = with_estimate(estimates)
    columns = [*keys, "best_usd", *(["disputed"] if "disputed" in estimated.columns else [])]
    found = dyads.merge(estimated[columns], on=keys, how="left")
    name = found["country_a"] + "-" + found["country_b"]
    covered = found["best_usd"].notna()
    disputed = _disputed_column(found) & covered
    found = found.assign(
        covered=name.where(covered), missing=name.where(~covered), disputed_dyad=name.where(disputed)
    )
    summed = found.groupby("year").agg(
        bilateral_sum_usd=("best_usd", "sum"),
        dyads_covered=("covered", "count"),
        dyads_possible=("missing", "size"),
        covered_dyads=("covered", _joined),
        missing_dyads=("missing", _joined),
        disputed_dyads=("disputed_dyad", _joined),
    )
    summed = summed.loc[summed["dyads_covered"] > 0].reset_index()
    summed = summed.assign(complete=summed["dyads_covered"] == summed["dyads_possible"])
    order = ["year", "bilateral_sum_usd", "dyads_covered", "dyads_possible", "complete"]
    return summed[[*order, "covered_dyads", "missing_dyads", "disputed_dyads"]].astype(
        {"dyads_covered": "int64", "dyads_possible": "int64", "complete": "bool"}
    )


def aggregate_comparison(aggregates: pd.DataFrame, sums: pd.DataFrame) -> pd.DataFrame:
    """Each stated aggregate next to the bilateral sum the data give for its year, with the coverage
    behind that sum (:func:`bilateral_sum_within`: pairs covered of those possible, ``complete``).

    ``ratio`` = bilateral_sum_usd / value_usd: below 1 where the bilateral rows cover less than
    the stated total (missing dyads) or the statement overstates it.
    """
    columns = ["aggregate_id", "year", "scope", "measure", "value_usd", "stated_by", "source_ids"]
    joined = aggregates[columns].merge(sums, on="year", how="left")
    joined = joined.assign(
        ratio=joined["bilateral_sum_usd"] / joined["value_usd"],
        dyads_covered=joined["dyads_covered"].astype("Int64"),
        dyads_possible=joined["dyads_possible"].astype("Int64"),
        complete=joined["complete"].astype("boolean"),
    )
    return joined.sort_values(["year", "aggregate_id"]).reset_index(drop=True)


def year_on_year_growth(estimates: pd.DataFrame) -> pd.DataFrame:
    """Percent change of best-estimate turnover from the previous calendar year, per dyad.

    Growth is only computed between consecutive years (a gap, or a year without an estimate, leaves
    it empty). ``from_disputed`` marks a growth whose start or end estimate is disputed.
    """
    ordered = with_estimate(estimates).sort_values([*_DYAD, "year"])
    disputed = _disputed_column(ordered)
    previous_value = ordered.groupby(_DYAD)["best_usd"].shift()
    previous_year = ordered.groupby(_DYAD)["year"].shift()
    previous_disputed = disputed.groupby([ordered[c] for c in _DYAD]).shift(fill_value=False)
    consecutive = ordered["year"] - previous_year == 1
    growth = ((ordered["best_usd"] / previous_value - 1) * 100).where(consecutive)
    marked = consecutive & (disputed | previous_disputed.astype(bool))
    result = ordered[[*_DYAD, "year", "best_usd"]].assign(yoy_growth_pct=growth, from_disputed=marked)
    return result.reset_index(drop=True)


def _disputed_column(estimates: pd.DataFrame) -> pd.Series:
    if "disputed" not in estimates.columns:
        return pd.Series(False, index=estimates.index)
    return estimates["disputed"].fillna(False).astype(bool)


def compound_annual_growth(estimates: pd.DataFrame) -> pd.DataFrame:
    """CAGR of best-estimate turnover per dyad, from its first to its last year with data.

    CAGR = (last / first) ** (1 / (last_year - first_year)) - 1, in percent; empty for one year.
    Years without an estimate are skipped. ``from_disputed`` marks a CAGR whose first or last
    estimate is disputed.
    """
    ordered = with_estimate(estimates).sort_values([*_DYAD, "year"])
    grouped = ordered.assign(disputed_end=_disputed_column(ordered)).groupby(_DYAD)
    ends = grouped.agg(
        first_year=("year", "first"),
        last_year=("year", "last"),
        first_usd=("best_usd", "first"),
        last_usd=("best_usd", "last"),
        first_disputed=("disputed_end", "first"),
        last_disputed=("disputed_end", "last"),
    )
    span = ends["last_year"] - ends["first_year"]
    ratio = ends["last_usd"] / ends["first_usd"]
    cagr = ((ratio ** (1 / span.where(span > 0))) - 1) * 100
    marked = (span > 0) & (ends["first_disputed"] | ends["last_disputed"])
    ends = ends.drop(columns=["first_disputed", "last_disputed"])
    return ends.assign(cagr_pct=cagr, from_disputed=marked.astype(bool)).reset_index()


def import_figures(trade: pd.DataFrame, importer: str) -> pd.DataFrame:
    """Full-year imports of ``importer`` by supplier: its own import records or suppliers' exports.

    Rule: the importer's own record of imports from a supplier wins; where it has none, the
    supplier's reported exports to the importer (the mirror figure) stand in. ``basis`` says which.
    """
    into_importer = ((trade["reporter_iso3"] == importer) & (trade["flow"] == "imports")) | (
        (trade["partner_iso3"] == importer) & (trade["flow"] == "exports")
    )
    preferred = preferred_figures(trade.loc[into_importer])
    own = preferred.loc[(preferred["reporter_iso3"] == importer) & (preferred["flow"] == "imports")]
    own = own.rename(columns={"partner_iso3": "supplier_iso3"}).assign(basis="importer_imports")
    mirror = preferred.loc[(preferred["partner_iso3"] == importer) & (preferred["flow"] == "exports")]
    mirror = mirror.rename(columns={"reporter_iso3": "supplier_iso3"}).assign(basis="supplier_exports")
    columns = ["supplier_iso3", "year", "value_usd", "basis", "source_ids"]
    both = pd.concat([own[columns], mirror[columns]], ignore_index=True)
    return both.drop_duplicates(["supplier_iso3", "year"], keep="first").assign(importer_iso3=importer)


def supplier_shares(imports: pd.DataFrame) -> pd.DataFrame:
    """Each supplier's rank and share among the recorded suppliers of an importer in a year.

    ``imports`` has ``importer_iso3``, ``supplier_iso3``, ``year``, ``value_usd`` (see
    :func:`import_figures`). ``share_of_recorded`` = value / sum over the suppliers recorded that year
    (a fraction, summing to 1 per importer-year); it is not a share of all imports. Rank 1 = largest.
    """
    group = ["importer_iso3", "year"]
    total = imports.groupby(group)["value_usd"].transform("sum")
    ranked = imports.assign(
        share_of_recorded=(imports["value_usd"] / total).where(total > 0),
        rank=imports.groupby(group)["value_usd"].rank(method="min", ascending=False).astype("int64"),
        n_suppliers_recorded=imports.groupby(group)["value_usd"].transform("size"),
    )
    columns = [
        *group,
        "supplier_iso3",
        "value_usd",
        "share_of_recorded",
        "rank",
        "n_suppliers_recorded",
    ]
    extra = [c for c in ("basis", "source_ids") if c in ranked.columns]
    return ranked[columns + extra].sort_values([*group, "rank", "supplier_iso3"]).reset_index(drop=True)


def suppliers_by_importer(trade: pd.DataFrame) -> pd.DataFrame:
    """:func:`supplier_shares` of every country that has recorded imports (its own or mirrored).

    One block per importer, as :func:`import_figures` builds it, concatenated and sorted by
    importer, year and rank.
    """
    importers = sorted(
        set(trade.loc[trade["flow"] == "imports", "reporter_iso3"])
        | set(trade.loc[trade["flow"] == "exports", "partner_iso3"])
    )
    blocks = [supplier_shares(import_figures(trade, importer)) for importer in importers]
    if not blocks:
        return supplier_shares(import_figures(trade.iloc[0:0], ""))
    return pd.concat(blocks, ignore_index=True)


def most_connected(estimates: pd.DataFrame) -> str:
    """The country in the most dyads of :func:`best_estimate` (ties: alphabetically first)."""
    counts = pd.concat([estimates["country_a"], estimates["country_b"]]).value_counts()
    top = counts[counts == counts.max()]
    return str(sorted(top.index)[0])
