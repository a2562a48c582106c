"""Every piece of UI text, in Chinese and English, from one place.

``t("key")`` returns the text in the current language (session state ``lang``, set by the
sidebar switch / ``?lang=`` / the configured default). ``{name}`` fields are filled from
keyword arguments.
"""

from __future__ import annotations

from presentation.text import has, text

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
    "app.loading_sample": ("正在生成示例数据（约 15 秒）…", "Generating the sample city (about 15 s)…"),
    # ---- master data and the first-run guide
    "master.caption": (
        "区划、边界、道口、采样点、检测机构、接种点、仓库和物资目录：按模板上传，逐行校验，整份无误才导入；重复导入不会重复写入。",
        "Areas, boundaries, checkpoints, sampling sites, labs, vaccination sites, warehouses and supply items: upload in the "
        "template's format; every row is checked and a file is imported whole or not at all; importing it again changes nothing.",
    ),
    "master.kind": ("数据类型", "Kind of data"),
    "master.kind.areas": ("区划与网格", "Areas"),
    "master.kind.boundaries": ("边界（GeoJSON）", "Boundaries (GeoJSON)"),
    "master.template": ("下载模板", "Download the template"),
    "master.export": ("导出现有数据", "Export what is stored"),
    "master.file": ("文件（CSV、XLSX 或 GeoJSON）", "File (CSV, XLSX or GeoJSON)"),
    "master.submit": ("校验并导入", "Check and import"),
    "master.admins_only": ("只有管理员可以修改基础数据。", "Only administrators may change master data."),
    "master.accepted": ("{file}：已导入（{summary}）。", "{file}: imported ({summary})."),
    "master.rejected": ("{file}：未导入，发现 {n} 处错误，数据库未作任何改动。", "{file}: not imported; {n} errors found, nothing was changed."),
    "master.summary_areas": ("新增 {added}，更新 {changed}", "{added} new, {changed} changed"),
    "master.summary_boundaries": ("更新边界 {updated} 个", "{updated} boundaries updated"),
    "master.errors": ("校验结果（逐行）", "Check results (row by row)"),
    "master.warnings": ("提示（已导入）", "Warnings (imported anyway)"),
    "master.boundaries_note": (
        "边界请使用 WGS-84 坐标（GPS、国家 CGCS2000 坐标系相差不到 1 米）。高德、DataV、腾讯等来源为 GCJ-02 坐标，"
        "会按原样导入，在无底图的地图上显示一致，但与 WGS-84 底图相差数百米，请先转换。区划代码可放在 code 或 adcode 属性中。",
        "Boundaries are expected in WGS-84 (GPS; China's CGCS2000 is within a metre). Files from Amap, DataV or Tencent are "
        "GCJ-02: they are imported as they are and draw consistently without a basemap, but sit a few hundred metres off a "
        "WGS-84 basemap, so convert them first. The area code may be in a code or adcode property.",
    ),
    "master.first_run_title": ("开始使用：导入本地数据", "Getting started: load your own city"),
    "master.first_run_intro": (
        "数据库中还没有日报数据。请按以下顺序导入（模板在“数据上报 → 基础数据”中）：",
        "The database holds no daily reports yet. Load, in this order (templates under Data intake → Master data):",
    ),
    "master.step.areas": ("区划与网格", "Areas"),
    "master.step.areas.how": (
        "街道/镇、社区/村、小区、网格；可直接导入国家统计用区划代码表",
        "streets and towns, communities and villages, compounds, grid units; the national division-code lists load as they are",
    ),
    "master.step.boundaries": ("边界", "Boundaries"),
    "master.step.boundaries.how": ("GeoJSON，可选：没有边界的区域在地图上按中心点近似显示", "GeoJSON, optional: areas without one show as approximate cells"),
    "master.step.facilities": ("单位", "Facilities"),
    "master.step.facilities.how": ("道口、采样点、检测机构、接种点、仓库和物资目录", "checkpoints, sampling sites, labs, vaccination sites, warehouses, supply items"),
    "master.step.reports": ("日报", "Daily reports"),
    "master.step.reports.how": ("各单位每日上报（含零报告）", "each unit's daily report, zero reports included"),
    "master.templates": ("模板", "Templates"),
    "master.importer": ("导入人", "Imported by"),
    "master.step_done": ("已有 {n} 条", "{n} loaded"),
    "master.no_root": (
        "数据库中还没有区域。请先在服务器上运行 python -m data_access.setup new --code 区划代码 --name 名称（例如 370212 崂山区），再回到此页。",
        "The database holds no areas. On the server, run python -m data_access.setup new --code CODE --name NAME (e.g. 370212 崂山区), then come back.",
    ),
    # ---- admin page
    "admin.only_admins": ("只有管理员可以打开此页。", "Only administrators may open this page."),
    "admin.tab.users": ("用户", "Users"),
    "admin.tab.kiosks": ("大屏链接", "Wall-screen links"),
    "admin.tab.audit": ("审计日志", "Audit log"),
    "admin.users": ("用户列表", "Users"),
    "admin.no_users": ("还没有用户。", "No users yet."),
    "admin.add_user": ("添加用户", "Add a user"),
    "admin.change_user": ("修改或停用用户", "Change or disable a user"),
    "admin.add": ("添加", "Add"),
    "admin.save": ("保存", "Save"),
    "admin.unchanged": ("（不变）", "(unchanged)"),
    "admin.choose": ("请选择…", "Choose…"),
    "admin.active": ("启用", "Active"),
    "admin.disabled": ("已停用", "Disabled"),
    "admin.added": ("已添加用户 {email}。", "Added {email}."),
    "admin.changed": ("已修改用户 {email}。", "Changed {email}."),
    "admin.col.email": ("邮箱", "Email"),
    "admin.col.name": ("姓名", "Name"),
    "admin.col.role": ("角色", "Role"),
    "admin.col.area": ("辖区", "Area"),
    "admin.col.status": ("状态", "Status"),
    "admin.col.updated": ("更新时间", "Updated"),
    "admin.col.label": ("名称", "Label"),
    "admin.col.created_by": ("创建人", "Made by"),
    "admin.col.created": ("创建时间", "Made"),
    "admin.col.expires": ("到期时间", "Expires"),
    "admin.col.time": ("时间", "Time"),
    "admin.col.actor": ("操作人", "Who"),
    "admin.col.action": ("操作", "Action"),
    "admin.col.outcome": ("结果", "Outcome"),
    "admin.col.detail": ("详情", "Detail"),
    "admin.since": ("起始日期", "Since"),
    "admin.audit_log": ("审计日志（最近 1,000 条）", "Audit log (latest 1,000 events)"),
    "admin.no_events": ("没有符合条件的记录。", "No events match."),
    "admin.kiosks": ("大屏链接", "Wall-screen links"),
    "admin.kiosk_note": (
        "大屏链接无需登录即可打开指定区域的大屏（只读）。链接只在创建时显示一次，系统只保存其哈希值。",
        "A wall-screen link opens the wall view of one area, read-only, without signing in. It is shown once when made; only its hash is kept.",
    ),
    "admin.kiosk.make": ("生成大屏链接", "Make a wall-screen link"),
    "admin.kiosk.days": ("有效天数（0 = 直到撤销）", "Valid for days (0 = until revoked)"),
    "admin.kiosk.made": ("已生成大屏链接（仅显示这一次）：", "Wall-screen link made (shown this once):"),
    "admin.kiosk.revoke": ("撤销大屏链接", "Revoke a wall-screen link"),
    "admin.kiosk.revoked_done": ("已撤销大屏链接 {id}。", "Revoked wall-screen link {id}."),
    "admin.kiosk.valid": ("有效", "Valid"),
    "admin.kiosk.revoked": ("已撤销", "Revoked"),
    "admin.kiosk.expired": ("已过期", "Expired"),
    "admin.action.sign_in": ("登录", "Sign-in"),
    "admin.action.sign_out": ("退出", "Sign-out"),
    "admin.action.denied": ("拒绝访问", "Access refused"),
    "admin.action.import": ("数据上报", "Import"),
    "admin.action.export": ("导出下载", "Export download"),
    "admin.action.briefing": ("简报下载", "Briefing download"),
    "admin.action.user_change": ("用户变更", "User change"),
    "admin.action.kiosk_open": ("大屏打开", "Wall link opened"),
    "admin.outcome.ok": ("成功", "OK"),
    "admin.outcome.refused": ("拒绝", "Refused"),
    "admin.error.bad_email": ("邮箱格式不正确：{detail}", "Not an email address: {detail}"),
    "admin.error.bad_role": ("没有这个角色：{detail}", "No such role: {detail}"),
    "admin.error.unknown_area": ("没有这个区域：{detail}", "No such area: {detail}"),
    "admin.error.area_outside_yours": ("区域 {detail} 不在您的辖区内", "Area {detail} lies outside your own area"),
    "admin.error.exists": ("用户已存在：{detail}", "This user exists already: {detail}"),
    "admin.error.unknown_user": ("没有这个用户：{detail}", "No such user: {detail}"),
    "admin.error.missing_label": ("请填写名称。", "Please give the link a label."),
    "admin.error.bad_days": ("有效天数应为正整数：{detail}", "Days must be a positive whole number: {detail}"),
    "admin.error.unknown_kiosk": ("没有这个大屏链接：{detail}", "No such wall-screen link: {detail}"),
    # ---- sign-in and access
    "auth.sign_in": ("登录", "Sign in"),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.please_sign_in": (
        "请使用单位统一身份认证账号登录后查看。",
        "Please sign in with your organisation's account to see the dashboard.",
    ),
    "auth.expired_title": ("登录已过期", "Your sign-in has expired"),
    "auth.expired": ("身份凭证已过期，请重新登录。", "Your identity token has expired. Please sign in again."),
    "auth.no_access_title": ("暂无访问权限", "No access"),
    "auth.no_access": (
        "您已登录（{email}），但尚未被授权使用本看板。请联系系统管理员为您开通账号。",
        "You are signed in ({email}) but have no access to this dashboard yet. Please ask your administrator to add you.",
    ),
    "auth.kiosk_title": ("大屏链接无效", "Wall-screen link not valid"),
    "auth.kiosk_unknown": ("此大屏链接无效。请向系统管理员索取新链接。", "This wall-screen link is not valid. Ask your administrator for a new one."),
    "auth.kiosk_revoked": ("此大屏链接已被撤销。请向系统管理员索取新链接。", "This wall-screen link has been revoked. Ask your administrator for a new one."),
    "auth.kiosk_expired": ("此大屏链接已过期。请向系统管理员索取新链接。", "This wall-screen link has expired. Ask your administrator for a new one."),
    "auth.unconfigured_title": ("尚未配置登录", "Sign-in is not configured"),
    "auth.unconfigured": (
        "本看板连接的是正式数据库（已设置 DATABASE_URL），但尚未配置登录，因此不显示任何数据。"
        "请在 .streamlit/secrets.toml 中加入 [auth] 一节（任意 OpenID Connect 身份提供方，示例如下），"
        "再用 python -m data_access.users add 添加用户。若确需免登录运行，请在 dashboard.toml 的 [access] 中设置 auth_mode = \"open\"。",
        "This dashboard is connected to a configured database (DATABASE_URL is set) but sign-in is not configured, so it shows no figures. "
        "Add an [auth] section to .streamlit/secrets.toml (any OpenID Connect provider; example below), then add users with "
        "python -m data_access.users add. To run without sign-in on purpose, set auth_mode = \"open\" under [access] in dashboard.toml.",
    ),
    "auth.unconfigured_example": (
        '[auth]\nredirect_uri = "https://dashboard.example.gov.cn/oauth2callback"\ncookie_secret = "一串足够长的随机字符"\n'
        'client_id = "epidemic-dashboard"\nclient_secret = "…"\n'
        'server_metadata_url = "https://sso.example.gov.cn/realms/city/.well-known/openid-configuration"',
        '[auth]\nredirect_uri = "https://dashboard.example.org/oauth2callback"\ncookie_secret = "a long random string"\n'
        'client_id = "epidemic-dashboard"\nclient_secret = "…"\n'
        'server_metadata_url = "https://sso.example.org/realms/city/.well-known/openid-configuration"',
    ),
    "auth.open_badge": ("未启用登录", "No sign-in"),
    "auth.open_note": (
        "开放模式：任何能访问本端口的人都能查看和上报全部数据。",
        "Open mode: anyone who reaches this port sees and changes every district.",
    ),
    "auth.signed_in_as": ("{name} · {role} · {area}", "{name} · {role} · {area}"),
    "auth.role.viewer": ("查看", "Viewer"),
    "auth.role.reporter": ("上报", "Reporter"),
    "auth.role.admin": ("管理员", "Admin"),
    "auth.role.kiosk": ("大屏", "Wall"),
    "auth.role.open": ("开放", "Open"),
    "auth.foreign_area": (
        "您无权查看区域 {code}，已改为显示您的辖区：{area}。",
        "You may not see area {code}; showing your own area instead: {area}.",
    ),
    "auth.may_not_report": (
        "您的角色（查看）不能上报数据。如需上报，请联系系统管理员。",
        "Your role (viewer) may not import reports. Ask your administrator if you need to.",
    ),
    "nav.overview": ("总览", "Overview"),
    "nav.checkpoints": ("道口通行", "Checkpoints"),
    "nav.testing": ("核酸检测", "Testing"),
    "nav.supplies": ("物资保障", "Supplies"),
    "nav.vaccination": ("疫苗接种", "Vaccination"),
    "nav.grid_map": ("网格地图", "Grid map"),
    "nav.menu": ("页面", "Pages"),
    "nav.admin": ("用户与审计", "Users & audit"),
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
    "common.download_xlsx": ("下载 Excel", "Download Excel"),
    "export.title": ("内容", "Content"),
    "export.area": ("区域", "Area"),
    "export.dates": ("日期", "Dates"),
    "export.language": ("语言", "Language"),
    "export.data_time": ("数据时间", "Data time"),
    "export.generated_at": ("导出时间", "Exported at"),
    "export.sheet_data": ("数据", "Data"),
    "export.sheet_about": ("说明", "About"),
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
    "overview.kpi.missing_reports": ("未上报单位 / 应报单位", "Units not reported / expected"),
    "overview.kpi.missing_note": ("见下方上报情况", "see reporting below"),
    "overview.completeness": ("上报情况（{day}）", "Reporting completeness ({day})"),
    "overview.report_type": ("报表类型", "Report type"),
    "overview.expected": ("应报", "Expected"),
    "overview.reported": ("已报", "Reported"),
    "overview.missing": ("未报", "Missing"),
    # ---- units
    "unit.days": ("天", "days"),
    "unit.hours": ("小时", "h"),
    "unit.per_100k": ("每十万人", "per 100,000"),
}


