"""What a check reads (the validated data and the indicators) and what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from ots_analysis.indicators import flows, timeline, trade

if TYPE_CHECKING:
    from ots_analysis.raw_data import RawData


@dataclass(frozen=True)
class CheckResult:
    """What a check computed: a value to show, a verdict on the scale, and one line of explanation."""

    computed_value: str
    verdict: str
    explanation: str


class ClaimContext:
    """The validated data and the indicators the checks read, each computed once, on demand."""

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
        return trade.best_estimate(trade.turnover_by_dyad(self.raw.preferred("trade")))

    @cached_property
    def trade_flows(self) -> pd.DataFrame:
        """Each country's exports, imports and turnover with each partner per year, with the range of
        disputed points (:func:`ots_analysis.indicators.flows.directed_flows`)."""
        return flows.directed_flows(self.raw.preferred("trade"))

    @cached_property
    def own_trade_flows(self) -> pd.DataFrame:
        """Each country's own statistics only: the exports and imports it reports and its own turnover
        (:func:`ots_analysis.indicators.flows.own_flows`)."""
        return flows.own_flows(self.raw.preferred("trade"))

    @cached_property
    def world_flows(self) -> pd.DataFrame:
        """Each country's total trade with the world per year (trade_world_totals.csv)."""
        return flows.world_flows(self.raw.preferred("trade_world_totals"))

    @cached_property
    def country_statistics(self) -> pd.DataFrame:
        """Preferred rows of country_statistics.csv."""
        return self.raw.preferred("country_statistics")

    @cached_property
    def event_themes(self) -> pd.DataFrame:
        """The themes of events (event_themes.csv)."""
        return self.raw.event_themes

    def members(self, organization: str, years: list[int]) -> pd.DataFrame:
        """Full members of ``organization`` on 31 December of each of ``years`` (``year``, ``iso3``)."""
        return trade.members_by_year(self.memberships, organization, years)

    def supplier_shares(self, importer: str) -> pd.DataFrame:
        """Suppliers' ranks and shares among an importer's recorded suppliers."""
        return trade.supplier_shares(trade.import_figures(self.raw.preferred("trade"), importer))

    def region_members(self, region: str) -> set[str]:
        """ISO3 codes of the countries that list ``region`` in ``countries.csv``."""
        countries = self.raw.countries
        listed = countries["regions"].fillna("").str.split(";")
        return set(countries.loc[listed.map(lambda regions: region in regions).astype(bool), "iso3"])
