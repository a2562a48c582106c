"""The data-intake texts (数据上报), Chinese and English: the page, and every reason an
import can be rejected, rendered from the error codes data_access.ingest produces.

Importing this module registers its keys with ui.i18n; the command line uses it too,
in the configured default language.
"""

from __future__ import annotations

import pandas as pd

from data_access.ingest import REPORT_TYPES, IntakeError
from ui.i18n import TEXT, current_language, register, t

NAV_KEY = "nav.data_intake"

REASONS: dict[str, tuple[str, str]] = {
    "file_too_large": ("文件大小 {size_mb} MB，超过上限 {limit_mb} MB", "The file is {size_mb} MB, over the {limit_mb} MB limit"),
    "empty_file": ("文件是空的", "The file is empty"),
    "header_only": (
        "只有表头，没有数据行（没有情况也须零报告：各项填 0）",
        "Only a header, no data rows (with nothing to report, report zeros: 零报告)",
    ),
    "too_many_rows": ("有 {n} 行数据，超过单个文件上限 {limit} 行", "{n} data rows, over the limit of {limit} per file"),
    "undecodable": (
        "无法识别文字编码（第 {position} 字节），请另存为 UTF-8 或 GBK 编码的 CSV",
        "Unreadable text encoding (at byte {position}); save as CSV in UTF-8 or GBK",
    ),
    "unreadable_xlsx": ("无法读取此 Excel 文件（{detail}），请用 Excel 重新另存为 .xlsx", "This Excel file cannot be read ({detail}); save it again as .xlsx"),
    "unsupported_format": (
        "不支持的文件格式：请上传 CSV 或 .xlsx（旧版 .xls 请另存为 .xlsx）",
        "Unsupported format: upload CSV or .xlsx (save old .xls files as .xlsx)",
    ),
    "unknown_report_type": (
        "无法从表头识别报表类型（表头：{columns}），请使用下载的模板",
        "The headers match no report type ({columns}); use a downloaded template",
    ),
    "wrong_report_type": ("选择的报表类型是“{expected}”，但文件是“{found}”", "The chosen report type is “{expected}”, but the file is “{found}”"),
    "missing_column": ("缺少必填列", "Required column missing"),
    "unknown_column": ("无法识别的列（第 {position} 列），请核对模板表头", "Unknown column (column {position}); check the template's headers"),
    "duplicate_column": ("重复的列：与“{first}”是同一项", "Repeated column: the same as “{first}”"),
    "batch_rejected": ("本批次中其他文件有错误，整批未导入；本文件本身无误", "Another file of the batch has errors, so none was imported; this file itself is fine"),
    "more_errors": ("另有 {n} 处错误未列出", "Errors not listed here: {n}"),
    "missing_value": ("必填项为空（无数据请填 0）", "Required value missing (write 0 for none)"),
    "formula": ("单元格是公式，系统不计算公式，请填写数值", "A formula: formulas are not evaluated, type the value"),
    "not_a_number": ("不是数字", "Not a number"),
    "not_an_integer": ("应为整数", "Must be a whole number"),
    "negative": ("不能为负数", "Must not be negative"),
    "bad_date": ("无法识别的日期（应如 2022-04-30）", "Not a date (write e.g. 2022-04-30)"),
    "future_date": ("日期晚于今天（{today}）", "The day is after today ({today})"),
    "before_start": ("日期早于数据起始日 {start}", "The day is before the data start date {start}"),
    "out_of_range": ("应在 {min} 到 {max} 之间", "Must be between {min} and {max}"),
    "bad_age_group": ("年龄组应为：{allowed}", "Age group must be one of: {allowed}"),
    "bad_dose": ("剂次应为 1、2 或 3（3 = 加强针）", "Dose must be 1, 2 or 3 (3 = booster)"),
    "bad_colour": ("风险等级应为 绿、黄、橙、红 之一", "Risk colour must be green, yellow, orange or red"),
    "unknown_code": ("系统中没有这个{kind}代码", "No {kind} has this code"),
    "bad_code": ("代码只能由数字和大写字母组成（最多 24 位）", "A code is digits and capital letters only (at most 24)"),
    "bad_level": ("层级应为 区县、街道/镇、社区/村、小区/自然村 或 网格 之一", "Level must be district, street/town, community/village, compound or grid"),
    "unknown_parent": ("上级代码在系统和本文件中都不存在", "No area has this parent code, in the database or in this file"),
    "wrong_level": ("层级应比上级（{parent}，{parent_level}）低一级", "The level must be one below the parent's ({parent}: {parent_level})"),
    "code_not_under_parent": ("代码应以上级代码 {parent} 开头", "The code must start with its parent's code {parent}"),
    "cycle": ("上级关系形成循环", "The parent codes go round in a circle"),
    "parent_changed": (
        "该区域已属于 {old}：调整隶属关系请使用带生效日期的变更",
        "This area already belongs to {old}: moving it is a change with an effective date",
    ),
    "retired_unit": ("该单位自 {since} 起已撤销，不再接收报告（历史数据保留）", "This unit was retired on {since}: it takes no new reports (its history stays)"),
    "not_geojson": ("不是 GeoJSON 要素集合（FeatureCollection）文件", "Not a GeoJSON FeatureCollection"),
    "no_area_code": (
        "该要素没有区划代码（属性 code、adcode、area_code 或 区划代码）",
        "This feature has no area code (a property code, adcode, area_code or 区划代码)",
    ),
    "not_a_polygon": ("边界应为面（Polygon 或 MultiPolygon），不能是 {type}", "A boundary must be a Polygon or MultiPolygon, not {type}"),
    "invalid_polygon": ("多边形无效（{detail}）：请在 GIS 软件（如 QGIS）中修复", "Invalid polygon ({detail}): repair it in a GIS such as QGIS"),
    "outside_china": (
        "坐标（{bounds}）超出中国范围（经度 73–136，纬度 3–54）：应为 WGS-84 经纬度，经度在前，不能是投影坐标",
        "Coordinates ({bounds}) outside China (longitude 73–136, latitude 3–54): give WGS-84 longitude and latitude, longitude first, not projected coordinates",
    ),
    "child_outside_parent": (
        "有 {share}% 在上级 {parent} 的边界之外（已导入，请核对）",
        "{share}% of it lies outside the boundary of its parent {parent} (imported; check it)",
    ),
    "bad_kind": ("类型应为：{allowed}", "The kind must be one of: {allowed}"),
    "retired_area": ("该区划已于 {since} 撤销，不能再设置设施", "This area was retired on {since}: no facility may be placed in it"),
    "outside_area": ("这个{kind}不在您的辖区（{area}）内，您不能为它上报", "This {kind} lies outside your area ({area}): you may not report for it"),
    "duplicate_key": ("与第 {first_row} 行重复（同一单位、同一日期只能填一行）", "Repeats row {first_row} (one row per unit and day)"),
    "tested_above_collected": (
        "检测数大于采样数 {collected} 加前一日待检 {backlog}",
        "Samples tested exceed samples collected ({collected}) plus the backlog carried from the day before ({backlog})",
    ),
    "positives_above_tested": ("阳性数大于检测数 {tested}", "Positives exceed samples tested ({tested})"),
    "closing_mismatch": (
        "期末库存应为 期初 {opening} + 入库 {inbound} − 出库 {outbound} = {expected}",
        "Closing stock must be opening {opening} + inbound {inbound} − outbound {outbound} = {expected}",
    ),
    "dose2_above_dose1": (
        "累计第2剂 {dose2} 超过累计第1剂 {dose1}（区域 {area}，{age_group} 岁，截至 {day}，含基线）",
        "Cumulative 2nd doses {dose2} exceed cumulative 1st doses {dose1} (area {area}, ages {age_group}, up to {day}, baseline included)",
    ),
    "temperature_above_people": ("体温检测人数大于查验人员 {people}", "Temperature checks exceed people checked ({people})"),
    "fever_above_temperature": ("发热人员大于体温检测人数 {temperature_checks}", "Fever found exceeds temperature checks ({temperature_checks})"),
    "doses_above_capacity": (
        "接种点 {site} 在 {day} 共接种 {doses} 剂，超过日接种能力 {capacity} × {factor} = {limit}",
        "Site {site} gave {doses} doses on {day}, more than its daily capacity {capacity} × {factor} = {limit}",
    ),
    "doses_above_population": (
        "累计{dose} {doses} 超过目标人群 {population}，接种率将超过 100%（区县 {area}，{age_group} 岁，截至 {day}，含基线）",
        "Cumulative {dose} {doses} exceed the target population {population}: coverage above 100% (district {area}, ages {age_group}, up to {day}, baseline included)",
    ),
    "people_above_lanes": (
        "查验人员超过 {lanes} 条车道 × 每车道每小时 {per_lane_hour} 人 × {hours} 小时 = {limit}",
        "People checked exceed {lanes} lanes × {per_lane_hour} per lane-hour × {hours} h = {limit}",
    ),
    "vehicles_above_lanes": (
        "查验车辆超过 {lanes} 条车道 × 每车道每小时 {per_lane_hour} 辆 × {hours} 小时 = {limit}",
        "Vehicles checked exceed {lanes} lanes × {per_lane_hour} per lane-hour × {hours} h = {limit}",
    ),
}