def t(key: str, lang: str | None = None, **fields) -> str:
    """The text for ``key`` in ``lang`` (default: the session's language)."""
    if lang is None:
        lang = current_language()
    if has(key) or key not in TEXT:
        return text(key, lang, **fields)
    zh, en = TEXT[key]
    template = zh if lang == "zh" else en
    return template.format(**fields) if fields else template


def current_language() -> str:
    try:
        import streamlit as st

        lang = st.session_state.get("lang")
    except Exception:  # outside a Streamlit run (CLI, tests of pure code)
        lang = None
    if lang in LANGUAGES:
        return lang
    from data_access.settings import get_settings

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
        "cp.kind.airport": ("机场", "Airport"),
        "cp.kind.port": ("港口", "Port"),
        "cp.kind.other": ("其他", "Other"),
    }
)

TEXT.update(
    {
        # ---- testing
        "test.title": ("核酸检测", "Testing volume"),
        "test.collected": ("采样数", "Samples collected"),
        "test.tested": ("检测数", "Samples tested"),
        "test.positives": ("阳性数", "Positives"),
        "test.positivity": ("阳性率", "Positivity"),
        "test.backlog": ("待检积压", "Backlog (collected − tested)"),
        "test.backlog_short": ("待检积压", "Backlog"),
        "test.tat_median": ("出结果时长中位数", "Turnaround median"),
        "test.tat_p90": ("出结果时长P90", "Turnaround p90"),
        "test.pooled": ("混采比例", "Pooling"),
        "test.pooled_value": ("{n}:1 混采", "{n}:1 pooled"),
        "test.single": ("单采单检", "single samples"),
        "test.lab_use": ("实验室能力利用率", "Lab capacity used"),
        "test.volume_chart": ("采样、检测与阳性", "Collected, tested and positives"),
        "test.positivity_chart": ("阳性率", "Positivity"),
        "test.backlog_chart": ("待检积压趋势", "Backlog trend"),
        "test.lab_chart": ("实验室检测量与能力（管）", "Lab tubes tested against capacity"),
        "test.tubes_tested": ("检测管数", "Tubes tested"),
        "test.capacity_tubes": ("检测能力（管）", "Capacity (tubes)"),
        "test.tat_chart": ("出结果时长（小时）", "Turnaround (hours)"),
        "test.tat_note": ("按各采样点检测量加权平均。", "Weighted by each site's samples tested."),
        "test.rounds": ("全员核酸检测覆盖率", "Mass-testing round coverage"),
        "test.round": ("轮次", "Round"),
        "test.coverage": ("覆盖率（采样人数/常住人口）", "Coverage (% of residents sampled)"),
        "test.no_rounds": ("所选日期内没有全员核酸检测轮次。", "No mass-testing round in the selected dates."),
        "test.by_area": ("分区域检测", "Testing by area"),
    }
)

