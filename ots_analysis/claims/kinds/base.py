"""What every check kind shares: the base class, and the grading helpers several kinds use."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.parameters import Parameter, declared_parameters
from ots_analysis.verdicts import CONTRADICTED, PARTLY, SUPPORTED


@dataclass(frozen=True, kw_only=True)
class CheckKind(ABC):
    """A computed check of one claim: a kind name, the parameters the claim states, and a rule.

    Subclasses are frozen keyword-only dataclasses whose parameter fields are made with
    :func:`ots_analysis.claims.parameters.parameter`. ``as_of`` is the publication date of the
    claim's article (not a parameter): the default "as of" date of checks that need one.
    """

    kind: ClassVar[str]
    as_of: dt.date

    @classmethod
    def parameters(cls) -> dict[str, Parameter]:
        """The parameters this kind declares, by name."""
        return declared_parameters(cls)

    def problems(self) -> list[tuple[str, str]]:
        """Contradictions between parameters that no single cell shows (e.g. a span ending before it
        starts), as (parameter, message); validation reports each at that parameter's row."""
        return []

    @abstractmethod
    def run(self, ctx: ClaimContext) -> CheckResult:
        """Compute the value, the verdict and the explanation from the data."""


def usd_billions(value: float) -> str:
    """An amount in US dollars as ``USD 6.30 bn``."""
    return f"USD {value / 1e9:.2f} bn"


def graded(distance: float, tolerance: float) -> str:
    """supported within the tolerance, partly_supported within twice it, else contradicted."""
    if distance <= tolerance:
        return SUPPORTED
    if distance <= 2 * tolerance:
        return PARTLY
    return CONTRADICTED


def all_some_none(held: int, total: int) -> str:
    """supported if all ``total`` hold, partly_supported if some do, contradicted if none does."""
    return SUPPORTED if held == total else PARTLY if held else CONTRADICTED
