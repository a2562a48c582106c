"""Alerts and data checks as sentences in the reader's language: one sentence per alert
or check, with its figures formatted for that language (pure; pages, the wall, the
briefing and the command line all say them the same way)."""

from __future__ import annotations

from data_access.alerts import Alert
from presentation import formatting as fmt
from presentation.text import text

# How each alert rule's figure reads.
_ALERT_FIGURE = {
    "supplies_cover": lambda v, lang: fmt.decimal(v, lang),
    "testing_backlog": lambda v, lang: fmt.count(v, lang),
    "testing_turnaround": lambda v, lang: fmt.decimal(v, lang),
    "testing_positivity": lambda v, lang: fmt.percent(v, lang, 3),
    "checkpoint_fever": lambda v, lang: fmt.decimal(v, lang),
    "vaccination_behind": lambda v, lang: fmt.percent(v, lang),
    "missing_reports": lambda v, lang: fmt.count(v, lang),
}


def alert_text(alert: Alert, lang: str, area_names: dict[str, str], item_names: dict[str, str]) -> str:
    """The alert as one sentence, figures formatted for ``lang``."""
    d = alert.details
    fields = {"area": area_names.get(alert.area_code, alert.area_code), "figure": _ALERT_FIGURE[alert.rule](alert.figure, lang)}
    if alert.rule == "supplies_cover":
        fields |= {"item": item_names.get(d["item"], d["item"]), "threshold": f"{d['threshold']:g}"}
    elif alert.rule == "testing_backlog":
        fields |= {"days": d["days"]}
    elif alert.rule == "testing_turnaround":
        fields |= {"threshold": f"{d['threshold']:g}"}
    elif alert.rule == "testing_positivity":
        fields |= {"threshold": fmt.percent(d["threshold"], lang, 3)}
    elif alert.rule == "checkpoint_fever":
        checkpoint = d.get(f"checkpoint_{lang}", d["checkpoint_en"])
        fields |= {"checkpoint": checkpoint, "baseline": fmt.decimal(d["baseline"], lang, 2)}
    elif alert.rule == "vaccination_behind":
        fields |= {"target": fmt.percent(d["target"], lang)}
    elif alert.rule == "missing_reports":
        fields |= {"report_type": text(f"report_type.{d['report_type']}", lang), "expected": d["expected"]}
    return text(f"alerts.rule.{alert.rule}", lang, **fields)