TEXT.update(
    {
        # ---- supplies
        "sup.title": ("物资保障", "Supplies against daily capacity"),
        "sup.item": ("物资", "Item"),
        "sup.unit": ("单位", "Unit"),
        "sup.stock": ("库存", "Stock on hand"),
        "sup.consumption": ("日均消耗（近7天）", "Daily use (7-day mean)"),
        "sup.days_of_cover": ("可保障天数", "Days of cover"),
        "sup.capacity": ("本地日产能", "Local daily capacity"),
        "sup.gap": ("产能缺口（日）", "Capacity gap per day"),
        "sup.procured": ("采购", "Procured"),
        "sup.allocated": ("调拨", "Allocated"),
        "sup.donated": ("捐赠", "Donated"),
        "sup.outbound": ("发往一线", "Sent to the front line"),
        "sup.flag": ("预警", "Flag"),
        "sup.flag_low": ("⚠ 低于{n}天", "⚠ under {n} days"),
        "sup.threshold": ("保障天数预警线（天）", "Days-of-cover alert line (days)"),
        "sup.status": ("各类物资保障情况（截至 {day}）", "Supplies as of {day}"),
        "sup.flagged": ("{n} 类物资可保障天数低于 {d} 天：{items}", "{n} items have under {d} days of cover: {items}"),
        "sup.none_flagged": ("所有物资可保障天数均不低于 {d} 天。", "Every item has at least {d} days of cover."),
        "sup.choose_item": ("选择物资", "Item"),
        "sup.stock_chart": ("{item}：库存、消耗与本地日产能", "{item}: stock, use and local daily capacity"),
        "sup.flow_chart": ("{item}：入库来源与出库", "{item}: inbound by source and outbound"),
        "sup.cover_chart": ("{item}：可保障天数", "{item}: days of cover"),
        "sup.gap_note": ("产能缺口 = 日均消耗 − 本地日产能；负数表示产能有富余。", "Capacity gap = daily use − local daily capacity; negative means spare capacity."),
        "sup.items_flagged_kpi": ("低于预警线的物资", "Items under the alert line"),
        "sup.lowest_kpi": ("最低可保障天数", "Lowest days of cover"),
        "sup.inbound_kpi": ("期间入库合计", "Inbound in period"),
        "sup.outbound_kpi": ("期间发往一线", "Sent out in period"),
    }
)

