"""The verdict scale: one definition for the schemas, the checks, the figures and the exports.

Each verdict has a machine name (used in the tables), a label (for readers), an ordinal rating for
schema.org ClaimReview (how far the evidence backs the claim as stated: 4 best, 1 worst) and a colour
(from seaborn's colour-blind-safe "colorblind" palette).

- ``supported``: the evidence confirms the claim as stated;
- ``partly_supported``: the core holds, but a date, name, figure or framing is off;
- ``contradicted``: the evidence shows the claim is wrong;
- ``unverifiable``: no adequate public evidence either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Verdict:
    """One step of the scale."""

    name: str
    label: str
    rating: int
    color: str
    definition: str


SUPPORTED = "supported"
PARTLY = "partly_supported"
CONTRADICTED = "contradicted"
UNVERIFIABLE = "unverifiable"

SCALE = MappingProxyType(
    {
        verdict.name: verdict
        for verdict in (
            Verdict(SUPPORTED, "Supported", 4, "#029e73", "the evidence confirms the claim as stated"),
            Verdict(
                PARTLY,
                "Partly supported",
                3,
                "#ece133",
                "the core is right but a date, name, figure or framing is off",
            ),
            Verdict(CONTRADICTED, "Contradicted", 1, "#d55e00", "the evidence shows the claim is wrong"),
            Verdict(UNVERIFIABLE, "Unverifiable", 2, "#949494", "no adequate public evidence either way"),
        )
    }
)
"""The verdicts in display order (supported first)."""

VERDICT_ORDER = tuple(SCALE)
"""Machine names in display order."""

BEST_RATING = max(verdict.rating for verdict in SCALE.values())
WORST_RATING = min(verdict.rating for verdict in SCALE.values())


def label(name: str) -> str:
    """The reader's label of verdict ``name`` (e.g. ``"Partly supported"``)."""
    return SCALE[name].label
