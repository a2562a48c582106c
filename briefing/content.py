"""What a daily briefing (每日简报) says, as plain data: for one area and day, each domain's
key figures against the day before with a 30-day chart series, the active alerts,
reporting completeness and how fresh the data is.

Everything is read through the adapter (``data_access``); nothing here draws or formats,
so the HTML and PDF renderers and the tests all read the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Engine

from briefing.suppression import suppress_sections, suppressed
from data_access import (
    areas,
    checkpoints,
    grid,
    inspections,
    isolation,
    reporting,
    supplies,
    supply_projection,
    testing,
    vaccination,
)
from data_access.alerts import Alert, active_alerts
from data_access.scope import Scope, UnknownArea, resolve_engine
from data_access.settings import SuppressionSettings, Thresholds, load_thresholds, suppression_settings
from presentation import palette
from presentation.catalogue import Metric, metric
from presentation.series import day_figure, days_of_cover_series
from presentation.stock_projection import HORIZON_DAYS, project
from presentation.stock_transfers import suggest_transfers
from presentation.text import text

TREND_DAYS = 30


class BriefingError(LookupError):
    """No briefing can be made for the request (unknown area, a day without data)."""

    def __init__(self, key: str, **fields) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields

    def message(self, lang: str) -> str:
        return text(self.key, lang, **{k: v(lang) if isinstance(v, Name) else v for k, v in self.fields.items()})

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Name:
    """A name as the master data holds it, in Chinese and English."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        """The name in ``lang``; English for a language the master data has no names in."""
        return {"zh": self.zh, "en": self.en}.get(lang, self.en)


@dataclass(frozen=True)
class KeyFigure:
    """One figure of the metric catalogue on the day and on the day before. Its name, unit
    and good direction are the catalogue's; ``note`` says which one when the figure picks
    one thing out (the item with the fewest days of cover, the alert line's days)."""

    key: str  # a key of presentation.catalogue.METRICS
    value: float | None
    previous: float | None
    digits: int = 1  # decimals of a percentage
    note: Name | float | None = None  # the item picked out, or the alert line in days
    value_mark: str | None = None  # shown instead of the value ("<5": small-count suppression)
    previous_mark: str | None = None  # … instead of the day before's

    @property
    def metric(self) -> Metric:
        return metric(self.key)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def relative_change(self) -> float | None:
        if self.change is None or not self.previous:
            return None
        return self.change / self.previous


@dataclass(frozen=True)
class Series:
    """One line or bar series of a chart: a label (a catalogue key, or a Name for an item),
    one value per chart day (None where there is no data) and a colour."""

    label: str | Name
    values: tuple[float | None, ...]
    colour: str
    right_axis: bool = False


@dataclass(frozen=True)
class Chart:
    """A small 30-day chart: ``style`` is lines, bars_and_line (bars, and a line on a right
    axis) or stacked_bars; ``threshold`` draws a dashed alert line."""

    style: str
    days: tuple[dt.date, ...]
    series: tuple[Series, ...]
    threshold: float | None = None

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)


@dataclass(frozen=True)
class DomainSection:
    domain: str
    figures: tuple[KeyFigure, ...]
    chart: Chart
    counted_in: Name | None = None  # the district (or street) actually counted, for a scope below one
    counted_level: str = "district"  # which: isolation is counted per street
    has_day: bool = False  # the domain has rows for the day itself


@dataclass(frozen=True)
class CompletenessRow:
    report_type: str
    expected: int
    reported: int
    missing: int

    @property
    def rate(self) -> float | None:
        return self.reported / self.expected if self.expected else None


@dataclass(frozen=True)
class MissingUnit:
    report_type: str
    name: Name


@dataclass(frozen=True)
class Freshness:
    domain: str
    last_day: dt.date | None
    last_reported_at: dt.datetime | None


@dataclass(frozen=True)
class StockOut:
    """A district-item projected to run out: on ``day``, ``days`` days after the briefing's."""

    item_code: str
    district: Name
    day: dt.date
    days: int


@dataclass(frozen=True)
class Transfer:
    """A suggested move, and the lowest projected days of cover of both districts before
    and after all of the item's moves."""

    item_code: str
    giver: Name
    receiver: Name
    quantity: int
    giver_cover: tuple[float | None, float | None]
    receiver_cover: tuple[float | None, float | None]


