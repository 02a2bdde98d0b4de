"""Check kinds about defence cooperation: instruments, exercises, and arms suppliers' shares."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.kinds.base import CheckKind
from ots_analysis.claims.parameters import (
    COUNTRY,
    DEFENSE_EVENT,
    DEFENSE_KIND,
    INTEGER,
    MONTH,
    NUMBER,
    TEXT,
    parameter,
)
from ots_analysis.verdicts import CONTRADICTED, PARTLY, SUPPORTED, UNVERIFIABLE


def _listed_parties(defense: pd.DataFrame) -> pd.Series:
    return defense["parties"].str.split(";").map(set)


@dataclass(frozen=True, kw_only=True)
class DefenseEventExists(CheckKind):
    """A defence event with these ``parties`` (at least), of one of ``kinds``, in ``year`` (any year up
    to the article's date when ``year`` is empty).

    Details (``month``, ``host_iso3``, any of ``systems``) refine it: supported if an event matches
    core and details; partly_supported if one matches the core only; unverifiable if none does.
    ``event_id`` names the event the claim refers to, shown when it is among the matches.
    """

    kind = "defense-event-exists"
    parties: tuple[str, ...] = parameter(COUNTRY.listed(), "States that must all be parties.")
    kinds: tuple[str, ...] = parameter(DEFENSE_KIND.listed(), "Kinds of event that count.")
    year: int | None = parameter(INTEGER, "Year; empty for any year up to the article.", default=None)
    month: int | None = parameter(MONTH, "Month (1-12) the claim states.", default=None)
    host_iso3: str | None = parameter(COUNTRY, "Where the claim places it.", default=None)
    systems: tuple[str, ...] = parameter(
        TEXT.listed(), "Words of which one must occur in the event's system (e.g. TB2).", default=()
    )
    event_id: str | None = parameter(DEFENSE_EVENT, "The event the claim means, if known.", default=None)

    def _details(self, events: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=events.index)
        if self.month is not None:
            ok &= events["date"].dt.month.eq(self.month) & events["date_precision"].ne("year")
        if self.host_iso3 is not None:
            ok &= events["host_iso3"].eq(self.host_iso3).fillna(False).astype(bool)
        if self.systems:
            words = events["system"].fillna("").str.casefold()
            ok &= pd.concat(
                [words.str.contains(word.casefold(), regex=False) for word in self.systems], axis=1
            ).any(axis=1)
        return ok

    def _when(self) -> str:
        return f"in {self.year}" if self.year else f"up to {self.as_of}"

    def run(self, ctx: ClaimContext) -> CheckResult:
        defense = ctx.defense
        in_period = (
            defense["date"].dt.year.eq(self.year)
            if self.year
            else defense["date"].le(pd.Timestamp(self.as_of))
        )
        core = (
            _listed_parties(defense).map(lambda listed: set(self.parties) <= listed).astype(bool)
            & defense["kind"].isin(self.kinds)
            & in_period
        )
        matched = defense.loc[core]
        if matched.empty:
            parties = ";".join(self.parties)
            return CheckResult("", UNVERIFIABLE, f"no {'/'.join(self.kinds)} of {parties} {self._when()}")
        full = matched.loc[self._details(matched)]
        verdict = SUPPORTED if not full.empty else PARTLY
        candidates = full if not full.empty else matched
        named = candidates.loc[candidates["event_id"] == self.event_id]
        shown = (named if not named.empty else candidates).iloc[0]
        system = f", {shown['system']}" if pd.notna(shown["system"]) else ""
        value = f"{shown['event_id']} ({shown['date']:%Y-%m-%d}, {shown['kind']}{system})"
        return CheckResult(value, verdict, f"matching event: {value}")


@dataclass(frozen=True, kw_only=True)
class RecurringExercises(CheckKind):
    """Exercises with exactly ``parties`` recur: held in at least ``min_years`` distinct years.

    supported with ``min_years`` or more years; partly_supported with fewer (but some); unverifiable
    with none.
    """

    kind = "recurring-exercises"
    parties: tuple[str, ...] = parameter(COUNTRY.listed(), "Exactly the states taking part.")
    min_years: int = parameter(INTEGER, "Distinct years needed to call the exercises recurring.")

    def run(self, ctx: ClaimContext) -> CheckResult:
        defense = ctx.defense
        same = _listed_parties(defense).map(lambda listed: listed == set(self.parties)).astype(bool)
        exercises = defense.loc[same & defense["kind"].eq("exercise")]
        years = sorted(exercises["date"].dt.year.unique())
        verdict = SUPPORTED if len(years) >= self.min_years else PARTLY if years else UNVERIFIABLE
        value = f"{len(exercises)} exercises in {len(years)} years: {', '.join(map(str, years))}"
        return CheckResult(value, verdict, f"{';'.join(self.parties)} exercises: {value}")


@dataclass(frozen=True, kw_only=True)
class MajorityShare(CheckKind):
    """``supplier`` holds more than ``threshold_pct`` of ``recipient``'s arms imports (latest period).

    supported above the threshold; contradicted at or below it; unverifiable without a dated share.
    """

    kind = "majority-share"
    recipient: str = parameter(COUNTRY, "The importing country.")
    supplier: str = parameter(COUNTRY, "The supplier.")
    threshold_pct: float = parameter(NUMBER, "Share (percent) to exceed; default 50.", default=50.0)

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