TEXT.update(
    {
        # ---- vaccination
        "vac.title": ("疫苗接种", "Vaccination coverage"),
        "vac.dose1": ("第一剂", "1st dose"),
        "vac.dose2": ("全程接种", "Full course (2nd dose)"),
        "vac.booster": ("加强针", "Booster"),
        "vac.doses": ("接种剂次", "Doses given"),
        "vac.doses_chart": ("每日接种剂次（按剂次）", "Doses per day by dose"),
        "vac.coverage_age": ("分年龄组覆盖率（截至 {day}）", "Coverage by age group (as of {day})"),
        "vac.coverage_area": ("分区域覆盖率排名（截至 {day}）", "Coverage ranking by area (as of {day})"),
        "vac.population": ("目标人群", "Target population"),
        "vac.age_group": ("年龄组", "Age group"),
        "vac.coverage_of": ("{dose}覆盖率", "{dose} coverage"),
        "vac.rank": ("排名", "Rank"),
        "vac.sites": ("接种点与接种能力", "Sites, teams and vehicles against doses given"),
        "vac.kind.fixed": ("固定接种点", "Fixed sites"),
        "vac.kind.mobile_team": ("流动接种队", "Mobile teams"),
        "vac.kind.vehicle": ("接种车", "Vaccination vehicles"),
        "vac.kind": ("类型", "Kind"),
        "vac.count": ("数量", "Count"),
        "vac.capacity": ("日接种能力", "Daily capacity"),
        "vac.per_day": ("日均接种", "Doses per day"),
        "vac.use": ("能力利用率", "Use of capacity"),
        "vac.kpi_capacity": ("日接种能力", "Daily capacity"),
        "vac.kpi_sites": ("接种点 / 流动队 / 接种车", "Sites / teams / vehicles"),
        "vac.age_suffix": ("岁", ""),
    }
)

