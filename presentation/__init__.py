"""How the dashboard presents its figures, without Streamlit: what each figure is called
and means (the metric catalogue), the texts of every language, number and date formats,
the palette, chart builders, the filter's URL round trip and the sentences of alerts and
data checks. Pages, the wall screen, the briefing and the command lines all use it."""
