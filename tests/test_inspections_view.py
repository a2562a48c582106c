"""The inspections view's pure pieces (presentation/views/inspections.py) on hand-built
frames: the cards' rates, changes and stocks, the pass-rate standing against the alert
line, the checklist without items nobody looked at, areas lowest first."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access.inspections import with_rates
from presentation.text import text
from presentation.views import inspections as view

D = [dt.date(2022, 4, d) for d in range(1, 6)]
LINE = view.PassLine(0.8, 30)


def daily(**columns) -> pd.DataFrame:
    """Five days of an area's totals: zeros unless given."""
    names = [
        "inspections", "inspector_visits", "inspections_passed", "problems_found", "fixed_on_time", "fixed_late",
        "penalties", "masks_seized", "open_problems", "overdue", "entities_open", "teams_reporting",
    ]  # fmt: skip
    frame = pd.DataFrame({"day": D, **{n: columns.get(n, [0] * 5) for n in names}})
    return with_rates(frame)


def card_values(cards) -> dict[str, tuple]:
    return {c.metric: (c.value, c.delta, c.delta_note) for c in cards}


def test_rates_over_the_range_and_their_change_in_points():
    frame = daily(inspections=[10, 10, 20, 20, 0], inspections_passed=[9, 10, 15, 17, 0], fixed_on_time=[0, 0, 3, 1, 0])
    # The 3rd–4th: 32 of 40 passed = 80.0 %; the 1st–2nd before: 19 of 20 = 95.0 %: −15 pp.
    found = card_values(view.cards(frame, D[2], D[3], "en"))
    assert found["inspections.pass_rate"][:2] == ("80.0%", "-15.0 pp")
    assert found["inspections.inspections"][:2] == ("40", "+20")
    # Fixed on time: 4 of 4 on the 3rd–4th; nothing put right before: no change.
    assert found["inspections.on_time_rate"][:2] == ("100.0%", None)
    # A day without any check has no rate (a dash), not 0 %.
    assert card_values(view.cards(frame, D[4], D[4], "en"))["inspections.pass_rate"][0] == "—"


def test_stocks_at_the_end_of_the_last_day_with_reports():
    frame = daily(overdue=[0, 1, 3, 4, 6], entities_open=[2, 2, 2, 5, 5])
    found = card_values(view.cards(frame, D[0], D[4], "zh"))
    assert found["inspections.overdue"][:2] == ("6", "+2")
    assert found["inspections.entities_open"][:2] == ("5", "0")
    # The range's last day without reports: the stock of the last day with them, said so.
    found = card_values(view.cards(frame.iloc[:4], D[0], D[4], "en"))
    assert found["inspections.overdue"] == ("4", "+1", text("insp.vs_day_before", "en", day="4 Apr 2022"))


def test_standing_against_the_alert_line():
    areas = with_rates(
        pd.DataFrame(
            {
                "area_code": ["a", "b", "c", "d"],
                "name_en": ["A", "B", "C", "D"],
                "name_zh": ["甲", "乙", "丙", "丁"],
                **{c: [0] * 4 for c in ("inspector_visits", "problems_found", "open_problems", "overdue", "entities_open")},
                **{c: [0] * 4 for c in ("penalties", "masks_seized", "fixed_on_time", "fixed_late")},
                "inspections": [40, 40, 29, 0],
                "inspections_passed": [31, 32, 0, 0],
            }
        )
    )
    chart, table = view.by_area(areas, LINE, "en")
    # Lowest first, the area never checked last; 77.5 % is below 80 %, 80.0 % is not; 29 checks are too few.
    assert list(table["Code"]) == ["c", "a", "b", "d"]
    shown = view._with_rates_shown(areas, LINE, "en").set_index("area_code")["status"]
    few = text("insp.status.few", "en", n="30")
    assert shown.to_dict() == {"a": text("insp.status.below", "en"), "b": text("insp.status.ok", "en"), "c": few, "d": few}
    assert chart is not None


def test_the_checklist_leaves_out_items_nobody_looked_at():
    items = pd.DataFrame(
        {"item": ["mask", "codes", "temperature", "scan", "register"], "passed": [9, 10, 10, 8, 0], "failed": [1, 0, 0, 2, 0]}
    )
    items = items.assign(checked=items["passed"] + items["failed"])
    items = items.assign(pass_rate=items["passed"] / items["checked"].where(items["checked"] > 0))
    chart, table = view.checklist(items, "en")
    assert list(table["Checklist item"]) == [text(f"insp.item.{i}", "en") for i in ("mask", "codes", "temperature", "scan")]
    assert list(table["Checklist item pass rate (%)"]) == pytest.approx([90.0, 100.0, 100.0, 80.0])
    nothing, empty = view.checklist(items.assign(passed=0, failed=0, checked=0), "en")
    assert nothing is None and empty.empty
