"""Check specifications as data: read ``check_kind`` (claims.csv) and ``check_parameters.csv`` into checks.

A claim that a computed check decides names its kind in ``claims.csv`` (``check_kind``) and gives one
row per parameter in ``check_parameters.csv``. :func:`read_check_specs` turns them into check
objects and, in the same pass, reports every problem at the file, line and column where a curator
fixes it: an unknown kind, a parameter the kind does not declare, a missing required parameter, a
value of the wrong type, an id (event, country, region) that the tables do not hold, or parameters
that contradict each other (:meth:`~ots_analysis.claims.kinds.base.CheckKind.problems`). The same
function serves validation (:func:`check_spec_failures`, one of the cross-table rules) and the
register (:func:`checks_from_tables`), so both always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from ots_analysis.claims.kinds import CHECK_KINDS, CheckKind
from ots_analysis.claims.parameters import KnownIds, ParameterValueError
from ots_analysis.errors import DataValidationError, Failure

Tables = Mapping[str, pd.DataFrame]
Labels = Mapping[str, str]
ClaimKey = tuple[str, str]
"""(article_id, claim_id): claim ids are unique within an article."""

_TABLES = ("articles", "claims", "check_parameters")


def _column_number(frame: pd.DataFrame, column: str) -> int:
    return list(frame.columns).index(column) + 1


def _failure(frame: pd.DataFrame, file: str, line: object, column: str, value: str, rule: str) -> Failure:
    return Failure(file, int(str(line)), _column_number(frame, column), column, value, rule)


def _publication_dates(articles: pd.DataFrame) -> dict[str, dt.date]:
    return {
        str(article_id): pd.Timestamp(published).date()
        for article_id, published in zip(articles["article_id"], articles["published"], strict=True)
    }


def _parameter_rows(parameters: pd.DataFrame) -> dict[ClaimKey, list[tuple[object, str, str]]]:
    """(line, parameter, value) of each parameter row, grouped by claim."""
    grouped: dict[ClaimKey, list[tuple[object, str, str]]] = {}
    for line, article_id, claim_id, name, value in zip(
        parameters.index,
        parameters["article_id"],
        parameters["claim_id"],
        parameters["parameter"],
        parameters["value"],
        strict=True,
    ):
        grouped.setdefault((str(article_id), str(claim_id)), []).append((line, str(name), str(value)))
    return grouped


def read_check_specs(tables: Tables, labels: Labels) -> tuple[dict[ClaimKey, CheckKind], list[Failure]]:
    """Every claim's check, built from the tables, and every failure found on the way.

    A claim whose specification has a failure gets no check. If a table this needs failed its schema
    (and arrives empty), nothing is reported here: the schema failures are the root cause.
    """
    if not all(name in tables and not tables[name].columns.empty for name in _TABLES):
        return {}, []
    claims, parameters = tables["claims"], tables["check_parameters"]
    claims_file = labels.get("claims", "claims.csv")
    parameters_file = labels.get("check_parameters", "check_parameters.csv")
    as_of = _publication_dates(tables["articles"])
    rows_by_claim = _parameter_rows(parameters)
    kinds_by_claim = {
        (str(article_id), str(claim_id)): kind
        for article_id, claim_id, kind in zip(
            claims["article_id"], claims["claim_id"], claims["check_kind"], strict=True
        )
    }
    failures: list[Failure] = []
    known_ids: KnownIds = {}
    for key, rows in rows_by_claim.items():
        if key not in kinds_by_claim or pd.isna(kinds_by_claim[key]):
            rule = (
                f"claim {key[1]} of article {key[0]} is not in claims.csv"
                if key not in kinds_by_claim
                else f"claim {key[1]} of article {key[0]} has no check_kind in claims.csv"
            )
            failures += [
                _failure(parameters, parameters_file, line, "claim_id", key[1], rule) for line, _, _ in rows
            ]

    checks: dict[ClaimKey, CheckKind] = {}
    for line, article_id, claim_id, kind_name in zip(
        claims.index, claims["article_id"], claims["claim_id"], claims["check_kind"], strict=True
    ):
        if pd.isna(kind_name):
            continue
        key = (str(article_id), str(claim_id))
        kind = CHECK_KINDS.get(str(kind_name))
        if kind is None:
            rule = f"unknown check kind; the kinds are: {', '.join(sorted(CHECK_KINDS))}"
            failures.append(_failure(claims, claims_file, line, "check_kind", str(kind_name), rule))
            continue
        declared = kind.parameters()
        values: dict[str, object] = {}
        claim_failures: list[Failure] = []
        for parameter_line, name, text in rows_by_claim.get(key, []):
            if name not in declared:
                rule = f"check kind '{kind.kind}' has no parameter '{name}'; it takes: {', '.join(declared)}"
                claim_failures.append(
                    _failure(parameters, parameters_file, parameter_line, "parameter", name, rule)
                )
                continue
            try:
                values[name] = declared[name].type.read(text, tables, known_ids)
            except ParameterValueError as error:
                rule = f"parameter '{name}' of {claim_id}: {error}"
                claim_failures.append(
                    _failure(parameters, parameters_file, parameter_line, "value", text, rule)
                )
        for name in (name for name, spec in declared.items() if spec.required and name not in values):
            if not any(row_name == name for _, row_name, _ in rows_by_claim.get(key, [])):
                rule = f"check kind '{kind.kind}' needs parameter '{name}': add a row to check_parameters.csv"
                claim_failures.append(_failure(claims, claims_file, line, "check_kind", str(kind_name), rule))
        if not claim_failures and key[0] in as_of:
            check = kind(as_of=as_of[key[0]], **values)
            lines = {row_name: parameter_line for parameter_line, row_name, _ in rows_by_claim.get(key, [])}
            for name, message in check.problems():
                rule = f"parameter '{name}' of {claim_id}: {message}"
                if name in lines:
                    text = dict((row_name, row_text) for _, row_name, row_text in rows_by_claim[key])[name]
                    claim_failures.append(
                        _failure(parameters, parameters_file, lines[name], "value", text, rule)
                    )
                else:
                    claim_failures.append(
                        _failure(claims, claims_file, line, "check_kind", str(kind_name), rule)
                    )
            if not claim_failures:
                checks[key] = check
        failures += claim_failures
    return checks, failures


def check_spec_failures(tables: Tables, labels: Labels) -> list[Failure]:
    """The cross-table rule: every claim's check kind and parameters are valid (see module doc)."""
    return read_check_specs(tables, labels)[1]


def checks_from_tables(tables: Tables) -> dict[ClaimKey, CheckKind]:
    """Every claim's check, by (article_id, claim_id); raises if a specification is invalid."""
    checks, failures = read_check_specs(tables, {})
    if failures:
        raise DataValidationError(failures)
    return checks
