"""Small-count suppression in the briefing (the rule: presentation/suppression.py). A
briefing is about one area: for one at community level or below, a covered figure between
zero and the threshold shows as "<5" on its day or the day before, without a change; a
rate worked from it (positivity) is withheld with it; its chart leaves such days out. The
briefing has no totals over its days, so nothing more needs withholding."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from data_access.settings import SuppressionSettings
from presentation.suppression import RATE_OF, WITHHELD_MARK, covered, is_fine, small_mark

if TYPE_CHECKING:  # briefing.content calls this module while it assembles a briefing
    from briefing.content import DomainSection, KeyFigure


def suppress_sections(
    sections: tuple[DomainSection, ...], level: str, settings: SuppressionSettings
) -> tuple[DomainSection, ...]:
    """``sections`` as a briefing for an area at ``level`` may show them."""
    if not settings.enabled or not is_fine(level):
        return sections
    keys = set(covered(settings))
    threshold = settings.threshold

    def small(value: float | None) -> bool:
        return value is not None and 0 < value < threshold

    result = []
    for section in sections:
        by_key = {figure.key: figure for figure in section.figures}
        figures = []
        for figure in section.figures:
            if figure.key in keys:
                figure = _marked(figure, small(figure.value), small(figure.previous), small_mark(threshold))
            elif RATE_OF.get(figure.key) in keys:
                base = by_key.get(RATE_OF[figure.key])
                hide = (True, True) if base is None else (small(base.value), small(base.previous))
                figure = _marked(figure, *hide, WITHHELD_MARK)
            figures.append(figure)
        series = tuple(
            replace(s, values=tuple(None if small(v) else v for v in s.values)) if s.label in keys else s
            for s in section.chart.series
        )
        result.append(replace(section, figures=tuple(figures), chart=replace(section.chart, series=series)))
    return tuple(result)


def _marked(figure: KeyFigure, value: bool, previous: bool, mark: str) -> KeyFigure:
    """``figure`` with its value and/or the day before's replaced by ``mark`` (no number
    left behind for the HTML's data attributes or the change)."""
    return replace(
        figure,
        value=None if value else figure.value,
        previous=None if previous else figure.previous,
        value_mark=mark if value else None,
        previous_mark=mark if previous else None,
    )


def suppressed(sections: tuple[DomainSection, ...]) -> bool:
    return any(f.value_mark or f.previous_mark for s in sections for f in s.figures)
