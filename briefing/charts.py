"""The briefing's small 30-day charts as SVG (matplotlib, text drawn as outlines so the
chart looks the same in any browser and in the PDF without needing a font)."""

from __future__ import annotations

import io
import re
import threading

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator

from briefing.content import Chart, Name, Series
from presentation import formatting as fmt
from presentation import palette
from presentation.catalogue import name
from presentation.text import text

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
    "axes.edgecolor": palette.AXIS,
    "axes.linewidth": 0.6,
    "xtick.color": palette.INK_MUTED,
    "ytick.color": palette.INK_MUTED,
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
        FigureCanvasAgg(figure)  # a renderer to measure the legend with; savefig still writes SVG
        axes = figure.add_subplot()
        if chart.empty:
            axes.set_axis_off()
            axes.text(0.5, 0.5, text("briefing.chart.no_data", lang), ha="center", va="center", color=palette.GREY, fontsize=8)
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
            handles.append(_bars(axes, x, values, bottom, series.colour, _label(series, lang)))
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
                    _bars(axes, x, np.nan_to_num(values), np.zeros(len(x)), series.colour, _label(series, lang), alpha=0.75)
                )
                axes.set_ylim(top=max(1.0, _peak(values) * 1.08))
            else:
                (line,) = target.plot(x, values, color=series.colour, linewidth=1.4, label=_label(series, lang))
                # The briefing's day, marked.
                target.plot(x[-1:], values[-1:], color=series.colour, marker="o", markersize=3, linestyle="none")
                handles.append(line)
    if chart.threshold is not None:
        line = axes.axhline(
            chart.threshold,
            color=palette.RED,
            linestyle=(0, (4, 3)),
            linewidth=0.9,
            label=text("briefing.chart.threshold", lang, days=f"{chart.threshold:g}"),
        )
        handles.append(line)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(4))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(v, lang)))
    axes.grid(axis="y", color=palette.GRIDLINE, linewidth=0.5)
    axes.set_axisbelow(True)
    ticks = [i for i, day in enumerate(chart.days) if (len(chart.days) - 1 - i) % 7 == 0]
    axes.set_xticks(ticks, [f"{chart.days[i].month}/{chart.days[i].day}" for i in ticks])
    axes.set_xlim(-0.7, len(x) - 0.3)
    axes.tick_params(labelsize=6.5, length=2)
    _legend(axes, handles)


def _legend(axes, handles) -> None:
    """The legend above the plot, on one line when it fits the chart's width, else in two
    columns (long names, or four entries, do not fit on one line of a half-page chart)."""
    for columns in (len(handles), 2):
        legend = axes.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=columns,
            borderaxespad=0.2,
            handlelength=1.2,
            columnspacing=1.0,
        )
        figure = axes.get_figure()
        # The legend starts at the plot's left edge; it must end within the figure.
        if legend.get_window_extent(figure.canvas.get_renderer()).x1 <= figure.bbox.x1:
            return


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


def _label(series: Series, lang: str) -> str:
    """A series' name (an item's, or its catalogue figure's), saying so when it is read
    against the right-hand axis."""
    label = series.label(lang) if isinstance(series.label, Name) else name(series.label, lang)
    return text("briefing.series.right_axis", lang, name=label) if series.right_axis else label


def _tick(value: float, lang: str) -> str:
    """Axis labels in the locale's compact form from 10,000 up (5万, 50K: a tick has no
    room for more), the locale's grouping below, one decimal between whole ticks."""
    if abs(value) >= 1e4 or value == round(value):
        return fmt.count(value, lang, compact=True, compact_from=1e4)
    return fmt.decimal(value, lang)


_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)


def _inline(svg: str, prefix: str) -> str:
    """Drop the XML prolog and make every id (and each reference to one) unique to this chart."""
    svg = _PROLOG.sub("", svg, count=1)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)  # RDF boilerplate
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return svg
