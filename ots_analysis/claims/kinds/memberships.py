"""Check kinds about who belongs to which organisation or region, and since when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.kinds.base import CheckKind, all_some_none
from ots_analysis.claims.parameters import COUNTRY, DATE, EVENT, ORGANIZATION, REGION, STATUS, parameter
from ots_analysis.indicators.memberships import active_spells
from ots_analysis.verdicts import CONTRADICTED, PARTLY, SUPPORTED, UNVERIFIABLE


def _holders(
    memberships: pd.DataFrame, organization: str, statuses: tuple[str, ...], on: pd.Timestamp
) -> set[str]:
    spells = memberships.loc[
        (memberships["organization"] == organization) & memberships["status"].isin(statuses)
    ]
    return set(active_spells(spells, on)["iso3"])


@dataclass(frozen=True, kw_only=True)
class FoundersAre(CheckKind):
    """The founding members of ``organization`` are exactly ``countries``.

    supported if the sets are equal; partly_supported if they overlap; contradicted otherwise.
    """

    kind = "founders-are"
    organization: str = parameter(ORGANIZATION, "The organisation.")
    countries: tuple[str, ...] = parameter(COUNTRY.listed(), "The founders the claim names.")

    def run(self, ctx: ClaimContext) -> CheckResult:
        memberships = ctx.memberships
        founders = set(
            memberships.loc[
                (memberships["organization"] == self.organization) & memberships["founding"].eq(True),
                "iso3",
            ]
        )
        stated = set(self.countries)
        verdict = SUPPORTED if founders == stated else PARTLY if founders & stated else CONTRADICTED
        value = ";".join(sorted(founders))
        return CheckResult(value, verdict, f"founders of {self.organization}: {value}")


@dataclass(frozen=True, kw_only=True)
class MembershipHolds(CheckKind):
    """Each of ``countries`` holds one of ``statuses`` in ``organization`` on ``on``.

    ``on`` defaults to the article's date. supported if all do; partly_supported if some do;
    contradicted if none does.
    """

    kind = "membership-holds"
    countries: tuple[str, ...] = parameter(COUNTRY.listed(), "The countries the claim names.")
    organization: str = parameter(ORGANIZATION, "The organisation.")
    statuses: tuple[str, ...] = parameter(STATUS.listed(), "Statuses that count (e.g. observer).")
    on: dt.date | None = parameter(DATE, "The date meant; default: the article's date.", default=None)

    def run(self, ctx: ClaimContext) -> CheckResult:
        on = self.on or self.as_of
        holders = _holders(ctx.memberships, self.organization, self.statuses, pd.Timestamp(on))
        held = sorted(set(self.countries) & holders)
        verdict = all_some_none(len(held), len(self.countries))
        value = f"{len(held)} of {len(self.countries)}: {';'.join(held)}"
        explanation = f"{'/'.join(self.statuses)} of {self.organization} on {on}: {value}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True, kw_only=True)
class AdmittedAt(CheckKind):
    """``country`` gained ``status`` in ``organization`` in the month of event ``event_id``.

    supported if its earliest dated spell with that status starts in the event's month; contradicted
    if it starts in another month; unverifiable if no dated spell is recorded.
    """

    kind = "admitted-at"
    country: str = parameter(COUNTRY, "The country admitted.")
    organization: str = parameter(ORGANIZATION, "The organisation.")
    status: str = parameter(STATUS, "The status gained.")
    event_id: str = parameter(EVENT, "The occasion the claim names (e.g. a summit).")

    def run(self, ctx: ClaimContext) -> CheckResult:
        memberships = ctx.memberships
        spells = memberships.loc[
            (memberships["iso3"] == self.country)
            & (memberships["organization"] == self.organization)
            & (memberships["status"] == self.status)
        ]
        event_date = pd.Timestamp(ctx.dated.set_index("event_id")["date"][self.event_id])
        if spells.empty or spells["start_date"].isna().all():
            return CheckResult("", UNVERIFIABLE, f"no dated {self.status} spell of {self.country}")
        start = pd.Timestamp(spells["start_date"].min())
        verdict = SUPPORTED if start.strftime("%Y-%m") == event_date.strftime("%Y-%m") else CONTRADICTED
        value = f"{self.status} since {start:%Y-%m-%d}"
        explanation = f"{self.country} {value}; {self.event_id} on {event_date:%Y-%m-%d}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True, kw_only=True)
class RegionalMembership(CheckKind):
    """ "Many" states of ``region``, ``must_include`` among them, belong to every one of ``organizations``.

    Rule: supported if ``must_include`` qualifies and more than half of the region's states do;
    partly_supported if ``must_include`` qualifies but half or fewer do; contradicted otherwise.
    Membership is full membership on ``on`` (default: the article's date).
    """

    kind = "regional-membership"
    organizations: tuple[str, ...] = parameter(ORGANIZATION.listed(), "Organisations all must belong to.")
    must_include: str = parameter(COUNTRY, "The state the claim names among them.")
    region: str = parameter(REGION, "The region (as listed in countries.csv).")
    on: dt.date | None = parameter(DATE, "The date meant; default: the article's date.", default=None)

    def run(self, ctx: ClaimContext) -> CheckResult:
        on = pd.Timestamp(self.on or self.as_of)
        region = ctx.region_members(self.region)
        qualifying = set(region)
        for organization in self.organizations:
            qualifying &= _holders(ctx.memberships, organization, ("member",), on)
        if self.must_include not in qualifying:
            verdict = CONTRADICTED
        else:
            verdict = SUPPORTED if len(qualifying) * 2 > len(region) else PARTLY
        value = f"{len(qualifying)} of {len(region)}: {';'.join(sorted(qualifying))}"
        explanation = f"states of {self.region} in {' and '.join(self.organizations)}: {value}"
        return CheckResult(value, verdict, explanation)


@dataclass(frozen=True, kw_only=True)
class OnlyNonTurkic(CheckKind):
    """``country`` is the only state of ``region`` whose majority ethnic group is not Turkic.

    supported if it is the only one; contradicted otherwise; unverifiable if the majority group is not
    sourced for every state of the region.
    """

    kind = "only-non-turkic"
    country: str = parameter(COUNTRY, "The state the claim singles out.")
    region: str = parameter(REGION, "The region (as listed in countries.csv).")

    def run(self, ctx: ClaimContext) -> CheckResult:
        countries = ctx.raw.countries
        region = countries.loc[countries["iso3"].isin(ctx.region_members(self.region))]
        if region["turkic_majority"].isna().any():
            return CheckResult(
                "", UNVERIFIABLE, f"ethnic majority not sourced for every state of {self.region}"
            )
        non_turkic = sorted(region.loc[region["turkic_majority"].eq(False), "iso3"])
        verdict = SUPPORTED if non_turkic == [self.country] else CONTRADICTED
        value = ";".join(non_turkic)
        return CheckResult(value, verdict, f"states of {self.region} without a Turkic majority: {value}")
