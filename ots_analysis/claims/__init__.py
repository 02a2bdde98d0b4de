"""Claims: computed checks of articles' claims, and the claims register.

Each claim that data can decide names a check kind (``claims.csv``, ``check_kind``) and gives its
parameters (``check_parameters.csv``). A check reads the validated data and the indicators through
:class:`ClaimContext` and returns a :class:`CheckResult`: the computed value, a verdict on the scale of
:mod:`ots_analysis.verdicts`, and one line of explanation. Documentary claims (who said what) keep the
curated verdict of ``claims.csv``.

Modules: :mod:`~ots_analysis.claims.parameters` (parameter types), :mod:`~ots_analysis.claims.kinds`
(the kinds and their registry), :mod:`~ots_analysis.claims.specs` (reading and validating the
specifications), :mod:`~ots_analysis.claims.register` (running them, the register).
"""

from __future__ import annotations

from ots_analysis.claims.context import CheckResult, ClaimContext
from ots_analysis.claims.kinds import CHECK_KINDS, CheckKind
from ots_analysis.claims.register import claims_register, interval_claims, run_checks
from ots_analysis.claims.specs import ClaimKey, check_spec_failures, checks_from_tables, read_check_specs

__all__ = [
    "CHECK_KINDS",
    "CheckKind",
    "CheckResult",
    "ClaimContext",
    "ClaimKey",
    "check_spec_failures",
    "checks_from_tables",
    "claims_register",
    "interval_claims",
    "read_check_specs",
    "run_checks",
]
