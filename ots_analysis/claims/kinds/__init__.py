"""The check kinds, and the registry from kind name (as written in claims.csv) to class.

To add a kind: write a frozen keyword-only dataclass deriving from
:class:`~ots_analysis.claims.kinds.base.CheckKind` in the module of its topic, declare its parameters
with :func:`~ots_analysis.claims.parameters.parameter`, implement ``run``, and list the class below.
Claims then use it by name in ``claims.csv`` (``check_kind``) with their parameters in
``check_parameters.csv``; no claim id or parameter value is written in Python.
"""

from __future__ import annotations

from types import MappingProxyType

from ots_analysis.claims.kinds.base import CheckKind
from ots_analysis.claims.kinds.countries import CountryStatistic
from ots_analysis.claims.kinds.defense import DefenseEventExists, MajorityShare, RecurringExercises
from ots_analysis.claims.kinds.memberships import (
    AdmittedAt,
    FoundersAre,
    MembershipHolds,
    OnlyNonTurkic,
    RegionalMembership,
)
from ots_analysis.claims.kinds.timeline import (
    DateMatches,
    DocumentAdopted,
    IntervalAbout,
    SameOccasion,
    SummitHeld,
    SummitTheme,
)
from ots_analysis.claims.kinds.trade import AggregateStated, FigureNear, SupplierRank
from ots_analysis.claims.kinds.trade_shares import TradeRank, TradeShare
from ots_analysis.claims.kinds.trade_spans import CumulativeFlow, GroupTradeTotal, TradeGrowth

CHECK_KINDS: MappingProxyType[str, type[CheckKind]] = MappingProxyType(
    {
        kind.kind: kind
        for kind in (
            DateMatches,
            IntervalAbout,
            SameOccasion,
            SummitHeld,
            SummitTheme,
            DocumentAdopted,
            FoundersAre,
            MembershipHolds,
            AdmittedAt,
            RegionalMembership,
            OnlyNonTurkic,
            FigureNear,
            AggregateStated,
            SupplierRank,
            CumulativeFlow,
            GroupTradeTotal,
            TradeGrowth,
            TradeRank,
            TradeShare,
            CountryStatistic,
            DefenseEventExists,
            RecurringExercises,
            MajorityShare,
        )
    }
)
"""Every check kind by name."""

__all__ = [
    "CHECK_KINDS",
    "AdmittedAt",
    "AggregateStated",
    "CheckKind",
    "CountryStatistic",
    "CumulativeFlow",
    "DateMatches",
    "DefenseEventExists",
    "DocumentAdopted",
    "FigureNear",
    "FoundersAre",
    "GroupTradeTotal",
    "IntervalAbout",
    "MajorityShare",
    "MembershipHolds",
    "OnlyNonTurkic",
    "RecurringExercises",
    "RegionalMembership",
    "SameOccasion",
    "SummitHeld",
    "SummitTheme",
    "SupplierRank",
    "TradeGrowth",
    "TradeRank",
    "TradeShare",
]
