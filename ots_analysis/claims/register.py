"""The claims register: every claim of every article with its curated and computed verdict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from ots_analysis.claims.context import ClaimContext
from ots_analysis.claims.kinds import CheckKind, IntervalAbout
from ots_analysis.claims.specs import ClaimKey, checks_from_tables

if TYPE_CHECKING:
    from ots_analysis.raw_data import RawData

COMPUTED_COLUMNS = ["article_id", "claim_id", "computed_value", "computed_verdict", "explanation"]


def run_checks(raw: RawData, checks: Mapping[ClaimKey, CheckKind] | None = None) -> pd.DataFrame:
    """Run every check (default: those specified in the data); one row per checked claim with
    ``computed_value``, ``computed_verdict`` and ``explanation``, sorted by article and claim."""
    registry = checks_from_tables(raw.tables()) if checks is None else checks
    ctx = ClaimContext(raw)
    rows = []
    for (article_id, claim_id), check in sorted(registry.items()):
        result = check.run(ctx)
        rows.append((article_id, claim_id, result.computed_value, result.verdict, result.explanation))
    return pd.DataFrame(rows, columns=COMPUTED_COLUMNS)


def parameters_text(parameters: pd.DataFrame) -> pd.DataFrame:
    """Each checked claim's parameters as one readable cell, ``name=value`` pairs joined by ", "."""
    pairs = parameters.sort_values(["article_id", "claim_id", "parameter"])
    text = pairs["parameter"] + "=" + pairs["value"]
    joined = text.groupby([pairs["article_id"], pairs["claim_id"]]).agg(", ".join)
    return joined.rename("check_parameters").reset_index()


def claims_register(raw: RawData, checks: Mapping[ClaimKey, CheckKind] | None = None) -> pd.DataFrame:
    """The claims register of every article, with computed results and the final verdict.

    ``final_verdict`` is the computed verdict where a check exists, else the curated one;
    ``agrees`` is False where a curated verdict disagrees with its check.
    """
    keys = ["article_id", "claim_id"]
    computed = run_checks(raw, checks)
    register = (
        raw.claims.reset_index(drop=True)
        .merge(parameters_text(raw.check_parameters), on=keys, how="left")
        .merge(computed, on=keys, how="left")
    )
    final = register["computed_verdict"].fillna(register["verdict"])
    agrees = register["computed_verdict"].isna() | register["computed_verdict"].eq(register["verdict"])
    register = register.assign(final_verdict=final, agrees=agrees.astype(bool))
    return register.sort_values(keys).reset_index(drop=True)


def interval_claims(
    raw: RawData, article_id: str, checks: Mapping[ClaimKey, CheckKind] | None = None
) -> pd.DataFrame:
    """An article's stated intervals next to the intervals in the data, one row per interval claim.

    Columns: ``claim_id``, ``from_event``, ``to_event``, ``stated_months``, ``actual_months``,
    ``days`` (empty frame with these columns if the article states no interval). ``to_event`` is
    "(the article's date)" for an interval measured to the article.
    """
    registry = checks_from_tables(raw.tables()) if checks is None else checks
    chosen = {
        claim_id: check
        for (article, claim_id), check in sorted(registry.items())
        if article == article_id and isinstance(check, IntervalAbout)
    }
    ctx = ClaimContext(raw)
    found = [check.measured(ctx) for check in chosen.values()]
    return pd.DataFrame(
        {
            "claim_id": pd.Series(list(chosen), dtype="str"),
            "from_event": pd.Series([c.from_event for c in chosen.values()], dtype="str"),
            "to_event": pd.Series([row["to_event"] for row in found], dtype="str"),
            "stated_months": pd.Series([c.stated_months for c in chosen.values()], dtype="float64"),
            "actual_months": pd.Series([row["months"] for row in found], dtype="float64"),
            "days": pd.Series([row["days"] for row in found], dtype="int64"),
        }
    )