@dataclass(frozen=True)
class SupplyOutlook:
    """Stock-outs projected within ``horizon`` days, and the transfers that keep every
    district at the alert line ``line`` for ``days`` days with givers ``margin`` days above
    it (presentation/stock_projection.py, stock_transfers.py); ``transfers`` is None when
    the area holds one district (stock moves between districts)."""

    horizon: int
    days: int
    line: float
    margin: float
    stockouts: tuple[StockOut, ...]
    transfers: tuple[Transfer, ...] | None
    units: dict[str, Name]


@dataclass(frozen=True)
class Briefing:
    area_code: str
    area: Name
    level: str
    day: dt.date
    sections: tuple[DomainSection, ...]
    alerts: tuple[Alert, ...]
    alert_areas: dict[str, Name]
    items: dict[str, Name]
    completeness: tuple[CompletenessRow, ...]
    missing_units: tuple[MissingUnit, ...]
    freshness: tuple[Freshness, ...]
    is_sample: bool
    generated_at: dt.datetime  # UTC
    thresholds: Thresholds
    suppressed_below: int | None = None  # small counts are shown as "<this" (briefing/suppression.py)
    supply_outlook: SupplyOutlook | None = None  # stock-outs within 14 days, suggested transfers

    def section(self, domain: str) -> DomainSection:
        return next(s for s in self.sections if s.domain == domain)

    def figure(self, key: str) -> KeyFigure:
        """The figure with catalogue key ``key`` ("testing.positives"), from its domain's section."""
        return next(f for f in self.section(key.split(".")[0]).figures if f.key == key)

    @property
    def last_reported_at(self) -> dt.datetime | None:
        times = [f.last_reported_at for f in self.freshness if f.last_reported_at is not None]
        return max(times) if times else None


# ---------------------------------------------------------------- assembling
def default_day(engine: Engine | None = None) -> dt.date:
    """The latest day with any data."""
    bounds = areas.data_date_bounds(resolve_engine(engine))
    if bounds is None:
        raise BriefingError("briefing.error.empty")
    return bounds[1]


def build_briefing(
    area_code: str | None = None,
    day: dt.date | None = None,
    engine: Engine | None = None,
    thresholds: Thresholds | None = None,
    now: dt.datetime | None = None,
    within: str | None = None,
    suppression: SuppressionSettings | None = None,
) -> Briefing:
    """The briefing for ``area_code`` (default: the city) on ``day`` (default: the latest
    day with data). Raises BriefingError for an unknown area or a day without data."""
    engine = resolve_engine(engine)
    th = thresholds or load_thresholds()
    bounds = areas.data_date_bounds(engine)
    if bounds is None:
        raise BriefingError("briefing.error.empty")
    area_code = area_code or within or areas.root_area(engine)["code"]
    try:
        info = areas.area_info(area_code, engine, within=within)
    except UnknownArea:
        raise BriefingError("briefing.error.unknown_area", code=area_code) from None
    area = Name(info["name_zh"], info["name_en"])
    day = day or bounds[1]

    def no_data() -> BriefingError:
        return BriefingError(
            "briefing.error.no_data", area=area, day=day.isoformat(), first=bounds[0].isoformat(), last=bounds[1].isoformat()
        )

    if not bounds[0] <= day <= bounds[1]:
        raise no_data()

    # One day earlier than the chart, so the first chart day still has a day before it.
    month = Scope(area_code, day - dt.timedelta(days=TREND_DAYS), day, within)
    chart_days = tuple(day - dt.timedelta(days=n) for n in range(TREND_DAYS - 1, -1, -1))
    sections = (
        _daily_section("checkpoints", month, chart_days, engine),
        _daily_section("testing", month, chart_days, engine),
        _supplies_section(month, chart_days, engine, th),
        _vaccination_section(month, chart_days, engine),
        _daily_section("grid", month, chart_days, engine),
        _isolation_section(month, chart_days, engine),
        _inspections_section(month, chart_days, engine),
    )
    if not any(section.has_day for section in sections):
        raise no_data()
    rule = suppression or suppression_settings()
    sections = suppress_sections(sections, info["level"], rule)

    on_day = Scope(area_code, day, day, within)
    alerts = tuple(active_alerts(on_day, engine, th))
    completeness = reporting.reporting_completeness(on_day, day, engine, reporting.types_in_use(engine))
    units = reporting.reporting_units(on_day, day, engine=engine)
    missing = units[~units["reported"]]
    item_frame = supplies.supply_items(engine)
    freshness = areas.domain_freshness(engine)
    return Briefing(
        area_code=area_code,
        area=area,
        level=info["level"],
        day=day,
        sections=sections,
        alerts=alerts,
        alert_areas=_area_names({a.area_code for a in alerts}, engine),
        items={row.code: Name(row.name_zh, row.name_en) for row in item_frame.itertuples()},
        completeness=tuple(
            CompletenessRow(row.report_type, int(row.expected), int(row.reported), int(row.missing))
            for row in completeness.itertuples()
        ),
        missing_units=tuple(MissingUnit(row.report_type, Name(row.name_zh, row.name_en)) for row in missing.itertuples()),
        freshness=tuple(Freshness(row.domain, row.last_day, _timestamp(row.last_reported_at)) for row in freshness.itertuples()),
        is_sample=areas.dataset_description(engine).get("kind") == "sample",
        generated_at=now or dt.datetime.now(dt.UTC),
        thresholds=th,
        suppressed_below=rule.threshold if suppressed(sections) else None,
        supply_outlook=_supply_outlook(on_day, engine, th, item_frame),
    )


