"""The briefing's small 30-day charts as SVG (matplotlib, text drawn as outlines so the
chart looks the same in any browser and in the PDF without needing a font)."""

from __future__ import annotations

import io
import re
import threading

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator

from briefing import text  # noqa: F401 - registers the briefing's words
from briefing.content import Chart, Name
from ui.i18n import t

WIDTH_IN, HEIGHT_IN = 3.5, 1.8
FONT_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "DejaVu Sans"]
_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILIES,
    "font.size": 7,
    "svg.fonttype": "path",  # glyph outlines: no font needed where the SVG is shown
    "svg.hashsalt": "briefing",  # stable ids, so the same data gives the same file
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#999999",
    "axes.linewidth": 0.6,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 6.5,
}
# rcParams are process-wide; charts are drawn one at a time.
_LOCK = threading.Lock()


def chart_svg(chart: Chart, lang: str, id_prefix: str) -> str:
    """``chart`` as an ``<svg>`` element (no XML prolog), its ids prefixed by ``id_prefix``
    so several charts can sit in one HTML page."""
    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
        axes = figure.add_subplot()
        if chart.empty:
            axes.set_axis_off()
            axes.text(0.5, 0.5, t("briefing.chart.no_data", lang), ha="center", va="center", color="#777777", fontsize=8)
        else:
            _draw(axes, chart, lang)
        figure.tight_layout(pad=0.3)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(buffer.getvalue(), id_prefix)


def _draw(axes, chart: Chart, lang: str) -> None:
    x = np.arange(len(chart.days))
    handles = []
    if chart.style == "stacked_bars":
        bottom = np.zeros(len(x))
        for series in chart.series:
            values = _values(series.values, missing=0.0)
            handles.append(_bars(axes, x, values, bottom, series.colour, _label(series.label, lang)))
            bottom += values
        axes.set_ylim(top=max(1.0, bottom.max() * 1.08))
    else:
        for series in chart.series:
            target = axes
            values = _values(series.values)
            if series.right_axis:
                target = axes.twinx()
                target.spines["right"].set_visible(True)
                target.yaxis.set_major_locator(MaxNLocator(4, integer=True))
                target.set_ylim(bottom=0, top=max(1.0, _peak(values) * 1.25))
                target.tick_params(axis="y", colors=series.colour, labelsize=6.5)
            if chart.style == "bars_and_line" and not series.right_axis:
                handles.append(
                    _bars(axes, x, np.nan_to_num(values), np.zeros(len(x)), series.colour, _label(series.label, lang), alpha=0.75)
                )
                axes.set_ylim(top=max(1.0, _peak(values) * 1.08))
            else:
                (line,) = target.plot(x, values, color=series.colour, linewidth=1.4, label=_label(series.label, lang))
                # The briefing's day, marked.
                target.plot(x[-1:], values[-1:], color=series.colour, marker="o", markersize=3, linestyle="none")
                handles.append(line)
    if chart.threshold is not None:
        line = axes.axhline(
            chart.threshold,
            color="#d62728",
            linestyle=(0, (4, 3)),
            linewidth=0.9,
            label=t("briefing.chart.threshold", lang, days=f"{chart.threshold:g}"),
        )
        handles.append(line)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(4))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(v, lang)))
    axes.grid(axis="y", color="#e3e3e3", linewidth=0.5)
    axes.set_axisbelow(True)
    ticks = [i for i, day in enumerate(chart.days) if (len(chart.days) - 1 - i) % 7 == 0]
    axes.set_xticks(ticks, [f"{chart.days[i].month}/{chart.days[i].day}" for i in ticks])
    axes.set_xlim(-0.7, len(x) - 0.3)
    axes.tick_params(labelsize=6.5, length=2)
    # Four entries in English do not fit on one line of a half-page chart.
    columns = len(handles) if lang == "zh" or len(handles) <= 3 else 2
    axes.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=columns,
        borderaxespad=0.2,
        handlelength=1.2,
        columnspacing=1.0,
    )


def _bars(axes, x, heights, bottoms, colour: str, label: str, width: float = 0.75, alpha: float = 1.0) -> PathPatch:
    """Bars as one compound path: one SVG element per series instead of one per day,
    which keeps the PDF quick to make."""
    vertices, codes = [], []
    for left, bottom, height in zip(x - width / 2, bottoms, heights, strict=True):
        if height <= 0:
            continue
        vertices += [
            (left, bottom),
            (left + width, bottom),
            (left + width, bottom + height),
            (left, bottom + height),
            (left, bottom),
        ]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    patch = PathPatch(Path(vertices or [(0, 0)], codes or None), facecolor=colour, edgecolor="none", alpha=alpha, label=label)
    axes.add_patch(patch)
    axes.set_xlim(-0.7, len(x) - 0.3)
    return patch


def _peak(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else 0.0


def _values(values, missing=np.nan) -> np.ndarray:
    return np.array([missing if v is None else v for v in values], dtype=float)


def _label(label: str | Name, lang: str) -> str:
    return label(lang) if isinstance(label, Name) else t(f"briefing.series.{label}", lang)


def _tick(value: float, lang: str) -> str:
    """Axis labels: 万 in Chinese, k/M in English, thousands separators below that."""
    magnitude = abs(value)
    if lang == "zh" and magnitude >= 1e4:
        return f"{value / 1e4:,.{0 if value % 1e4 == 0 else 1}f}万"
    if lang != "zh" and magnitude >= 1e6:
        return f"{value / 1e6:,.{0 if value % 1e6 == 0 else 1}f}M"
    if lang != "zh" and magnitude >= 1e4:
        return f"{value / 1e3:,.0f}k"
    return f"{value:,.{0 if value == round(value) else 1}f}"


_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)


def _inline(svg: str, prefix: str) -> str:
    """Drop the XML prolog and make every id (and each reference to one) unique to this chart."""
    svg = _PROLOG.sub("", svg, count=1)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)  # RDF boilerplate
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return svg
