"""Every piece of UI text, in Chinese and English, from one place.

``t("key")`` returns the text in the current language (session state ``lang``, set by the
sidebar switch / ``?lang=`` / the configured default). ``{name}`` fields are filled from
keyword arguments.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    # ---- app, navigation
    "app.title": ("疫情防控运行看板", "Epidemic-control operations dashboard"),
    "app.sample_notice": (
        "示例数据：本看板显示的是按随机种子生成的虚构城市“清河市”的数据，数量级参照真实工作报告，并非真实疫情数据。",
        "Sample data: this dashboard shows a fictional city (“Qinghe City”) generated from a random seed, "
        "calibrated to real work reports’ orders of magnitude. It is not real epidemic data.",
    ),
    "app.sample_badge": ("示例数据", "Sample data"),
    "app.db_down": (
        "数据库暂时无法访问，显示的数据可能不完整。系统会自动重试。（{detail}）",
        "The database cannot be reached right now; figures may be missing. The dashboard retries automatically. ({detail})",
    ),
    "app.no_data": (
        "数据库中还没有数据。请通过“数据上报”导入日报，或运行 make run 载入示例数据。",
        "The database holds no data yet. Import daily reports, or run make run to load the sample city.",
    ),
    "app.loading_sample": ("正在生成示例数据（约 15 秒）…", "Generating the sample city (about 15 s)…"),
    "nav.overview": ("总览", "Overview"),
    "nav.checkpoints": ("道口通行", "Checkpoints"),
    "nav.testing": ("核酸检测", "Testing"),
    "nav.supplies": ("物资保障", "Supplies"),
    "nav.vaccination": ("疫苗接种", "Vaccination"),
    "nav.grid_map": ("网格地图", "Grid map"),
    "nav.menu": ("页面", "Pages"),
    # ---- filter
    "filter.title": ("筛选", "Filter"),
    "filter.area": ("区域", "Area"),
    "filter.search": ("搜索区域（名称或代码）", "Search area (name or code)"),
    "filter.search_placeholder": ("输入名称或代码…", "Type a name or code…"),
    "filter.whole": ("全部", "All"),
    "filter.level.city": ("全市", "Whole city"),
    "filter.level.district": ("区县", "District"),
    "filter.level.street": ("街道/镇", "Street / town"),
    "filter.level.community": ("社区/村", "Community / village"),
    "filter.level.compound": ("小区/自然村", "Compound"),
    "filter.level.grid": ("联防单元", "Grid unit"),
    "filter.dates": ("日期", "Dates"),
    "filter.preset.latest": ("最新一天", "Latest day"),
    "filter.preset.7d": ("近7天", "Last 7 days"),
    "filter.preset.30d": ("近30天", "Last 30 days"),
    "filter.preset.all": ("全部", "All"),
    "filter.preset.custom": ("自定义", "Custom"),
    "filter.custom_range": ("起止日期", "From – to"),
    "filter.language": ("语言", "Language"),
    "filter.current": ("{area} · {dates}", "{area} · {dates}"),
    "filter.data_span": ("数据范围：{first} 至 {last}", "Data from {first} to {last}"),
    "filter.up": ("返回上一级：{name}", "Up to {name}"),
    # ---- common
    "common.as_of": ("数据截至 {time}", "Data as of {time}"),
    "common.as_of_day": ("数据日期 {day}", "Data for {day}"),
    "common.vs_yesterday": ("较前一日", "vs day before"),
    "common.vs_previous": ("较上一周期", "vs previous period"),
    "common.show_table": ("以表格显示", "Show as table"),
    "common.download_csv": ("下载 CSV", "Download CSV"),
    "common.empty": ("所选区域和日期没有数据。", "No data for the selected area and dates."),
    "common.widened": (
        "{domain}数据按区县统计，当前显示所在区县“{name}”的数据。",
        "{domain} figures exist per district; showing the district “{name}”.",
    ),
    "common.day": ("日期", "Day"),
    "common.hour": ("小时", "Hour"),
    "common.area": ("区域", "Area"),
    "common.code": ("代码", "Code"),
    "common.name": ("名称", "Name"),
    "common.value": ("数值", "Value"),
    "common.measure": ("指标", "Measure"),
    "common.top": ("最高", "Top"),
    "common.bottom": ("最低", "Bottom"),
    "common.residents": ("常住人口", "Residents"),
    "common.households": ("户数", "Households"),
    "common.days": ("{n} 天", "{n} days"),
    "common.no_change": ("持平", "no change"),
    # ---- domains (KPI labels)
    "domain.checkpoints": ("道口通行", "Checkpoints"),
    "domain.testing": ("核酸检测", "Testing"),
    "domain.supplies": ("物资保障", "Supplies"),
    "domain.vaccination": ("疫苗接种", "Vaccination"),
    "domain.grid": ("网格管理", "Grid units"),
    # ---- overview
    "overview.title": ("总览", "Overview"),
    "overview.kpi.people_checked": ("道口查验人员", "People checked at checkpoints"),
    "overview.kpi.samples_tested": ("核酸检测样本", "Samples tested"),
    "overview.kpi.positives": ("阳性", "Positives"),
    "overview.kpi.lowest_cover": ("最低保障天数：{item}", "Lowest days of cover: {item}"),
    "overview.kpi.lowest_cover_short": ("最低保障天数", "Lowest days of cover"),
    "overview.kpi.doses": ("疫苗接种剂次", "Vaccine doses given"),
    "overview.kpi.booster_coverage": ("加强针覆盖率", "Booster coverage"),
    "overview.kpi.red_orange": ("红/橙色网格单元", "Grid units red / orange"),
    "overview.freshness": ("各类数据更新时间", "Latest data by domain"),
    "overview.last_day": ("最新数据日期", "Latest day with data"),
    "overview.last_report": ("最近上报时间", "Last report received"),
    "overview.sparkline_note": ("卡片中折线为近30天走势。", "Card sparklines show the last 30 days."),
    # ---- units
    "unit.days": ("天", "days"),
    "unit.hours": ("小时", "h"),
    "unit.per_100k": ("每十万人", "per 100,000"),
}


def t(key: str, lang: str | None = None, **fields) -> str:
    """The text for ``key`` in ``lang`` (default: the session's language)."""
    if lang is None:
        lang = current_language()
    zh, en = TEXT[key]
    text = zh if lang == "zh" else en
    return text.format(**fields) if fields else text


def current_language() -> str:
    try:
        import streamlit as st

        lang = st.session_state.get("lang")
    except Exception:  # outside a Streamlit run (CLI, tests of pure code)
        lang = None
    if lang in LANGUAGES:
        return lang
    from ui.settings import get_settings

    return get_settings().language


def register(entries: dict[str, tuple[str, str]]) -> None:
    """Add a module's texts to the catalogue (keys must be new)."""
    clash = set(entries) & set(TEXT)
    if clash:
        raise KeyError(f"duplicate UI text keys: {sorted(clash)}")
    TEXT.update(entries)

TEXT.update(
    {
        # ---- checkpoints
        "cp.title": ("道口通行", "Checkpoint throughput"),
        "cp.vehicles": ("查验车辆", "Vehicles checked"),
        "cp.people": ("查验人员", "People checked"),
        "cp.temperature_checks": ("体温检测", "Temperature checks"),
        "cp.fever": ("发热人员", "Fever found"),
        "cp.code_yellow": ("黄码", "Health code yellow"),
        "cp.code_red": ("红码", "Health code red"),
        "cp.risk_area_arrivals": ("中高风险地区来人", "Arrivals from risk areas"),
        "cp.turned_back": ("劝返", "Turned back"),
        "cp.to_fever_clinic": ("转运发热门诊", "Sent to fever clinics"),
        "cp.fever_per_100k": ("每十万人发热数", "Fever per 100,000 checked"),
        "cp.trend_traffic": ("每日车辆与人员", "Vehicles and people per day"),
        "cp.trend_alerts": ("每日发热与劝返", "Fever found and turned back per day"),
        "cp.hourly": ("分时段通行（日均）", "Hourly profile (mean per day)"),
        "cp.table": ("各道口通行与查验能力", "Checkpoints: throughput against staffed capacity"),
        "cp.table_note": (
            "查验能力 = 车道数 × 每车道每小时查验人数 × 在岗小时数；高亮：利用率最高（红）与最低（蓝）的道口。",
            "Staffed capacity = lanes × people a lane checks per hour × hours staffed. Highlighted: highest (red) and lowest (blue) use of capacity.",
        ),
        "cp.by_area": ("分区域通行", "Throughput by area"),
        "cp.col.checkpoint": ("道口", "Checkpoint"),
        "cp.col.kind": ("类型", "Type"),
        "cp.col.lanes": ("车道", "Lanes"),
        "cp.col.staffed_hours": ("在岗小时", "Hours staffed"),
        "cp.col.per_lane_hour": ("每车道小时查验人数", "People per lane-hour"),
        "cp.col.capacity": ("查验能力（人）", "Staffed capacity (people)"),
        "cp.col.utilisation": ("能力利用率", "Use of capacity"),
        "cp.col.rank": ("排名", "Rank"),
        "cp.col.checkpoints": ("道口数", "Checkpoints"),
        "cp.rank.top": ("▲ 最高", "▲ top"),
        "cp.rank.bottom": ("▼ 最低", "▼ bottom"),
        "cp.kind.highway_exit": ("高速出口", "Expressway exit"),
        "cp.kind.national_road": ("国道", "National road"),
        "cp.kind.provincial_road": ("省道", "Provincial road"),
        "cp.kind.county_road": ("县道", "County road"),
        "cp.kind.rail_station": ("火车站", "Rail station"),
    }
)
