"""Rows that need attention say so in words, beside the name, in both languages: tables
carry no per-row background (a pandas Styler, rendered cell by cell on every rerun)."""

from __future__ import annotations

import pandas as pd
import pytest

from data_access.isolation import SITE_COLUMNS
from presentation.text import text
from presentation.views import checkpoints as checkpoint_view
from presentation.views import isolation as isolation_view
from presentation.views import supplies as supplies_view

FLAG = {lang: text("sup.flag", lang) for lang in ("zh", "en")}


def site(code: str, occupancy: float, breach: bool = False, days_until_full: float = float("nan")) -> dict:
    row = dict.fromkeys(SITE_COLUMNS, 0)
    rooms = 100
    return row | {
        "code": code,
        "name_zh": f"隔离点{code}",
        "name_en": f"Site {code}",
        "reported": True,
        "rooms": rooms,
        "rooms_occupied": occupancy * rooms,
        "people": occupancy * rooms + (5 if breach else 0),
        "occupancy": occupancy,
        "free_rooms": rooms - occupancy * rooms,
        "net_intake_7d": 1.0,
        "days_until_full": days_until_full,
        "single_room_breach": breach,
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_isolation_sites_are_flagged_full_then_shared_then_filling(lang):
    sites = pd.DataFrame([site("A", 0.9), site("B", 0.5, breach=True), site("C", 0.6, days_until_full=2.0), site("D", 0.4)])
    table = isolation_view.site_rows(sites, 0.85, 3.0, lang)
    assert list(table.columns[:2]) == [text("isolation.site", lang), FLAG[lang]]
    flags = dict(zip(table[text("common.code", lang)], table[FLAG[lang]], strict=True))
    assert flags == {
        "A": text("isolation.flag_full", lang, n="85%"),
        "B": text("isolation.flag_shared", lang),
        "C": text("isolation.flag_filling", lang, n="3"),
        "D": "",
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checkpoint_ranks_and_supply_flags_stand_beside_the_name(lang):
    checkpoints = pd.DataFrame(
        {
            "name_zh": [f"道口{i}" for i in range(8)],
            "name_en": [f"Checkpoint {i}" for i in range(8)],
            "kind": ["highway_exit"] * 8,
            "utilisation": [0.1 * i for i in range(8)],
        }
    )
    table = checkpoint_view.checkpoint_table(checkpoints, lang)
    assert table.columns[1] == text("cp.col.rank", lang)
    ranks = table[text("cp.col.rank", lang)].tolist()
    assert ranks[:3] == [text("cp.rank.bottom", lang)] * 3 and ranks[-3:] == [text("cp.rank.top", lang)] * 3
    status = pd.DataFrame(
        {
            "name_zh": ["口罩", "防护服"],
            "name_en": ["Masks", "Suits"],
            "unit_zh": ["只", "套"],
            "unit_en": ["pcs", "sets"],
            "days_of_cover": [2.0, 30.0],
            "avg_daily_consumption": [10.0, 1.0],
            "capacity_gap": [0.0, 0.0],
        }
    )
    shown = supplies_view.status_table(status, 7, lang)
    assert shown.columns[1] == FLAG[lang]
    assert shown[FLAG[lang]].tolist() == [text("sup.flag_low", lang, n="7"), ""]