# The dose numbers as the doses_above_population reason names them.
DOSE_NAMES: dict[int, tuple[str, str]] = {1: ("第1剂", "1st doses"), 2: ("第2剂", "2nd doses"), 3: ("加强针", "booster doses")}

# What a code column refers to, as the unknown_code reason names it.
REFERENCE_NAMES: dict[str, tuple[str, str]] = {
    "checkpoint": ("道口", "checkpoint"),
    "sampling_site": ("采样点", "sampling site"),
    "lab": ("检测机构", "lab"),
    "warehouse": ("仓库", "warehouse"),
    "supply_item": ("物资", "supply item"),
    "vaccination_site": ("接种点", "vaccination site"),
    "grid_unit": ("网格单元", "grid unit"),
    "area": ("区划", "area"),
}

# Who reports each submission type (completeness lists).
REPORTING_UNITS: dict[str, tuple[str, str]] = {
    "checkpoint": ("道口", "Checkpoints"),
    "testing": ("采样点", "Sampling sites"),
    "supplies": ("物资仓库", "Warehouses"),
    "vaccination": ("接种点", "Vaccination sites"),
    "grid": ("社区（网格）", "Communities (grid units)"),
}

PAGE_TEXT: dict[str, tuple[str, str]] = {
    NAV_KEY: ("数据上报", "Data intake"),
    "intake.title": ("数据上报", "Data intake"),
    "intake.caption": (
        "上传日报（CSV：UTF-8 或 GBK；Excel：.xlsx），系统先逐行校验，整份文件无误才导入。同一单位同一日期重复上报将覆盖原数据。",
        "Upload daily reports (CSV in UTF-8 or GBK, or Excel .xlsx). Every row is checked first and a file is imported only when all of it is valid. "
        "A new report for the same unit and day replaces the earlier figures.",
    ),
    "intake.tab.upload": ("上传日报", "Upload"),
    "intake.tab.templates": ("模板下载", "Templates"),
    "intake.tab.master": ("基础数据", "Master data"),
    "intake.tab.history": ("导入记录", "Import history"),
    "intake.tab.completeness": ("上报情况", "Reporting completeness"),
    "intake.files": ("选择文件（可多选）", "Choose files (several at once)"),
    "intake.reporter": ("上报人", "Reported by"),
    "intake.cli_needs_reporter": (
        "已配置登录：请用 --as 指定一位启用中的上报员或管理员的邮箱（{email} 不是）。",
        "Sign-in is configured: name an active reporter or admin with --as EMAIL ({email} is not one).",
    ),
    "intake.reporter_placeholder": ("填写姓名", "Your name"),
    "intake.reporter_missing": ("请填写上报人姓名。", "Please type your name."),
    "intake.no_files": ("请先选择要上传的文件。", "Choose the files to upload first."),
    "intake.type": ("报表类型", "Report type"),
    "intake.type_auto": ("按表头自动识别", "Detect from the headers"),
    "intake.together": ("整批导入：任一文件有错则全部不导入", "As one batch: import all files or none"),
    "intake.submit": ("校验并导入", "Check and import"),
    "intake.accepted": (
        "{file}：已导入 {rows} 行（{type}），涉及 {units} 个上报单位、{days}。",
        "{file}: imported as {type}. Rows: {rows}; reporting units: {units}; {days}.",
    ),
    "intake.rejected": ("{file}：未导入，发现 {n} 处错误，数据库未作任何改动。", "{file}: not imported, nothing was changed. Errors found: {n}."),
    "intake.summary": ("本次共 {files} 个文件：{accepted} 个已导入，{rejected} 个未导入。", "Files imported: {accepted} of {files}; not imported: {rejected}."),
    "intake.errors_title": ("校验结果（逐行）", "Validation result, row by row"),
    "intake.col.file": ("文件", "File"),
    "intake.col.row": ("行", "Row"),
    "intake.col.column": ("列", "Column"),
    "intake.col.value": ("值", "Value"),
    "intake.col.reason": ("原因", "Reason"),
    "intake.templates_note": (
        "模板表头为中英双语，导入时中文或英文列名均可识别；带 * 的列可省略。Excel 模板含“填表说明”工作表。",
        "Templates have bilingual headers; Chinese or English column names are both accepted; columns marked * may be left out. "
        "The Excel templates include a notes sheet.",
    ),
    "intake.template_csv": ("CSV 模板", "CSV template"),
    "intake.template_xlsx": ("Excel 模板", "Excel template"),
    "intake.columns": ("列：{columns}", "Columns: {columns}"),
    "intake.history_title": ("最近 {n} 次导入", "Last {n} imports"),
    "intake.col.time": ("时间", "Time"),
    "intake.col.sha256": ("SHA-256", "SHA-256"),
    "intake.col.type": ("类型", "Type"),
    "intake.col.rows": ("导入行数", "Rows"),
    "intake.col.user": ("上报人", "By"),
    "intake.col.outcome": ("结果", "Outcome"),
    "intake.col.errors": ("错误", "Errors"),
    "intake.outcome.accepted": ("已导入", "Accepted"),
    "intake.outcome.rejected": ("未导入", "Rejected"),
    "intake.history_empty": ("还没有导入记录。", "No imports yet."),
    "intake.history_details": ("查看某次导入的错误", "Errors of one import"),
    "intake.history_pick": ("选择导入记录", "Choose an import"),
    "intake.day": ("上报日期", "Day"),
    "intake.completeness_title": ("{day} 上报情况", "Reports for {day}"),
    "intake.kpi": ("{unit}：已报 {reported} / {expected}", "{unit}: {reported} of {expected} reported"),
    "intake.kpi_missing": ("{n} 未报", "{n} missing"),
    "intake.only_missing": ("只看未报单位", "Only units that have not reported"),
    "intake.units_title": ("各上报单位（{n}）", "Reporting units ({n})"),
    "intake.col.report": ("报表", "Report"),
    "intake.col.unit": ("上报单位", "Unit"),
    "intake.col.status": ("状态", "Status"),
    "intake.col.reported_at": ("当日上报时间", "Reported at"),
    "intake.col.last_day": ("最近上报日期", "Last day reported"),
    "intake.col.last_reported_at": ("最近上报时间", "Last reported at"),
    "intake.status.reported": ("已报", "Reported"),
    "intake.status.missing": ("未报", "Missing"),
    "intake.all_reported": ("所选日期所有单位均已上报。", "Every unit has reported for the chosen day."),
    "intake.missing_total": ("所选日期共有 {n} 个单位未上报。", "Units that have not reported for the chosen day: {n}."),
    "intake.cli_summary": ("{accepted}/{files} 个文件已导入，共 {rows} 行。", "Files imported: {accepted} of {files}; rows: {rows}."),
    "intake.checked": (
        "{file}：校验通过（{type}），{rows} 行、{units} 个上报单位、{days}；试运行，未写入任何数据。",
        "{file}: checked as {type}, nothing written (dry run). Rows: {rows}; reporting units: {units}; {days}.",
    ),
    "intake.cli_summary_dry": (
        "试运行：{accepted}/{files} 个文件校验通过，共 {rows} 行；未写入任何数据。",
        "Dry run: files that passed the checks: {accepted} of {files}; rows: {rows}; nothing written.",
    ),
    "intake.location": ("{file}：第 {row} 行，列“{column}”，值“{value}”：{reason}", "{file}: row {row}, column “{column}”, value “{value}”: {reason}"),
    "intake.location_column": ("{file}：列“{column}”：{reason}", "{file}: column “{column}”: {reason}"),
    "intake.location_file": ("{file}：{reason}", "{file}: {reason}"),
}


