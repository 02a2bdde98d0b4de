"""The trade-specific and attribute validation rules on small hand-made tables (indexed by CSV line)."""

from __future__ import annotations

import pandas as pd

from ots_analysis import attribute_rules, trade_rules

LABELS = {
    "trade": "trade.csv",
    "trade_world_totals": "trade_world_totals.csv",
    "event_themes": "event_themes.csv",
    "events": "events.csv",
}
TRADE_COLUMNS = [
    "reporter_iso3",
    "partner_iso3",
    "year",
    "flow",
    "value_usd",
    "period",
    "months",
    "statistic_origin",
    "source_ids",
    "evidence",
    "preferred",
    "preferred_note",
]


def trade_table(rows: list[tuple]) -> pd.DataFrame:
    """(reporter, partner, year, flow, value, source[, preferred]) rows, full years, from line 2 on."""
    records = [
        {
            "reporter_iso3": row[0],
            "partner_iso3": row[1],
            "year": row[2],
            "flow": row[3],
            "value_usd": float(row[4]),
            "period": "full_year",
            "months": 12,
            "statistic_origin": "media",
            "source_ids": row[5],
            "evidence": "x",
            "preferred": row[6] if len(row) > 6 else True,
            "preferred_note": None,
        }
        for row in rows
    ]
    frame = pd.DataFrame(records, columns=TRADE_COLUMNS)
    frame.index = pd.Index(range(2, 2 + len(frame)), name="csv_line")
    return frame.astype({"preferred": "boolean"})


def test_exports_above_the_same_sources_turnover_fail_at_the_exports_row() -> None:
    table = trade_table(
        [
            ("KAZ", "UZB", 2023, "turnover", 4.4e9, "s"),
            ("KAZ", "UZB", 2023, "exports", 4.6e9, "s"),  # above its own source's turnover
            ("KAZ", "UZB", 2023, "imports", 1.1e9, "s"),
            ("KAZ", "UZB", 2023, "exports", 5.0e9, "other"),  # another source: not comparable
        ]
    )
    failures = trade_rules.flows_within_turnover({"trade": table}, LABELS)
    assert [(f.line, f.column, f.value) for f in failures] == [(3, "value_usd", "4600000000")]
    assert "line 2" in failures[0].rule


def test_rounding_alone_is_no_excess() -> None:
    # "4.4 billion" turnover and "4.43 billion" exports can both be right: 4.4 may stand for 4.449
    table = trade_table(
        [("KAZ", "UZB", 2023, "turnover", 4.4e9, "s"), ("KAZ", "UZB", 2023, "exports", 4.43e9, "s")]
    )
    assert trade_rules.flows_within_turnover({"trade": table}, LABELS) == []


def test_world_totals_follow_the_same_rules() -> None:
    totals = trade_table(
        [("KAZ", None, 2023, "turnover", 101e9, "s"), ("KAZ", None, 2023, "exports", 120e9, "s")]
    )
    totals = totals.drop(columns="partner_iso3")
    totals.loc[2, "months"] = 9
    tables = {"trade_world_totals": totals}
    assert [f.line for f in trade_rules.flows_within_turnover(tables, LABELS)] == [3]
    assert [(f.line, f.column) for f in trade_rules.world_totals_months(tables, LABELS)] == [(2, "months")]


def test_an_unsettled_dispute_is_one_warning_at_its_first_row_naming_every_row() -> None:
    table = trade_table(
        [
            ("CHN", "TKM", 2024, "turnover", 12.2e9, "alchempro"),
            ("CHN", "TKM", 2024, "turnover", 10.6e9, "trend"),
            ("CHN", "TKM", 2023, "turnover", 10.6e9, "intellinews"),
        ]
    )
    (warning,) = trade_rules.unsettled_disputes({"trade": table}, LABELS)
    assert (warning.file, warning.line, warning.column) == ("trade.csv", 2, "value_usd")
    assert "line 2" in warning.rule and "line 3" in warning.rule and "line 4" not in warning.rule
    assert "USD 11.4 bn" in warning.rule  # the median the indicators use meanwhile

    settled = table.assign(preferred=pd.array([False, True, True], dtype="boolean"))
    assert trade_rules.unsettled_disputes({"trade": settled}, LABELS) == []


def test_a_theme_must_be_written_in_its_evidence_and_name_a_known_event() -> None:
    themes = pd.DataFrame(
        {
            "event_id": ["ots-summit-12", "ots-summit-99"],
            "theme": ["Regional Peace and Security", "Regional Prosperity"],
            "source_ids": ["a", "b"],
            "evidence": ["held under the theme “Regional Peace and Security.”", "under the theme of peace"],
        },
        index=pd.Index([2, 3], name="csv_line"),
    )
    events = pd.DataFrame({"event_id": ["ots-summit-12"]})
    tables = {"event_themes": themes, "events": events}
    assert [f.line for f in attribute_rules.themes_in_evidence(tables, LABELS)] == [3]
    assert [(f.line, f.value) for f in attribute_rules.themes_of_known_events(tables, LABELS)] == [
        (3, "ots-summit-99")
    ]