TEXT.update(
    {
        # ---- grid map
        "grid.title": ("网格地图", "Grid-unit map"),
        "grid.colour_by": ("着色依据", "Colour by"),
        "grid.metric.risk_colour": ("风险等级（四色）", "Risk level (four colours)"),
        "grid.metric.visited_pct": ("入户走访率", "Households visited %"),
        "grid.metric.home_observation": ("居家观察人数", "People under home observation"),
        "grid.metric.workers_per_1000_households": ("每千户网格员", "Grid workers per 1,000 households"),
        "grid.risk.green": ("绿色（低风险）", "Green (low)"),
        "grid.risk.yellow": ("黄色", "Yellow"),
        "grid.risk.orange": ("橙色", "Orange"),
        "grid.risk.red": ("红色（高风险）", "Red (high)"),
        "grid.no_data": ("无数据", "No data"),
        "grid.approximate": ("蓝边：{n} 个单元尚无边界，按中心点推算（近似）", "Blue edge: {n} units have no boundary yet; cells derived from their centre points (approximate)"),
        "grid.approximate_tooltip": ("无边界数据：按中心点推算的近似范围", "No boundary loaded: an approximate cell around its centre point"),
        "grid.level_note": ("地图显示：{level}（共 {n} 个），数据日期 {day}。点击区域可下钻。", "Showing {n} × {level} for {day}. Click a unit to drill down."),
        "grid.go_to": ("转到区域", "Go to unit"),
        "grid.go_to_placeholder": ("选择要下钻的区域…", "Choose a unit to drill into…"),
        "grid.table": ("区域明细（{day}）", "Units ({day})"),
        "grid.col.risk": ("风险等级", "Risk level"),
        "grid.col.units_red": ("红色单元", "Units red"),
        "grid.col.units_orange": ("橙色单元", "Units orange"),
        "grid.col.units_yellow": ("黄色单元", "Units yellow"),
        "grid.col.units_green": ("绿色单元", "Units green"),
        "grid.col.visited": ("入户走访户数", "Households visited"),
        "grid.col.screened": ("排查人数", "People screened"),
        "grid.col.home_observation": ("居家观察", "Home observation"),
        "grid.col.key_persons": ("重点人员", "Key persons managed"),
        "grid.col.workers": ("在岗网格员", "Grid workers on duty"),
        "grid.col.workers_per_1000": ("每千户网格员", "Workers per 1,000 households"),
        "grid.col.visited_pct": ("走访率", "Visited %"),
        "grid.tooltip": ("{name}", "{name}"),
        "grid.kpi.units": ("联防单元", "Grid units reporting"),
        "grid.kpi.red": ("红色单元", "Units red"),
        "grid.kpi.orange": ("橙色单元", "Units orange"),
        "grid.kpi.home_observation": ("居家观察人数", "Under home observation"),
        "grid.kpi.visited": ("当日入户走访", "Households visited"),
        "grid.kpi.workers": ("在岗网格员", "Grid workers on duty"),
        "grid.legend": ("图例", "Legend"),
    }
)

