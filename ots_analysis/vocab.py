"""Closed vocabularies: every enumeration the tables, indicators, figures and exports share.

Each vocabulary is defined once, here, and read by the pandera schemas (``isin`` checks), the
indicators, the figures and the exports, so adding a value is a one-line change that every part of the
package sees. Order matters where stated (precedence, display order). The verdict scale has its own
module, :mod:`ots_analysis.verdicts`, because it carries labels, ratings and colours as well.
"""

from __future__ import annotations

from types import MappingProxyType

TRUE_FALSE = ("true", "false")
"""How a yes/no cell is written in a raw table."""

ORGANIZATIONS = ("OTS", "NATO", "CSTO", "EAEU", "CIS", "SCO")
"""Organisations whose memberships are recorded, in the order the membership matrix shows them."""

MEMBERSHIP_STATUSES = ("member", "observer", "associate_member", "dialogue_partner", "suspended")
"""Statuses a state can hold in an organisation."""

MEMBERSHIP_STATUS_RANK = MappingProxyType(
    {"": 0, "dialogue_partner": 1, "observer": 2, "associate_member": 3, "suspended": 4, "member": 5}
)
"""Statuses from none (0) to full membership (5): the order of the membership heatmap's colours."""

DATE_PRECISIONS = ("day", "month", "year")
"""How precisely a date is known, finest first."""

TRADE_FLOWS = ("exports", "imports", "turnover")
"""exports (reporter to partner), imports (partner to reporter), turnover (their sum)."""

STATISTIC_ORIGINS = (
    "national_statistics",
    "official_statement",
    "international_database",
    "media",
    "paraphrased_statement",
)
"""Who produced a trade figure, most authoritative first: the precedence of preferred figures.
``paraphrased_statement`` is an official's figure that a news page relays in indirect speech only."""

SHOWN_NOT_AVERAGED = frozenset({"paraphrased_statement"})
"""Origins whose figures widen the reported range but never enter a best estimate."""

COUNTRY_STATISTICS = MappingProxyType({"area_km2": "square kilometres", "population": "people"})
"""Statistics of a country recorded in country_statistics.csv, each with its unit."""

LOWER_BOUND_BASIS = "not_before"
"""The basis of a ``published`` date that is only the earliest the page can have appeared."""

PUBLISHED_BASES = ("page", "metadata", "url", "inferred", LOWER_BOUND_BASIS)
"""How a source's publication date is known: shown on the page; read only from the page's metadata
(e.g. an ``article:published_time`` or JSON-LD ``datePublished`` field the reader does not see); read
from its address; inferred; or, with ``not_before``, not known at all but known not to be earlier
than ``published`` (a lower bound, which is never printed as the publication date)."""

SOURCE_KINDS = ("official", "news", "statistics", "academic", "reference")
"""Kinds of source page."""

EVENT_KINDS = (
    "summit",
    "informal_summit",
    "founding_agreement",
    "renaming",
    "observer_admission",
    "member_admission",
    "election",
    "inauguration",
    "state_visit",
    "conflict",
    "ceasefire",
    "other",
)
"""Kinds of timeline event (events.csv)."""

HEADS_OF_STATE_SERIES = "ots_heads_of_state"
"""The numbered summits of the OTS Council of Heads of State (the Turkic Council's, renumbered)."""

SUMMIT_SERIES = ("turkic_speaking_states", HEADS_OF_STATE_SERIES, "ots_informal")
"""Numbered summit series."""

DEFENSE_KINDS = (
    "agreement",
    "memorandum",
    "protocol",
    "contract",
    "delivery",
    "exercise",
    "declaration",
    "proposal",
    "statement",
    "military_support",
    "production",
    "visit",
)
"""Kinds of defence-cooperation instrument or event (defense_cooperation.csv)."""

AGGREGATE_SCOPES = MappingProxyType({"intra_ots": "OTS", "turkey_with_ots": "OTS", "ots_with_world": "OTS"})
"""Scopes of a stated trade total, each with the organisation whose members it sums over:
trade among the members, Turkey's trade with the other members, the members' trade with the world."""

INTRA_SCOPE = "intra_ots"
"""The scope compared with the sum of bilateral turnover among the organisation's members."""

MATRIX_YEARS = (2015, 2024)
"""First and last year of the bilateral trade matrix whose coverage is published (data/processed
``trade_coverage``)."""

MATRIX_OBSERVERS = ("HUN", "TKM")
"""Observers of the organisation whose trade with each member belongs to the matrix: the observers
that are UN member states. Northern Cyprus (XNC), recognised by Turkey alone, is left out."""

AGGREGATE_MEASURES = ("actual", "expected", "target")
"""Whether a stated total is reported, forecast, or aimed at."""

CLAIM_CATEGORIES = (
    "date",
    "interval",
    "figure",
    "membership",
    "event",
    "attribution",
    "assessment",
    "naming",
)
"""Kinds of claim."""

DATA_DECIDED_CATEGORIES = ("date", "interval", "membership")
"""Categories of claim the tables can always decide: each such claim needs a computed check."""

CLAIM_STANCES = ("supports", "contradicts", "context")
"""What a source shows for a claim."""