# ---------------------------------------------------------------- per domain
@dataclass(frozen=True)
class Measure:
    """A daily column of the adapter's frame shown as a key figure: the column and the
    catalogue figure it is."""

    column: str
    key: str
    digits: int = 1


@dataclass(frozen=True)
class ChartSeries:
    """A daily column drawn in the domain's chart, named by its catalogue figure."""

    column: str
    key: str
    colour: str
    right_axis: bool = False


@dataclass(frozen=True)
class DailyDomain:
    """A domain whose figures and chart come from one per-day frame of the adapter."""

    load: Callable[[Scope, Engine], pd.DataFrame]
    measures: tuple[Measure, ...]
    chart_style: str
    chart_series: tuple[ChartSeries, ...]


DAILY_DOMAINS = {
    "checkpoints": DailyDomain(
        checkpoints.checkpoint_daily_totals,
        (
            Measure("vehicles", "checkpoints.vehicles"),
            Measure("people", "checkpoints.people"),
            Measure("fever", "checkpoints.fever"),
            Measure("turned_back", "checkpoints.turned_back"),
        ),
        "lines",
        (
            ChartSeries("people", "checkpoints.people", palette.BLUE),
            ChartSeries("vehicles", "checkpoints.vehicles", palette.ORANGE),
        ),
    ),
    "testing": DailyDomain(
        testing.testing_daily_totals,
        (
            Measure("samples_collected", "testing.samples_collected"),
            Measure("samples_tested", "testing.samples_tested"),
            Measure("positives", "testing.positives"),
            # Positivity is a few in 100,000: three decimals keep it from reading 0.0%.
            Measure("positivity", "testing.positivity", digits=3),
            Measure("backlog", "testing.backlog"),
        ),
        "bars_and_line",
        (
            ChartSeries("samples_tested", "testing.samples_tested", palette.BLUE),
            ChartSeries("positives", "testing.positives", palette.RED, right_axis=True),
        ),
    ),
    "vaccination": DailyDomain(
        vaccination.doses_by_day,
        (Measure("doses", "vaccination.doses"),),
        "stacked_bars",
        (
            ChartSeries("dose1", "vaccination.dose1", palette.BLUE),
            ChartSeries("dose2", "vaccination.dose2", palette.GREEN),
            ChartSeries("booster", "vaccination.booster", palette.PURPLE),
        ),
    ),
    "grid": DailyDomain(
        grid.grid_daily_totals,
        (
            Measure("units_red", "grid.units_red"),
            Measure("units_orange", "grid.units_orange"),
            Measure("home_observation", "grid.home_observation"),
            Measure("households_visited", "grid.households_visited"),
        ),
        "stacked_bars",
        (
            ChartSeries("units_red", "grid.units_red", palette.RISK["red"]),
            ChartSeries("units_orange", "grid.units_orange", palette.RISK["orange"]),
        ),
    ),
    "isolation": DailyDomain(
        isolation.people_daily_totals,
        (
            Measure("held", "isolation.held"),
            Measure("new_in", "isolation.new_in"),
            Measure("released", "isolation.released"),
            Measure("overdue", "isolation.overdue"),
        ),
        "stacked_bars",
        (
            ChartSeries("held_centralised", "isolation.held_centralised", palette.RED),
            ChartSeries("held_home_isolation", "isolation.held_home_isolation", palette.ORANGE),
            ChartSeries("held_home_monitoring", "isolation.held_home_monitoring", palette.BLUE),
        ),
    ),
    "inspections": DailyDomain(
        inspections.inspection_daily_totals,
        (
            Measure("inspections", "inspections.inspections"),
            Measure("inspector_visits", "inspections.inspector_visits"),
            Measure("pass_rate", "inspections.pass_rate"),
            Measure("problems_found", "inspections.problems_found"),
            Measure("overdue", "inspections.overdue"),
            Measure("penalties", "inspections.penalties"),
        ),
        "bars_and_line",
        (
            ChartSeries("inspections", "inspections.inspections", palette.BLUE),
            ChartSeries("problems_found", "inspections.problems_found", palette.RED, right_axis=True),
        ),
    ),
}


