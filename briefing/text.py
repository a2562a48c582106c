"""The briefing's own words, in Chinese and English, added to the shared UI catalogue."""

from ui.i18n import TEXT, register

# Units that follow a count in Chinese ("32.8万辆"); English labels already name the thing.
COUNT_UNITS_ZH = {
    "vehicles": "辆",
    "people": "人次",
    "persons": "人",
    "samples": "份",
    "cases": "例",
    "doses": "剂次",
    "units": "个",
    "households": "户",
    "items": "类",
}

ENTRIES: dict[str, tuple[str, str]] = {
    "briefing.name": ("每日简报", "Daily briefing"),
    "briefing.title": ("{area}疫情防控每日简报", "{area}: epidemic-control daily briefing"),
    "briefing.for_day": ("数据日期：{day}", "Data for {day}"),
    "briefing.data_time": ("数据截至 {time}", "Data as of {time}"),
    "briefing.generated": ("生成于 {time}", "Generated {time}"),
    "briefing.footer": ("{title} · 第 ", "{title} · page "),
    "briefing.footer_of": (" 页，共 ", " of "),
    "briefing.footer_end": (" 页", ""),
    "briefing.sample_notice": (
        "示例数据：本简报的数据来自按随机种子生成的虚构城市“清河市”，数量级参照真实工作报告，并非真实疫情数据。",
        "Sample data: this briefing shows a fictional city (“Qinghe City”) generated from a random seed, "
        "calibrated to real work reports’ orders of magnitude. It is not real epidemic data.",
    ),
    # sections
    "briefing.section.figures": ("一、主要数据", "1. Key figures"),
    "briefing.section.alerts": ("二、预警（{n} 条）", "2. Alerts ({n})"),
    "briefing.section.trends": ("三、近30天走势", "3. Last 30 days"),
    "briefing.section.completeness": ("四、上报情况（{day}）", "4. Reporting completeness ({day})"),
    "briefing.section.data_time": ("五、数据时间", "5. Data time"),
    # key figures table
    "briefing.col.figure": ("指标", "Figure"),
    "briefing.col.change": ("较前一日", "Change vs day before"),
    "briefing.col.severity": ("级别", "Severity"),
    "briefing.col.alert": ("内容", "Alert"),
    "briefing.col.rate": ("上报率", "Share reported"),
    "briefing.col.domain": ("领域", "Domain"),
    "briefing.not_reported": ("未上报", "not reported"),
    "briefing.counted_in": ("按所在区县“{name}”统计", "counted for the district “{name}”"),
    "briefing.coverage_counted_in": ("覆盖率按所在区县“{name}”统计", "coverage counted for the district “{name}”"),
    "briefing.figure.checkpoints.vehicles": ("道口查验车辆", "Vehicles checked"),
    "briefing.figure.checkpoints.people": ("道口查验人员", "People checked"),
    "briefing.figure.checkpoints.fever": ("发现发热人员", "Fever found"),
    "briefing.figure.checkpoints.turned_back": ("劝返", "Turned back"),
    "briefing.figure.testing.samples_collected": ("核酸采样数", "Samples collected"),
    "briefing.figure.testing.samples_tested": ("核酸检测数", "Samples tested"),
    "briefing.figure.testing.positives": ("阳性", "Positives"),
    "briefing.figure.testing.positivity": ("阳性率", "Positivity"),
    "briefing.figure.testing.backlog": ("待检积压", "Testing backlog"),
    "briefing.figure.supplies.lowest_cover": ("最低可保障天数（{item}）", "Lowest days of cover ({item})"),
    "briefing.figure.supplies.items_below": ("低于{days}天预警线的物资", "Items under {days} days of cover"),
    "briefing.figure.vaccination.doses": ("疫苗接种", "Vaccine doses given"),
    "briefing.figure.vaccination.coverage_dose2": ("全程接种覆盖率", "Full-course coverage"),
    "briefing.figure.vaccination.coverage_booster": ("加强针覆盖率", "Booster coverage"),
    "briefing.figure.grid.units_red": ("红色网格单元", "Grid units red"),
    "briefing.figure.grid.units_orange": ("橙色网格单元", "Grid units orange"),
    "briefing.figure.grid.home_observation": ("居家观察", "Under home observation"),
    "briefing.figure.grid.households_visited": ("入户走访", "Households visited"),
    # charts
    "briefing.chart.checkpoints": ("查验人员与车辆", "People and vehicles checked"),
    "briefing.chart.testing": ("检测量与阳性", "Samples tested and positives"),
    "briefing.chart.supplies": ("可保障天数最低的物资", "Items with the fewest days of cover"),
    "briefing.chart.vaccination": ("每日接种剂次", "Doses per day by dose"),
    "briefing.chart.grid": ("红色、橙色网格单元数", "Units red and orange"),
    "briefing.chart.threshold": ("预警线 {days} 天", "alert line {days} days"),
    "briefing.chart.no_data": ("近30天无数据", "no data in the last 30 days"),
    "briefing.series.people": ("查验人员", "people"),
    "briefing.series.vehicles": ("查验车辆", "vehicles"),
    "briefing.series.samples_tested": ("检测数", "tested"),
    "briefing.series.positives": ("阳性（右轴）", "positives (right axis)"),
    "briefing.series.dose1": ("第一剂", "1st dose"),
    "briefing.series.dose2": ("第二剂", "2nd dose"),
    "briefing.series.booster": ("加强针", "booster"),
    "briefing.series.units_red": ("红色", "red"),
    "briefing.series.units_orange": ("橙色", "orange"),
    # completeness and data time
    "briefing.missing_units": ("未上报单位：{units}", "Not reported: {units}"),
    "briefing.missing_more": ("等 {n} 个", "and {n} more"),
    "briefing.all_reported": ("所有单位均已上报。", "Every unit has reported."),
    "briefing.total": ("合计", "Total"),
    # download panel and command line
    "briefing.panel_note": (
        "当前筛选区域 {day} 的 A4 简报，点击按钮后生成。",
        "An A4 briefing of the filtered area for {day}, made when you click.",
    ),
    "briefing.download_pdf": ("下载简报 PDF", "Download briefing (PDF)"),
    "briefing.download_html": ("下载简报 HTML", "Download briefing (HTML)"),
    "briefing.error.no_data": (
        "{area} 在 {day} 没有任何数据（数据范围：{first} 至 {last}）。",
        "{area} has no data for {day} (data from {first} to {last}).",
    ),
    "briefing.error.empty": ("数据库中还没有数据。", "The database holds no data yet."),
    "briefing.error.unknown_area": ("没有代码为 {code} 的区域。", "No area has the code {code}."),
}

if "briefing.name" not in TEXT:  # registered once, however often this module is imported
    register(ENTRIES)
