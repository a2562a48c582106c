"""Alerts on screen: one line of text per alert in the user's language, and the panel
the overview and the wall show (most severe first, each with a link to its view)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import alerts as alert_rules
from data_access import supplies
from data_access.alerts import Alert
from data_access.settings import get_settings
from presentation.sentences import ALERT_METRIC, alert_text, figure_help
from presentation.tables import name_column
from presentation.text import markdown_plain
from ui.data import as_reader, load_plain
from ui.i18n import t
from ui.sidebar import area_name

PAGE_FILES = {
    "supplies": "pages/supplies.py",
    "testing": "pages/testing.py",
    "checkpoints": "pages/checkpoints.py",
    "vaccination": "pages/vaccination.py",
    "isolation": "pages/isolation.py",
    "inspections": "pages/inspections.py",
    "data_intake": "pages/data_intake.py",
}
SEVERITY_ICON = {"critical": "🔴", "warning": "🟠"}


def load_alerts(scope) -> list[Alert]:
    """The scope's active alerts, read as the session's user (cached with the other query results)."""
    return load_plain(alert_rules.active_alerts, as_reader(scope), default=[])


def alerts_panel(alerts: list[Alert], lang: str, limit: int = 8, big: bool = False) -> None:
    """The alerts, most severe first, each with a link that opens its view filtered to it."""
    items = supplies_item_names(lang)
    # The areas of the alerts shown only: a city can have dozens of alerts, each name a cache lookup.
    names = {a.area_code: area_name(a.area_code, lang) for a in alerts[:limit]}
    with st.container(border=True):
        title = t("alerts.title", lang, n=len(alerts))
        st.markdown(f"### {title}" if big else f"**{title}**")
        if not alerts:
            st.success(t("alerts.none", lang), icon=":material/check_circle:")
            return
        for alert in alerts[:limit]:
            sentence = alert_text(alert, lang, names, items)
            badge = t(f"alerts.severity.{alert.severity}", lang)
            colour = "red" if alert.severity == "critical" else "orange"
            line, link = st.columns([6, 1], vertical_alignment="center")
            line.markdown(
                f":{colour}-badge[{badge}] {markdown_plain(sentence, 2000)}",
                help=None if big else figure_help(ALERT_METRIC[alert.rule], lang),
            )
            page = PAGE_FILES.get(alert.page)
            if page and not big:
                link.page_link(
                    page,
                    label=t("alerts.open", lang),
                    icon=":material/open_in_new:",
                    query_params={**alert.query_params, **({"lang": lang} if lang != get_settings().language else {})},
                )
        if len(alerts) > limit:
            st.caption(t("alerts.more", lang, n=len(alerts) - limit))


def supplies_item_names(lang: str) -> dict[str, str]:
    items = load_plain(supplies.supply_items, default=pd.DataFrame())
    if items is None or items.empty:
        return {}
    return dict(zip(items["code"], items[name_column(lang)], strict=True))