def _daily_section(domain: str, month: Scope, days: tuple[dt.date, ...], engine: Engine) -> DomainSection:
    spec = DAILY_DOMAINS[domain]
    daily = spec.load(month, engine)
    day = month.end
    figures = []
    for m in spec.measures:
        figure = day_figure(daily, m.column, day)
        figures.append(KeyFigure(m.key, figure.value, figure.previous, m.digits))
    series = tuple(Series(s.key, _on_days(daily, s.column, days), s.colour, s.right_axis) for s in spec.chart_series)
    return DomainSection(domain, tuple(figures), Chart(spec.chart_style, days, series), has_day=_has_day(daily, day))


def _supplies_section(month: Scope, days: tuple[dt.date, ...], engine: Engine, th: Thresholds) -> DomainSection:
    """The item with the fewest days of cover, how many items are under the alert line,
    and the days of cover of the three lowest items over the month."""
    day = month.end
    yesterday = day - dt.timedelta(days=1)
    today = supplies.supply_status(month.with_days(month.start, day), engine)
    before = supplies.supply_status(month.with_days(month.start - dt.timedelta(days=1), yesterday), engine)
    covered = supplies.effective_scope(month, engine)
    has_day = not today.empty and (pd.to_datetime(today["as_of"]).dt.date == day).any()

    lowest_item, lowest, lowest_before, series = None, None, None, []
    rated = today.dropna(subset=["days_of_cover"])
    if not rated.empty:
        rated = rated.sort_values(["days_of_cover", "item_code"])
        first = rated.iloc[0]
        lowest_item = Name(first["name_zh"], first["name_en"])
        lowest = float(first["days_of_cover"])
        previous_row = before[before["item_code"] == first["item_code"]]["days_of_cover"]
        lowest_before = float(previous_row.iloc[0]) if len(previous_row) and pd.notna(previous_row.iloc[0]) else None
        # Each chart day's cover uses the 7 days up to it: read a week before the chart.
        history = month.with_days(days[0] - dt.timedelta(days=supplies.CONSUMPTION_WINDOW_DAYS - 1), day)
        for colour, row in zip((palette.RED, palette.ORANGE, palette.PURPLE), rated.head(3).itertuples(), strict=False):
            cover = days_of_cover_series(supplies.supply_item_daily(history, row.item_code, engine))
            series.append(Series(Name(row.name_zh, row.name_en), tuple(_value(cover.get(d)) for d in days), colour))

    def under_line(status: pd.DataFrame) -> float | None:
        return float((status["days_of_cover"] < th.days_of_cover_warning).sum()) if not status.empty else None

    return DomainSection(
        "supplies",
        (
            KeyFigure("supplies.lowest_area_cover", lowest, lowest_before, note=lowest_item),
            KeyFigure("supplies.items_below_line", under_line(today), under_line(before), note=th.days_of_cover_warning),
        ),
        Chart("lines", days, tuple(series), threshold=th.days_of_cover_warning),
        counted_in=_counted_in(covered, month, engine),
        has_day=bool(has_day),
    )


def _vaccination_section(month: Scope, days: tuple[dt.date, ...], engine: Engine) -> DomainSection:
    """Doses given on the day, and full-course and booster coverage (counted for the
    district when the scope lies below one)."""
    day = month.end
    yesterday = day - dt.timedelta(days=1)
    now = vaccination.coverage_total(month.with_days(day, day), engine)
    before = vaccination.coverage_total(month.with_days(yesterday, yesterday), engine)
    coverage = tuple(
        KeyFigure(f"vaccination.{column}", _first(now, column), _first(before, column))
        for column in ("coverage_dose2", "coverage_booster")
    )
    section = _daily_section("vaccination", month, days, engine)
    return replace(
        section,
        figures=section.figures + coverage,
        counted_in=_counted_in(vaccination.effective_scope(month, engine), month, engine),
    )