def _catalogue() -> dict[str, tuple[str, str]]:
    entries = dict(PAGE_TEXT)
    entries.update({f"intake.reason.{code}": text for code, text in REASONS.items()})
    entries.update({f"intake.ref.{name}": text for name, text in REFERENCE_NAMES.items()})
    entries.update({f"intake.units.{name}": text for name, text in REPORTING_UNITS.items()})
    entries.update({f"intake.dose.{n}": text for n, text in DOSE_NAMES.items()})
    entries.update({f"intake.type.{name}": (rt.title_zh, rt.title_en) for name, rt in REPORT_TYPES.items()})
    return entries


if NAV_KEY not in TEXT:  # registered once, however often this module is imported
    register(_catalogue())


def type_title(name: str | None, lang: str | None = None) -> str:
    """A report type's or master-data kind's title (the import history holds both)."""
    from data_access.master.facilities import FACILITY_TYPES

    if name in REPORT_TYPES:
        return t(f"intake.type.{name}", lang)
    if name in FACILITY_TYPES:
        facility = FACILITY_TYPES[name]
        return facility.title_zh if (lang or current_language()) == "zh" else facility.title_en
    if f"master.kind.{name}" in TEXT:
        return t(f"master.kind.{name}", lang)
    return name or "—"


def _shown(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,}"