TEXT.update(
    {
        # ---- alerts
        "alerts.title": ("预警（{n}）", "Alerts ({n})"),
        "alerts.none": ("当前没有预警。", "No active alerts."),
        "alerts.more": ("另有 {n} 条预警", "{n} more alerts"),
        "alerts.open": ("查看", "Open"),
        "alerts.severity.critical": ("严重", "Critical"),
        "alerts.severity.warning": ("注意", "Warning"),
        "alerts.rule.supplies_cover": (
            "{area}：{item}可保障 {figure} 天（低于 {threshold} 天）",
            "{area}: {item} — {figure} days of cover (under {threshold})",
        ),
        "alerts.rule.testing_backlog": (
            "{area}：待检积压连续 {days} 天上升，现为 {figure}",
            "{area}: testing backlog up {days} days in a row, now {figure}",
        ),
        "alerts.rule.testing_turnaround": (
            "{area}：出结果时长P90 {figure} 小时（超过 {threshold} 小时）",
            "{area}: turnaround p90 {figure} h (over {threshold} h)",
        ),
        "alerts.rule.testing_positivity": (
            "{area}：阳性率 {figure}（高于 {threshold}）",
            "{area}: positivity {figure} (above {threshold})",
        ),
        "alerts.rule.checkpoint_fever": (
            "{area}：{checkpoint} 发热检出率 {figure}/10万，近期平均 {baseline}/10万",
            "{area}: {checkpoint} fever rate {figure} per 100k, recent normal {baseline}",
        ),
        "alerts.rule.vaccination_behind": (
            "{area}：加强针覆盖率 {figure}，落后目标进度（应达 {target}）",
            "{area}: booster coverage {figure}, behind the target curve ({target})",
        ),
        "alerts.rule.missing_reports": (
            "{area}：{report_type}有 {figure} 个单位未上报（应报 {expected}）",
            "{area}: {figure} of {expected} units have not sent {report_type}",
        ),
        "report_type.checkpoint": ("道口日报", "checkpoint reports"),
        "report_type.testing": ("核酸检测日报", "testing reports"),
        "report_type.supplies": ("物资日报", "supplies reports"),
        "report_type.vaccination": ("疫苗接种日报", "vaccination reports"),
        "report_type.grid": ("网格日报", "grid-unit reports"),
    }
)

