"""The Definitions page's entries: one Markdown block per catalogue figure."""

from __future__ import annotations

from itertools import groupby

from presentation.catalogue import DOMAINS, METRICS, Metric
from presentation.text import text


def known(key: str) -> bool:
    return key in METRICS


def by_domain(entries: list[Metric]) -> list[tuple[str, list[Metric]]]:
    """``entries`` grouped by domain, in the catalogue's domain order."""
    ordered = sorted(entries, key=lambda m: DOMAINS.index(m.domain))
    return [(domain, list(group)) for domain, group in groupby(ordered, key=lambda m: m.domain)]


def _plain(value: str) -> str:
    """Catalogue text as literal Markdown (its formulas hold × and ÷, never markup)."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~:$" else c for c in value)


def entry_markdown(entry: Metric, lang: str, languages: tuple[str, ...]) -> str:
    """Name (and its names in the other languages), definition, formula and facts."""
    others = " · ".join(_plain(entry.name(other)) for other in languages if other != lang)
    facts = [
        (text("definitions.formula", lang), f"`{entry.formula(lang)}`"),
        (text("definitions.unit", lang), _plain(text(f"unitname.{entry.unit}", lang))),
        (text("definitions.level", lang), _plain(text(f"level.{entry.level}", lang))),
        (text("definitions.better", lang), _plain(text(f"better.{entry.better}", lang))),
        (text("definitions.tables", lang), ", ".join(f"`{table}`" for table in entry.tables)),
        (text("definitions.key", lang), f"`{entry.key}`"),
    ]
    lines = [f"**{_plain(entry.name(lang))}**" + (f" · {others}" if others else ""), "", _plain(entry.definition(lang)), ""]
    lines += [f"- {label}: {value}" for label, value in facts]
    return "\n".join(lines)
