"""Computed checks of the article's claims, and the claims register with their verdicts.

Each checkable claim (dates, intervals, figures, memberships, events) has a check in
:data:`CLAIM_CHECKS`: an instance of one small check kind, holding what the article states. A check
reads the validated data and the indicators through :class:`ClaimContext` and returns a
:class:`CheckResult`: the computed value, a verdict on the project's scale, and one line of
explanation. Documentary claims (who said what) keep the curated verdict of ``claims.csv``.

Verdict scale: ``supported`` (confirmed as stated), ``partly_supported`` (the core holds, a date,
name, figure or framing is off), ``contradicted`` (the evidence shows it wrong), ``unverifiable``
(no adequate public evidence either way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Protocol, cast

import pandas as pd

from ots_analysis.article import ARTICLE
from ots_analysis.errors import Failure
from ots_analysis.indicators import timeline, trade
from ots_analysis.indicators.memberships import active_spells
from ots_analysis.load import RawData

SUPPORTED = "supported"
PARTLY = "partly_supported"
CONTRADICTED = "contradicted"
UNVERIFIABLE = "unverifiable"
VERDICT_ORDER = (SUPPORTED, PARTLY, CONTRADICTED, UNVERIFIABLE)
ARTICLE_DATE = pd.Timestamp(ARTICLE.date_published)


@dataclass(frozen=True)
class CheckResult:
    """What a check computed: a value to show, a verdict, and why."""

    computed_value: str
    verdict: str
    explanation: str


class ClaimContext:
    """The validated data and the indicators the checks read, each computed once on demand."""

    def __init__(self, raw: RawData) -> None:
        self.raw = raw

    @cached_property
    def events(self) -> pd.DataFrame:
        """Preferred rows of the timeline."""
        return self.raw.preferred("events")

    @cached_property
    def defense(self) -> pd.DataFrame:
        """Preferred rows of the defence-cooperation events."""
        return self.raw.preferred("defense_cooperation")

    @cached_property
    def memberships(self) -> pd.DataFrame:
        """Preferred membership spells."""
        return self.raw.preferred("memberships")

    @cached_property
    def dated(self) -> pd.DataFrame:
        """Timeline and defence events in one frame (preferred rows)."""
        return timeline.dated_events(self.events, self.defense)

    @cached_property
    def best_turnover(self) -> pd.DataFrame:
        """Best-estimate turnover per dyad and year."""
        return trade.best_estimate(trade.turnover_by_dyad(self.raw.trade))

    def supplier_shares(self, importer: str) -> pd.DataFrame:
        """Suppliers' ranks and shares among an importer's recorded suppliers."""
        return trade.supplier_shares(trade.import_figures(self.raw.trade, importer))


class Check(Protocol):
    """A claim check: a kind name, the event ids it refers to, and how to run it."""

    kind: ClassVar[str]

    def event_ids(self) -> tuple[str, ...]: ...

    def run(self, ctx: ClaimContext) -> CheckResult: ...


def _usd(value: float) -> str:
    return f"USD {value / 1e9:.2f} bn"


def _graded(distance: float, tolerance: float) -> str:
    """supported within the tolerance, partly within twice it, else contradicted."""
    if distance <= tolerance:
        return SUPPORTED
    if distance <= 2 * tolerance:
        return PARTLY
    return CONTRADICTED


def _stated_precision(stated: str) -> str:
    return {4: "year", 7: "month", 10: "day"}[len(stated)]


@dataclass(frozen=True)
class DateMatches:
    """The event happened at the stated date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).

    supported if the dates agree at the stated precision; partly_supported if only the year agrees;
    contradicted otherwise; unverifiable if the data know the date less precisely than stated.
    """

    kind: ClassVar[str] = "date-matches"
    event_id: str
    stated: str

    def event_ids(self) -> tuple[str, ...]:
        return (self.event_id,)

    def run(self, ctx: ClaimContext) -> CheckResult:
        event = ctx.dated.set_index("event_id").loc[self.event_id]
        precision = _stated_precision(self.stated)
        order = ("day", "month", "year")
        if order.index(event["date_precision"]) > order.index(precision):
            verdict = UNVERIFIABLE
        else:
            width = len(self.stated)
            actual = event["date"].strftime("%Y-%m-%d")[:width]
            if actual == self.stated:
                verdict = SUPPORTED
            elif actual[:4] == self.stated[:4]:
                verdict = PARTLY
            else:
                verdict = CONTRADICTED
        value = f"{event['date']:%Y-%m-%d} ({event['date_precision']} precision)"
        return CheckResult(value, verdict, f"{self.event_id} dated {value}; stated {self.stated}")


@dataclass(frozen=True)
class IntervalAbout:
    """The interval between two events is about ``stated_months`` months.

    Graded by |actual - stated| against ``tolerance_months`` (see :func:`_graded`).
    """

    kind: ClassVar[str] = "interval-about"
    from_event: str
    to_event: str
    stated_months: float
    tolerance_months: float

    def event_ids(self) -> tuple[str, ...]:
        return (self.from_event, self.to_event)

    def run(self, ctx: ClaimContext) -> CheckResult:
        pairs = pd.DataFrame({"from_event": [self.from_event], "to_event": [self.to_event]})
        found = timeline.intervals(ctx.dated, pairs).iloc[0]
        months = float(found["months"])
        verdict = _graded(abs(months - self.stated_months), self.tolerance_months)
        value = f"{months:.1f} months ({int(found['days'])} days)"
        explanation = (
            f"{self.from_event} ({found['from_date']:%Y-%m-%d}) to {self.to_event} "
            f"({found['to_date']:%Y-%m-%d}): {value}; stated about {self.stated_months:g} months"
        )
        return CheckResult(value, verdict, explanation)


def _summit(ctx: ClaimContext, series: str, number: int) -> pd.DataFrame:
    events = ctx.events
    return events.loc[(events["series"] == series) & (events["summit_number"] == number)]


@dataclass(frozen=True)
class SummitHeld:
    """Summit ``number`` of ``series`` was held in ``city`` (and in ``stated_month``, if given).

    supported if city (and month) agree; partly_supported if the city agrees but not the month;
    contradicted if the summit was held elsewhere; unverifiable if the data lack the summit.
    """

    kind: ClassVar[str] = "summit-held"
    series: str
    number: int
    city: str
    stated_month: str | None = None

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        summit = _summit(ctx, self.series, self.number)
        if summit.empty:
            return CheckResult("", UNVERIFIABLE, f"no summit {self.number} of {self.series} in the data")
        row = summit.iloc[0]
        city_ok = str(row["city"]).casefold() == self.city.casefold()
        month_ok = self.stated_month is None or row["date"].strftime("%Y-%m") == self.stated_month
        verdict = SUPPORTED if city_ok and month_ok else PARTLY if city_ok else CONTRADICTED
        value = f"{row['city']}, {row['country_iso3']}, {row['date']:%Y-%m-%d}"
        stated = self.city + (f", {self.stated_month}" if self.stated_month else "")
        return CheckResult(value, verdict, f"summit {self.number} held in {value}; stated {stated}")


@dataclass(frozen=True)
class SameOccasion:
    """Event ``event_id`` took place at ``occasion_id``: same date and same city.

    supported if both agree; partly_supported if only the date agrees; contradicted otherwise.
    """

    kind: ClassVar[str] = "same-occasion"
    event_id: str
    occasion_id: str

    def event_ids(self) -> tuple[str, ...]:
        return (self.event_id, self.occasion_id)

    def run(self, ctx: ClaimContext) -> CheckResult:
        events = ctx.events.set_index("event_id")
        event, occasion = events.loc[self.event_id], events.loc[self.occasion_id]
        same_date = event["date"] == occasion["date"]
        same_city = str(event["city"]).casefold() == str(occasion["city"]).casefold()
        verdict = SUPPORTED if same_date and same_city else PARTLY if same_date else CONTRADICTED
        value = f"{event['date']:%Y-%m-%d} {event['city']} / {occasion['date']:%Y-%m-%d} {occasion['city']}"
        return CheckResult(value, verdict, f"{self.event_id} vs {self.occasion_id}: {value}")


@dataclass(frozen=True)
class DocumentAdopted:
    """Summit ``number`` of ``series`` adopted a document whose name contains ``document``."""

    kind: ClassVar[str] = "document-adopted"
    series: str
    number: int
    document: str

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        summit = _summit(ctx, self.series, self.number)
        documents = summit["documents"].dropna()
        if documents.empty:
            return CheckResult("", UNVERIFIABLE, f"no documents recorded for summit {self.number}")
        listed = documents.iloc[0]
        found = self.document.casefold() in listed.casefold()
        verdict = SUPPORTED if found else CONTRADICTED
        return CheckResult(listed, verdict, f"summit {self.number} documents: {listed}")


def _holders(
    memberships: pd.DataFrame, organization: str, statuses: tuple[str, ...], on: pd.Timestamp
) -> set[str]:
    spells = memberships.loc[
        (memberships["organization"] == organization) & memberships["status"].isin(statuses)
    ]
    return set(active_spells(spells, on)["iso3"])


def _share_verdict(held: int, total: int) -> str:
    return SUPPORTED if held == total else PARTLY if held else CONTRADICTED


@dataclass(frozen=True)
class FoundersAre:
    """The founding members of ``organization`` are exactly ``iso3s``.

    supported if the sets are equal; partly_supported if they overlap; contradicted otherwise.
    """

    kind: ClassVar[str] = "founders-are"
    organization: str
    iso3s: tuple[str, ...]

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        memberships = ctx.memberships
        founders = set(
            memberships.loc[
                (memberships["organization"] == self.organization) & memberships["founding"].eq(True),
                "iso3",
            ]
        )
        stated = set(self.iso3s)
        verdict = SUPPORTED if founders == stated else PARTLY if founders & stated else CONTRADICTED
        value = ";".join(sorted(founders))
        return CheckResult(value, verdict, f"founders of {self.organization}: {value}")


@dataclass(frozen=True)
class MembershipHolds:
    """Each of ``iso3s`` holds one of ``statuses`` in ``organization`` on ``on`` (the article's date).

    supported if all do; partly_supported if some do; contradicted if none does.
    """

    kind: ClassVar[str] = "membership-holds"
    iso3s: tuple[str, ...]
    organization: str
    statuses: tuple[str, ...]
    on: dt.date = ARTICLE.date_published

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        holders = _holders(ctx.memberships, self.organization, self.statuses, pd.Timestamp(self.on))
        held = sorted(set(self.iso3s) & holders)
        verdict = _share_verdict(len(held), len(self.iso3s))
        value = f"{len(held)} of {len(self.iso3s)}: {';'.join(held)}"
        explanation = f"{'/'.join(self.statuses)} of {self.organization} on {self.on}: {value}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True)
class AdmittedAt:
    """``iso3`` gained ``status`` in ``organization`` in the month of event ``event_id``."""

    kind: ClassVar[str] = "admitted-at"
    iso3: str
    organization: str
    status: str
    event_id: str

    def event_ids(self) -> tuple[str, ...]:
        return (self.event_id,)

    def run(self, ctx: ClaimContext) -> CheckResult:
        memberships = ctx.memberships
        spells = memberships.loc[
            (memberships["iso3"] == self.iso3)
            & (memberships["organization"] == self.organization)
            & (memberships["status"] == self.status)
        ]
        dates = ctx.dated.set_index("event_id")["date"]
        event_date = pd.Timestamp(dates[self.event_id])
        if spells.empty or spells["start_date"].isna().all():
            return CheckResult("", UNVERIFIABLE, f"no dated {self.status} spell of {self.iso3}")
        start = pd.Timestamp(spells["start_date"].min())
        same_month = start.strftime("%Y-%m") == event_date.strftime("%Y-%m")
        verdict = SUPPORTED if same_month else CONTRADICTED
        value = f"{self.status} since {start:%Y-%m-%d}"
        explanation = f"{self.iso3} {value}; {self.event_id} on {event_date:%Y-%m-%d}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True)
class RegionalMembership:
    """ "Many" states of a region, ``must_include`` among them, belong to every one of ``organizations``.

    Rule: supported if ``must_include`` qualifies and more than half of the region's states do;
    partly_supported if ``must_include`` qualifies but half or fewer do; contradicted otherwise.
    The region is the set of countries with ``central_asia`` true.
    """

    kind: ClassVar[str] = "regional-membership"
    organizations: tuple[str, ...]
    must_include: str
    on: dt.date = ARTICLE.date_published

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        countries = ctx.raw.countries
        region = set(countries.loc[countries["central_asia"].eq(True), "iso3"])
        qualifying = set(region)
        for organization in self.organizations:
            qualifying &= _holders(ctx.memberships, organization, ("member",), pd.Timestamp(self.on))
        if self.must_include not in qualifying:
            verdict = CONTRADICTED
        else:
            verdict = SUPPORTED if len(qualifying) * 2 > len(region) else PARTLY
        value = f"{len(qualifying)} of {len(region)}: {';'.join(sorted(qualifying))}"
        explanation = f"Central Asian members of {' and '.join(self.organizations)}: {value}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True)
class FigureNear:
    """Turnover between two countries "has reached" ``stated_usd`` in the latest year with data.

    Uses the best estimate (median of the reporting sides) of the latest full year up to
    ``last_year``. supported if the stated value is within ``tolerance_pct`` of the estimate or
    inside the range of reported figures; partly_supported within twice the tolerance; else
    contradicted; unverifiable without data.
    """

    kind: ClassVar[str] = "figure-near"
    country_a: str
    country_b: str
    stated_usd: float
    tolerance_pct: float
    last_year: int = ARTICLE.date_published.year - 1

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        best = ctx.best_turnover
        a, b = sorted((self.country_a, self.country_b))
        series = best.loc[
            (best["country_a"] == a) & (best["country_b"] == b) & (best["year"] <= self.last_year)
        ]
        if series.empty:
            return CheckResult("", UNVERIFIABLE, f"no full-year turnover for {a}-{b}")
        latest = series.sort_values("year").iloc[-1]
        distance = abs(latest["best_usd"] - self.stated_usd) / self.stated_usd * 100
        in_range = latest["low_usd"] <= self.stated_usd <= latest["high_usd"]
        verdict = SUPPORTED if in_range else _graded(distance, self.tolerance_pct)
        value = (
            f"{int(latest['year'])}: {_usd(latest['best_usd'])} "
            f"(range {_usd(latest['low_usd'])}-{_usd(latest['high_usd'])}; reported by {latest['reporters']})"
        )
        explanation = f"{a}-{b} turnover {value}; stated {_usd(self.stated_usd)}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True)
class AggregateStated:
    """An official statement put ``scope`` trade for ``year`` at ``stated_usd`` (as ``measure``).

    supported if a recorded statement of that scope, year and measure is within ``tolerance_pct``;
    partly_supported if one exists with another value or only with another measure; unverifiable
    if none is recorded.
    """

    kind: ClassVar[str] = "aggregate-stated"
    scope: str
    year: int
    measure: str
    stated_usd: float
    tolerance_pct: float

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        aggregates = ctx.raw.trade_aggregates
        rows = aggregates.loc[(aggregates["scope"] == self.scope) & (aggregates["year"] == self.year)]
        if rows.empty:
            return CheckResult("", UNVERIFIABLE, f"no recorded {self.scope} total for {self.year}")
        distance = (rows["value_usd"] - self.stated_usd).abs() / self.stated_usd * 100
        exact = rows.loc[(distance <= self.tolerance_pct) & (rows["measure"] == self.measure)]
        verdict = SUPPORTED if not exact.empty else PARTLY
        shown = exact if not exact.empty else rows
        value = "; ".join(
            f"{measure} {_usd(amount)} ({who})"
            for measure, amount, who in zip(
                shown["measure"],
                shown["value_usd"].to_numpy(dtype="float64"),
                shown["stated_by"],
                strict=True,
            )
        )
        return CheckResult(
            value, verdict, f"{self.scope} {self.year}: {value}; stated {_usd(self.stated_usd)}"
        )


@dataclass(frozen=True)
class DefenseEventExists:
    """A defence event with these ``parties`` (at least), of one of ``kinds``, in ``year``
    (any year up to the article's date when ``year`` is None).

    Details (``month``, ``host_iso3``, any of ``systems``) refine it: supported if an event matches
    core and details; partly_supported if one matches the core only; unverifiable if none does.
    ``event_id`` names the event the claim refers to, shown when it is among the matches.
    """

    kind: ClassVar[str] = "defense-event-exists"
    parties: tuple[str, ...]
    kinds: tuple[str, ...]
    year: int | None
    month: int | None = None
    host_iso3: str | None = None
    systems: tuple[str, ...] = ()
    event_id: str | None = None

    def event_ids(self) -> tuple[str, ...]:
        return (self.event_id,) if self.event_id else ()

    def _details(self, events: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=events.index)
        if self.month is not None:
            ok &= events["date"].dt.month.eq(self.month) & events["date_precision"].ne("year")
        if self.host_iso3 is not None:
            ok &= events["host_iso3"].eq(self.host_iso3).fillna(False).astype(bool)
        if self.systems:
            pattern = "|".join(self.systems)
            ok &= events["system"].str.contains(pattern, case=False, regex=True).fillna(False).astype(bool)
        return ok

    def run(self, ctx: ClaimContext) -> CheckResult:
        defense = ctx.defense
        parties = defense["parties"].str.split(";")
        core = (
            parties.map(lambda listed: set(self.parties) <= set(listed)).astype(bool)
            & defense["kind"].isin(self.kinds)
            & (defense["date"].dt.year.eq(self.year) if self.year else defense["date"].le(ARTICLE_DATE))
        )
        matched = defense.loc[core]
        if matched.empty:
            return CheckResult(
                "", UNVERIFIABLE, f"no {'/'.join(self.kinds)} of {self.parties} in {self.year}"
            )
        full = matched.loc[self._details(matched)]
        verdict = SUPPORTED if not full.empty else PARTLY
        candidates = full if not full.empty else matched
        named = candidates.loc[candidates["event_id"] == self.event_id]
        shown = (named if not named.empty else candidates).iloc[0]
        system = f", {shown['system']}" if pd.notna(shown["system"]) else ""
        value = f"{shown['event_id']} ({shown['date']:%Y-%m-%d}, {shown['kind']}{system})"
        return CheckResult(value, verdict, f"matching event: {value}")


@dataclass(frozen=True)
class RecurringExercises:
    """Exercises with exactly ``parties`` recur: held in at least ``min_years`` distinct years."""

    kind: ClassVar[str] = "recurring-exercises"
    parties: tuple[str, ...]
    min_years: int

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        defense = ctx.defense
        same = defense["parties"].str.split(";").map(lambda listed: set(listed) == set(self.parties))
        exercises = defense.loc[same.astype(bool) & defense["kind"].eq("exercise")]
        years = sorted(exercises["date"].dt.year.unique())
        verdict = SUPPORTED if len(years) >= self.min_years else PARTLY if years else UNVERIFIABLE
        value = f"{len(exercises)} exercises in {len(years)} years: {', '.join(map(str, years))}"
        return CheckResult(value, verdict, f"{';'.join(self.parties)} exercises: {value}")


@dataclass(frozen=True)
class SupplierRank:
    """``supplier`` out-ranks ``rival`` among ``importer``'s suppliers in the latest year with both.

    supported if it does; contradicted if the rival ranks higher; unverifiable without both.
    """

    kind: ClassVar[str] = "supplier-rank"
    importer: str
    supplier: str
    rival: str

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        shares = ctx.supplier_shares(self.importer)
        pair = shares.loc[shares["supplier_iso3"].isin([self.supplier, self.rival])]
        both_years = pair.groupby("year")["supplier_iso3"].nunique()
        years = both_years[both_years == 2].index
        if len(years) == 0:
            return CheckResult("", UNVERIFIABLE, f"no year with both {self.supplier} and {self.rival}")
        latest = pair.loc[pair["year"] == years.max()].set_index("supplier_iso3")
        ahead = latest.loc[self.supplier, "value_usd"] > latest.loc[self.rival, "value_usd"]
        verdict = SUPPORTED if ahead else CONTRADICTED
        value = (
            f"{years.max()}: {self.supplier} {_usd(latest.loc[self.supplier, 'value_usd'])}, "
            f"{self.rival} {_usd(latest.loc[self.rival, 'value_usd'])}"
        )
        return CheckResult(value, verdict, f"imports of {self.importer}, {value}")


@dataclass(frozen=True)
class MajorityShare:
    """``supplier`` holds more than ``threshold_pct`` of ``recipient``'s arms imports (latest period)."""

    kind: ClassVar[str] = "majority-share"
    recipient: str
    supplier: str
    threshold_pct: float = 50.0

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        arms = ctx.raw.arms_suppliers
        rows = arms.loc[(arms["recipient_iso3"] == self.recipient) & (arms["supplier_iso3"] == self.supplier)]
        if rows.empty:
            return CheckResult("", UNVERIFIABLE, f"no share of {self.supplier} in {self.recipient}'s imports")
        dated = rows.dropna(subset=["period_end"])
        if dated.empty:
            return CheckResult(
                "", UNVERIFIABLE, f"no dated share of {self.supplier} in {self.recipient}'s imports"
            )
        latest = dated.sort_values(["period_end", "period_start"]).iloc[-1]
        verdict = SUPPORTED if latest["share_pct"] > self.threshold_pct else CONTRADICTED
        value = f"{latest['share_pct']:g}% in {latest['period_start']}-{latest['period_end']}"
        return CheckResult(value, verdict, f"{self.supplier} share of {self.recipient} arms imports: {value}")


@dataclass(frozen=True)
class OnlyNonTurkic:
    """``iso3`` is the only Central Asian state whose majority ethnic group is not Turkic."""

    kind: ClassVar[str] = "only-non-turkic"
    iso3: str

    def event_ids(self) -> tuple[str, ...]:
        return ()

    def run(self, ctx: ClaimContext) -> CheckResult:
        countries = ctx.raw.countries
        region = countries.loc[countries["central_asia"].eq(True)]
        if region["turkic_majority"].isna().any():
            return CheckResult("", UNVERIFIABLE, "ethnic majority not sourced for every Central Asian state")
        non_turkic = sorted(region.loc[region["turkic_majority"].eq(False), "iso3"])
        verdict = SUPPORTED if non_turkic == [self.iso3] else CONTRADICTED
        value = ";".join(non_turkic)
        return CheckResult(value, verdict, f"Central Asian states without a Turkic majority: {value}")


_SUMMITS = "ots_heads_of_state"
_TURKISH_DRONES = ("Bayraktar", "TB2", "Akinci", "Aksungur", "Anka")
_TRILATERAL = ("AZE", "GEO", "TUR")

CLAIM_CHECKS: Mapping[str, Check] = {
    "C01": SummitHeld(_SUMMITS, 12, "Gabala"),
    "C04": DateMatches("aze-election-2024", "2024-02"),
    "C06": IntervalAbout("ots-summit-10", "aze-inauguration-2024", stated_months=36, tolerance_months=3),
    "C07": IntervalAbout("aze-inauguration-2024", "ots-summit-12", stated_months=10, tolerance_months=1.5),
    "C08": DateMatches("nakhchivan-agreement", "2009-10"),
    "C09": FoundersAre("OTS", ("AZE", "KAZ", "KGZ", "TUR")),
    "C10": SameOccasion("nakhchivan-agreement", "tss-summit-9"),
    "C11": SummitHeld(_SUMMITS, 8, "Istanbul", stated_month="2021-11"),
    "C12": DocumentAdopted(_SUMMITS, 8, "Turkic World Vision 2040"),
    "C13": AdmittedAt("TKM", "OTS", "observer", "ots-summit-8"),
    "C14": MembershipHolds(("HUN", "XNC"), "OTS", ("observer",)),
    "C16": DefenseEventExists(("AZE", "TUR"), ("declaration",), 2021, event_id="da-shusha-declaration-2021"),
    "C19": DefenseEventExists(
        ("KAZ", "TUR"), ("agreement", "memorandum", "contract"), 2022, systems=("Anka",)
    ),
    "C20": DefenseEventExists(("KGZ", "TUR"), ("contract", "delivery"), None, systems=("Ranger",)),
    "C21": DefenseEventExists(("TKM", "TUR"), ("contract", "delivery"), None, systems=_TURKISH_DRONES),
    "C22": DefenseEventExists(("TUR", "UZB"), ("contract", "delivery"), None, systems=_TURKISH_DRONES),
    "C23": DateMatches("erdogan-visit-kaz-2022", "2022-10"),
    "C24": DefenseEventExists(
        ("KAZ", "TUR"), ("memorandum",), 2022, month=10, event_id="db-kaz-tur-tai-kazsat-ghalam-mou-2022"
    ),
    "C25": DefenseEventExists(("KAZ", "TUR"), ("protocol",), 2022, month=10),
    "C26": FigureNear("TUR", "KAZ", stated_usd=6e9, tolerance_pct=10),
    "C27": FigureNear("TUR", "UZB", stated_usd=3e9, tolerance_pct=10),
    "C28": SupplierRank("TKM", "TUR", "CHN"),
    "C29": AggregateStated("intra_ots", 2023, "expected", stated_usd=42e9, tolerance_pct=5),
    "C30": RegionalMembership(("EAEU", "CSTO"), "KAZ"),
    "C34": MajorityShare("KAZ", "RUS"),
    "C36": RecurringExercises(_TRILATERAL, min_years=3),
    "C37": DefenseEventExists(_TRILATERAL, ("exercise",), 2017, month=6, host_iso3="GEO"),
    "C38": DefenseEventExists(_TRILATERAL, ("exercise",), 2019, host_iso3="AZE"),
    "C39": OnlyNonTurkic("TJK"),
}
"""The computed check of each claim that data can decide, by claim id.

Tolerances: an interval stated in years is read at +/-3 months, one in months at +/-1.5 months;
a trade figure stated in round billions at +/-10 % (the rounding of "$6 billion" spans 5.5-6.5).
"""


def run_checks(raw: RawData, checks: Mapping[str, Check] | None = None) -> pd.DataFrame:
    """Run every check; one row per claim id with ``check``, ``computed_value``,
    ``computed_verdict`` and ``explanation``."""
    registry = CLAIM_CHECKS if checks is None else checks
    ctx = ClaimContext(raw)
    rows = []
    for claim_id, check in sorted(registry.items()):
        result = check.run(ctx)
        rows.append(
            {
                "claim_id": claim_id,
                "computed_check": check.kind,
                "computed_value": result.computed_value,
                "computed_verdict": result.verdict,
                "explanation": result.explanation,
            }
        )
    return pd.DataFrame(
        rows, columns=["claim_id", "computed_check", "computed_value", "computed_verdict", "explanation"]
    )


def claims_register(raw: RawData, checks: Mapping[str, Check] | None = None) -> pd.DataFrame:
    """The claims register with computed results and the final verdict.

    ``final_verdict`` is the computed verdict where a check exists, else the curated one;
    ``agrees`` is False where a curated verdict disagrees with its check.
    """
    computed = run_checks(raw, checks)
    register = raw.claims.reset_index(drop=True).merge(computed, on="claim_id", how="left")
    final = register["computed_verdict"].fillna(register["verdict"])
    agrees = register["computed_verdict"].isna() | register["computed_verdict"].eq(register["verdict"])
    register = register.assign(final_verdict=final, agrees=agrees.astype(bool))
    return register.sort_values("claim_id").reset_index(drop=True)


def claim_reference_failures(
    raw: RawData, file: str, checks: Mapping[str, Check] | None = None
) -> list[Failure]:
    """Failures where claims.csv and the check registry disagree or a check names an unknown event.

    Reported at the claims.csv line of the claim: a ``check`` cell that differs from the registered
    kind (or names a check that does not exist), and event ids that no table defines.
    """
    registry = CLAIM_CHECKS if checks is None else checks
    claims = raw.claims
    known_events = set(raw.events["event_id"]) | set(raw.defense_cooperation["event_id"])
    column = list(claims.columns).index("check") + 1
    failures: list[Failure] = []
    for line, claim in claims.iterrows():
        registered = registry.get(claim["claim_id"])
        stated = claim["check"] if pd.notna(claim["check"]) else ""
        expected = registered.kind if registered else ""
        if stated != expected:
            rule = f"check must be {expected!r} (the registered check of {claim['claim_id']})"
            failures.append(Failure(file, int(cast(int, line)), column, "check", str(stated), rule))
        for event_id in registered.event_ids() if registered else ():
            if event_id not in known_events:
                rule = f"the check of {claim['claim_id']} names an unknown event id"
                failures.append(Failure(file, int(cast(int, line)), column, "check", event_id, rule))
    missing = sorted(set(registry) - set(claims["claim_id"]))
    failures += [
        Failure(file, 0, 0, "claim_id", claim_id, "registered check has no claim") for claim_id in missing
    ]
    return failures


def interval_claims(raw: RawData, checks: Mapping[str, Check] | None = None) -> pd.DataFrame:
    """The article's stated intervals next to the intervals in the data, one row per interval claim.

    Columns: ``claim_id``, ``from_event``, ``to_event``, ``stated_months``, ``actual_months``,
    ``days``.
    """
    registry = CLAIM_CHECKS if checks is None else checks
    interval_checks = {cid: c for cid, c in registry.items() if isinstance(c, IntervalAbout)}
    ctx = ClaimContext(raw)
    pairs = pd.DataFrame(
        {
            "claim_id": list(interval_checks),
            "from_event": [c.from_event for c in interval_checks.values()],
            "to_event": [c.to_event for c in interval_checks.values()],
            "stated_months": [float(c.stated_months) for c in interval_checks.values()],
        }
    )
    found = timeline.intervals(ctx.dated, pairs[["from_event", "to_event"]])
    return pairs.assign(actual_months=found["months"].to_numpy(), days=found["days"].to_numpy())