def _isolation_section(month: Scope, days: tuple[dt.date, ...], engine: Engine) -> DomainSection:
    """People held and overdue at the day's end, taken in and released during it, and the
    isolation sites' room occupancy and sites breaking the single-room rule on the day
    (counted for the street when the scope lies below one)."""
    day = month.end
    sites = isolation.site_daily_totals(month, engine)
    on_sites = tuple(
        KeyFigure(key, figure.value, figure.previous)
        for key, figure in (
            ("isolation.occupancy", day_figure(sites, "occupancy", day)),
            ("isolation.single_room_breaches", day_figure(sites, "single_room_breaches", day)),
        )
    )
    section = _daily_section("isolation", month, days, engine)
    return replace(
        section,
        figures=section.figures + on_sites,
        counted_in=_counted_in(isolation.effective_scope(month, engine), month, engine),
        counted_level="street",
    )


def _inspections_section(month: Scope, days: tuple[dt.date, ...], engine: Engine) -> DomainSection:
    """Entity checks, inspector-visits, the pass rate, problems found and penalties of the
    day, problems overdue at its end (counted for the street when the scope lies below one:
    teams report per street)."""
    section = _daily_section("inspections", month, days, engine)
    return replace(
        section, counted_in=_counted_in(inspections.effective_scope(month, engine), month, engine), counted_level="street"
    )


def _supply_outlook(on_day: Scope, engine: Engine, th: Thresholds, items: pd.DataFrame) -> SupplyOutlook:
    """The Supplies page's projection from the briefing's day (no what-if) and its suggested
    transfers at the configured alert line, days and margin."""
    day = on_day.end
    stock = supplies.days_of_cover_by_district(on_day, engine)
    history = supply_projection.district_ledger_days(on_day.with_days(*supply_projection.history_window(day)), engine)
    projection = project(history, stock, day)
    districts = {row.district_code: Name(row.district_name_zh, row.district_name_en) for row in stock.itertuples()}
    stockouts = tuple(
        StockOut(row.item_code, districts[row.district_code], row.stockout_day, int(row.days_to_stockout))
        for row in projection.stockouts().itertuples()
    )
    transfers = None
    if stock["district_code"].nunique() > 1:
        plan = suggest_transfers(projection, th.days_of_cover_warning, th.transfer_margin_days, th.transfer_days)
        transfers = tuple(
            Transfer(
                row.item_code,
                districts[row.from_district],
                districts[row.to_district],
                int(row.quantity),
                (_value(row.from_cover_before), _value(row.from_cover_after)),
                (_value(row.to_cover_before), _value(row.to_cover_after)),
            )
            for row in plan.moves.itertuples()
        )
    return SupplyOutlook(
        horizon=HORIZON_DAYS,
        days=max(1, min(th.transfer_days, HORIZON_DAYS)),
        line=th.days_of_cover_warning,
        margin=th.transfer_margin_days,
        stockouts=stockouts,
        transfers=transfers,
        units={row.code: Name(row.unit_zh, row.unit_en) for row in items.itertuples()},
    )


# ---------------------------------------------------------------- helpers
def _on_days(daily: pd.DataFrame, column: str, days: tuple[dt.date, ...]) -> tuple[float | None, ...]:
    if daily is None or daily.empty or column not in daily:
        return tuple(None for _ in days)
    by_day = daily.set_index("day")[column]
    return tuple(_value(by_day.get(d)) for d in days)


def _value(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _first(frame: pd.DataFrame, column: str) -> float | None:
    return _value(frame[column].iloc[0]) if not frame.empty and column in frame else None


def _has_day(daily: pd.DataFrame, day: dt.date) -> bool:
    return daily is not None and not daily.empty and bool((daily["day"] == day).any())


def _counted_in(effective: Scope, scope: Scope, engine: Engine) -> Name | None:
    """The district whose figures a narrower scope shows (supplies, vaccination coverage)."""
    if effective.area_code == scope.area_code:
        return None
    info = areas.area_info(effective.area_code, engine)
    return Name(info["name_zh"], info["name_en"])


def _area_names(codes: set[str], engine: Engine) -> dict[str, Name]:
    names = {}
    for code in sorted(codes):
        info = areas.area_info(code, engine)
        names[code] = Name(info["name_zh"], info["name_en"])
    return names


def _timestamp(value) -> dt.datetime | None:
    if value is None or pd.isna(value):
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
