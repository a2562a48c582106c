"""One palette for the whole dashboard: pages, the wall, maps and the briefing.

Series colours are readable on light and dark backgrounds; the four risk colours are the
四色 grid levels; ``GOOD``/``BAD`` colour changes by the figure's good direction.
"""

BLUE, RED, GREEN, ORANGE, PURPLE, BROWN, CYAN, GREY = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f",
)  # fmt: skip
SERIES = [BLUE, RED, GREEN, ORANGE, PURPLE, BROWN, CYAN, GREY]

RISK = {"green": "#2e9d48", "yellow": "#f2c12e", "orange": "#f07f1e", "red": "#d7261e"}
NO_DATA = "#bebebe"
APPROXIMATE_EDGE = "#1e6edc"  # the edge of map cells derived from a centre point
# Report freshness on the map (上报时效), readable with red-green colour blindness: Okabe-Ito
# blue, yellow and vermillion, and a dark wine; apart in hue and in lightness.
FRESHNESS = {"on_time": "#0072b2", "late": "#f0e442", "missing": "#d55e00", "missing_2plus": "#6b1f3a"}
# Light → dark ramp for a metric on the map (ColorBrewer YlOrRd, 5 classes).
METRIC_RAMP = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
# Counts on the map's isolation and inspections colourings: none at all in near-white, then
# light → dark bands of the units that have some. People at home in purples (ColorBrewer
# Purples), so the isolation sites' occupancy points in the four risk colours stand out on them.
ZERO_COUNT = "#f7f7f7"
HOME_MEASURES_RAMP = ["#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]
OPEN_PROBLEMS_RAMP = METRIC_RAMP[1:]

GOOD, BAD = "#1b7f3b", "#c62828"
ACCENT = "#c62828"  # the briefing's masthead and section marks
WARNING = "#ef6c00"

# The selected days in a trend drawn with its context.
SELECTED_BAND = "#f2c12e"

# Print (the briefing): ink, rules and fills on white paper.
INK, INK_MUTED, AXIS, GRIDLINE = "#1b1f24", "#555555", "#999999", "#e3e3e3"
RULE, RULE_STRONG, HEADER_FILL, SECTION_FILL = "#dde1e6", "#9aa3ad", "#f1f3f5", "#fafbfc"
NOTICE_FILL, NOTICE_INK, SCREEN_BACKGROUND = "#fff8e1", "#5d4300", "#e8eaed"

# The wall screen: dark, bright series.
WALL_BACKGROUND, WALL_PANEL, WALL_GRID, WALL_DOMAIN = "#0a1020", "#111a2e", "#24314f", "#3a4a6b"
WALL_TEXT, WALL_MUTED, WALL_LABEL, WALL_BRIGHT = "#e8eef7", "#9fb0d0", "#cfd8e8", "#ffffff"
WALL_SERIES = ["#5ab0ff", "#ffb347", "#7dd87d", "#ff6b6b"]
WALL_BAD, WALL_OK, WALL_RULE = "#ff6b6b", "#5ab0ff", "#ffb347"


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as the (r, g, b) pydeck layers take."""
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