TEXT.update(
    {
        # ---- wall
        "wall.open": ("大屏模式", "Wall screen"),
        "wall.title": ("疫情防控运行看板", "Epidemic-control operations"),
        "wall.data_time": ("数据日期 {day} · 最近上报 {time}", "Data for {day} · last report {time}"),
        "wall.view.checkpoints": ("道口通行（近30天）", "Checkpoints (last 30 days)"),
        "wall.view.testing": ("核酸检测（近30天）", "Testing (last 30 days)"),
        "wall.view.supplies": ("物资可保障天数", "Supplies: days of cover"),
        "wall.view.vaccination": ("加强针覆盖率", "Booster coverage"),
        "wall.view.grid": ("网格风险等级", "Grid risk levels"),
        "wall.next": ("{seconds} 秒后切换", "next view in {seconds}s"),
    }
)

TEXT.update(
    {
        # ---- data checks
        "checks.title": ("数据核查（{n}）", "Data checks ({n})"),
        "checks.none": ("未发现异常数据。", "No suspicious figures found."),
        "checks.flag": ("数据核查提示", "Data check"),
        "checks.tested_above_collected": (
            "{day}：检测样本 {figure} 多于待检样本 {available}",
            "{day}: {figure} samples tested but only {available} were waiting",
        ),
        "checks.doses_above_delivered": (
            "{day}：累计接种 {figure} 剂，超过累计到货 {delivered} 剂",
            "{day}: {figure} doses given in all, more than the {delivered} delivered",
        ),
        "checks.cumulative_down": (
            "{domain} {day}：累计数下降（当日 {figure}）",
            "{domain} {day}: the running total goes down (day figure {figure})",
        ),
        "checks.jump": (
            "{domain} {day}：{figure} 远离近14天中位数 {median}",
            "{domain} {day}: {figure} is far from the last 14 days' median {median}",
        ),
        "checks.stale": (
            "{domain}：最新数据为 {day}，按上报时间应已有 {expected} 的数据（滞后 {figure} 天）",
            "{domain}: latest data is for {day}; data for {expected} was due (late by {figure} days)",
        ),
        "checks.positives_above_tested": (
            "{day} {unit}：阳性 {figure} 多于检测样本 {limit}{more}",
            "{day}, {unit}: {figure} positives but only {limit} samples tested{more}",
        ),
        "checks.doses_above_capacity": (
            "{day} {unit}：接种 {figure} 剂，超过日接种能力 {capacity} 的 {factor} 倍（{limit}）{more}",
            "{day}, {unit}: {figure} doses given, more than {factor} × its daily capacity of {capacity} ({limit}){more}",
        ),
        "checks.above_lane_capacity_hour": (
            "{day} {hour}时 {unit}：{what} {figure}，超过 {lanes} 条车道 × 每车道每小时 {per_lane}（{limit}）{more}",
            "{day}, {unit}, hour from {hour}:00: {what} {figure}, more than {lanes} lanes × {per_lane} per lane-hour ({limit}){more}",
        ),
        "checks.above_lane_capacity_day": (
            "{day} {unit}：{what} {figure}（值守 {hours} 小时），超过 {lanes} 条车道 × 每车道每小时 {per_lane} × {hours} 小时（{limit}）{more}",
            "{day}, {unit}: {what} {figure} in {hours} staffed hours, more than {lanes} lanes × {per_lane} per lane-hour ({limit}){more}",
        ),
        "checks.coverage_above_population": (
            "{where}：{what} {figure}，超过 100%（{people} 人 / 目标人群 {population}，截至 {day}）",
            "{where}: {what} {figure} is above 100% ({people} of a target population of {population}, as of {day})",
        ),
        "checks.where_age": ("{age} 岁", "Ages {age}"),
        "checks.more_units": ("（另有 {n} 个）", " (and {n} more)"),
        # A finding on several days: what it is, on which days, then the latest day's sentence.
        "checks.on_days": ("{name}：共 {n} 天（{days}）。最近：{text}", "{name} on {n} days ({days}). Latest: {text}"),
        "checks.name.tested_above_collected": ("检测数多于待检样本", "Samples tested above those waiting"),
        "checks.name.positives_above_tested": ("阳性数多于检测数", "Positives above samples tested"),
        "checks.name.doses_above_capacity": ("接种剂次超过接种点能力", "Doses above a site's capacity"),
        "checks.name.above_lane_capacity": ("{what}超过车道通行能力", "{what} above what the lanes can pass"),
        "checks.name.doses_above_delivered": ("累计接种超过累计到货", "Doses given above doses delivered"),
        "checks.name.cumulative_down": ("{domain}累计数下降", "{domain}: the running total goes down"),
        "checks.name.jump": ("{domain}{what}远离近期水平", "{domain}: {what} far from its recent range"),
        "checks.name.coverage_above_population": ("{what}超过 100%", "{what} above 100%"),
        "checks.name.stale": ("{domain}数据滞后", "{domain}: data late"),
    }
)
