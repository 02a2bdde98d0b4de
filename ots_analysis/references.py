"""Cross-table references of the raw tables, declared once.

The integrity rules (:mod:`ots_analysis.integrity`) check them, and the data package
(:mod:`ots_analysis.datapackage`) declares them: as foreign keys where a cell holds one key, and in the
field's description where it holds a ``;``-separated list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ots_analysis.schemas import TABLES


@dataclass(frozen=True)
class Reference:
    """The values of ``columns`` in ``table`` must be keys (``target_columns``) of ``target``.

    ``listed``: each cell holds several keys separated by ``;``. ``target_listed``: the target column
    holds several values per cell (e.g. a country's regions). Either way the reference is checked by the
    integrity rules but is not a plain foreign key, which compares whole cells.
    """

    table: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]
    listed: bool = False
    target_listed: bool = False

    @property
    def is_foreign_key(self) -> bool:
        """True if whole cells must equal whole target cells (a plain foreign key)."""
        return not (self.listed or self.target_listed)


def _country(table: str, column: str, listed: bool = False) -> Reference:
    return Reference(table, (column,), "countries", ("iso3",), listed=listed)


REFERENCES: tuple[Reference, ...] = (
    *(
        Reference(name, ("source_ids",), "sources", ("source_id",), listed=True)
        for name, spec in TABLES.items()
        if "source_ids" in spec.model.to_schema().columns
    ),
    _country("memberships", "iso3"),
    _country("events", "country_iso3"),
    _country("events", "participants", listed=True),
    _country("trade", "reporter_iso3"),
    _country("trade", "partner_iso3"),
    _country("defense_cooperation", "parties", listed=True),
    _country("defense_cooperation", "host_iso3"),
    _country("arms_suppliers", "recipient_iso3"),
    _country("arms_suppliers", "supplier_iso3"),
    _country("trade_world_totals", "reporter_iso3"),
    _country("country_statistics", "iso3"),
    Reference("event_themes", ("event_id",), "events", ("event_id",)),
    Reference("articles", ("region",), "countries", ("regions",), target_listed=True),
    *(
        Reference(name, ("article_id",), "articles", ("article_id",))
        for name in ("claims", "claim_evidence", "check_parameters")
    ),
    *(
        Reference(name, ("article_id", "claim_id"), "claims", ("article_id", "claim_id"))
        for name in ("claim_evidence", "check_parameters")
    ),
)
"""Every cross-table reference of the raw tables: what the integrity rules check, and what the data
package declares (as foreign keys where it can)."""


def columns_referring_to(target: str, target_columns: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The columns of each table that refer to ``target_columns`` of ``target``, by table."""
    found: dict[str, tuple[str, ...]] = {}
    for ref in REFERENCES:
        if (ref.target, ref.target_columns) == (target, target_columns):
            found[ref.table] = (*found.get(ref.table, ()), *ref.columns)
    return found