def describe(error: IntakeError, lang: str | None = None) -> str:
    """The reason for ``error``, in ``lang`` (default: the current language)."""
    lang = lang or current_language()
    fields = {name: _shown(value) for name, value in error.fields.items()}
    if error.code in ("unknown_code", "outside_area"):
        fields["kind"] = t(f"intake.ref.{error.fields.get('kind')}", lang) if error.fields.get("kind") in REFERENCE_NAMES else ""
    if error.code == "doses_above_population" and error.fields.get("dose") in DOSE_NAMES:
        fields["dose"] = t(f"intake.dose.{error.fields['dose']}", lang)
    if error.code == "wrong_report_type":
        fields = {"expected": type_title(error.fields.get("expected"), lang), "found": type_title(error.fields.get("found"), lang)}
    key = f"intake.reason.{error.code}"
    if key not in TEXT:
        return error.code
    try:
        return t(key, lang, **fields)
    except (KeyError, IndexError):  # stored by another version, with other fields
        return TEXT[key][0 if lang == "zh" else 1]


def error_line(error: IntakeError, lang: str | None = None) -> str:
    """One error as a line of text, naming file, row, column and value (for the command line)."""
    lang = lang or current_language()
    reason = describe(error, lang)
    if error.row is not None:
        return t("intake.location", lang, file=error.file, row=error.row, column=error.column or "", value=error.value or "", reason=reason)
    if error.column:
        return t("intake.location_column", lang, file=error.file, column=error.column, reason=reason)
    return t("intake.location_file", lang, file=error.file, reason=reason)


def error_table(errors: list[IntakeError], lang: str | None = None) -> pd.DataFrame:
    """Errors as a table: file, row, column, value, reason (display column names)."""
    lang = lang or current_language()
    return pd.DataFrame(
        {
            t("intake.col.file", lang): [err.file for err in errors],
            t("intake.col.row", lang): pd.array([err.row for err in errors], dtype="Int64"),
            t("intake.col.column", lang): [err.column or "" for err in errors],
            t("intake.col.value", lang): [err.value if err.value is not None else "" for err in errors],
            t("intake.col.reason", lang): [describe(err, lang) for err in errors],
        }
    )
