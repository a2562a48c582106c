"""The report types units send in, one per domain: their columns (Chinese and English
names), which columns make a row's key, which table they land in and who reports them.

The column names are part of the file format, so they live here (not in the UI text
catalogue): a header cell may be the Chinese name, the English name, the English label or
the template's bilingual form ``中文名 (english_name)``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Table

from data_access import schema as s

# How a column's cells are read (see data_access.ingest.cells).
DATE, CODE, HOUR, COUNT, HOURS, RATIO, DURATION, AGE_GROUP, DOSE, COLOUR = (
    "date", "code", "hour", "count", "hours", "ratio", "duration", "age_group", "dose", "colour",
)  # fmt: skip
CATEGORY, MEASURE, ENTITY_TYPE = "category", "measure", "entity_type"  # isolation and inspections' closed lists
# Kinds whose values are stored as text (the rest are numbers).
TEXT_KINDS = frozenset({DATE, CODE, AGE_GROUP, CATEGORY, MEASURE, ENTITY_TYPE})

# What a code column refers to: the table of known codes, and the level an area must have.
REFERENCES: dict[str, tuple[Table, str | None]] = {
    "checkpoint": (s.checkpoint, None),
    "sampling_site": (s.sampling_site, None),
    "lab": (s.lab, None),
    "warehouse": (s.warehouse, None),
    "supply_item": (s.supply_item, None),
    "vaccination_site": (s.vaccination_site, None),
    "grid_unit": (s.area, "grid"),
    "street": (s.area, "street"),
    "isolation_site": (s.isolation_site, None),
    "inspection_team": (s.inspection_team, None),
}


@dataclass(frozen=True)
class Column:
    """One column of a report: stored as ``name`` in the report type's table."""

    name: str
    zh: str
    en: str  # English label; ``name`` itself is accepted too
    kind: str
    required: bool = True
    default: object = 0  # for an optional column left out or left blank (None: stored as NULL)
    reference: str | None = None  # a key of REFERENCES for code columns
    aliases: tuple[str, ...] = ()  # other spellings seen in real reports

    @property
    def template_header(self) -> str:
        """The bilingual header the templates use: ``中文名 (english_name)``."""
        return f"{self.zh} ({self.name})"


@dataclass(frozen=True)
class ReportType:
    """A kind of daily report: its columns, its key and who reports it."""

    name: str
    title_zh: str
    title_en: str
    submission_type: str  # report_submission.report_type: which completeness list it counts for
    unit_column: str  # the column naming the unit that sends the report
    key: tuple[str, ...]  # what a row is about; unique within a file
    replace_key: tuple[str, ...]  # a new report for this replaces the stored figures for it
    columns: tuple[Column, ...]
    table: Table
    sheet_names: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def _counts(*spec: tuple[str, str, str, bool]) -> tuple[Column, ...]:
    return tuple(Column(name, zh, en, COUNT, required=req) for name, zh, en, req in spec)


DAY = Column("day", "日期", "Day", DATE, aliases=("date", "报告日期", "统计日期", "填报日期"))

_CHECKPOINT_COUNTS = _counts(
    ("vehicles", "查验车辆", "Vehicles checked", True),
    ("people", "查验人员", "People checked", True),
    ("temperature_checks", "体温检测", "Temperature checks", True),
    ("fever", "发热人员", "Fever found", True),
    ("code_yellow", "黄码人员", "Health code yellow", False),
    ("code_red", "红码人员", "Health code red", False),
    ("risk_area_arrivals", "中高风险地区来人", "Arrivals from risk areas", False),
    ("turned_back", "劝返", "Turned back", False),
    ("to_fever_clinic", "转运发热门诊", "Sent to fever clinics", False),
)
_CHECKPOINT = Column("checkpoint_code", "道口代码", "Checkpoint code", CODE, reference="checkpoint", aliases=("道口编码",))

CHECKPOINT_HOURLY = ReportType(
    name="checkpoint_hourly",
    title_zh="道口查验（分时段）",
    title_en="Checkpoint counts (hourly)",
    submission_type="checkpoint",
    unit_column="checkpoint_code",
    key=("day", "checkpoint_code", "hour"),
    replace_key=("day", "checkpoint_code"),
    columns=(
        DAY,
        Column("hour", "时段", "Hour", HOUR, aliases=("小时", "时段(时)")),
        _CHECKPOINT,
        *_CHECKPOINT_COUNTS,
    ),
    table=s.checkpoint_hourly,
    sheet_names=("道口查验分时段", "道口分时段"),
)

CHECKPOINT_DAILY = ReportType(
    name="checkpoint_daily",
    title_zh="道口查验（日报）",
    title_en="Checkpoint counts (daily)",
    submission_type="checkpoint",
    unit_column="checkpoint_code",
    key=("day", "checkpoint_code"),
    replace_key=("day", "checkpoint_code"),
    columns=(
        DAY,
        _CHECKPOINT,
        *_CHECKPOINT_COUNTS,
        Column("staffed_hours", "值守小时数", "Staffed hours", HOURS, required=False, default=24),
    ),
    table=s.checkpoint_daily,
    sheet_names=("道口查验日报", "道口日报"),
)

TESTING = ReportType(
    name="testing",
    title_zh="核酸检测",
    title_en="Testing figures",
    submission_type="testing",
    unit_column="site_code",
    key=("day", "site_code"),
    replace_key=("day", "site_code"),
    columns=(
        DAY,
        Column("site_code", "采样点代码", "Sampling site code", CODE, reference="sampling_site", aliases=("采样点编码",)),
        Column("lab_code", "检测机构代码", "Lab code", CODE, reference="lab", aliases=("实验室代码", "检测实验室代码")),
        *_counts(
            ("samples_collected", "采样数", "Samples collected", True),
            ("samples_tested", "检测数", "Samples tested", True),
            ("positives", "阳性数", "Positives", True),
            ("pending", "待检数", "Pending", False),
        ),
        Column("pooled_ratio", "混采比例", "Pooled ratio", RATIO, required=False, default=1, aliases=("混检比例",)),
        Column("turnaround_median_h", "检测用时中位数（小时）", "Turnaround median (h)", DURATION, required=False, default=None),
        Column("turnaround_p90_h", "检测用时P90（小时）", "Turnaround p90 (h)", DURATION, required=False, default=None),
    ),
    table=s.testing_daily,
    sheet_names=("核酸检测日报",),
)

SUPPLIES = ReportType(
    name="supplies",
    title_zh="物资台账",
    title_en="Supplies ledger",
    submission_type="supplies",
    unit_column="warehouse_code",
    key=("day", "warehouse_code", "item_code"),
    replace_key=("day", "warehouse_code", "item_code"),
    columns=(
        DAY,
        Column("warehouse_code", "仓库代码", "Warehouse code", CODE, reference="warehouse", aliases=("储备库代码",)),
        Column("item_code", "物资代码", "Item code", CODE, reference="supply_item", aliases=("物资编码",)),
        *_counts(
            ("opening_stock", "期初库存", "Opening stock", True),
            ("inbound_procured", "采购入库", "Inbound procured", True),
            ("inbound_allocated", "调拨入库", "Inbound allocated", True),
            ("inbound_donated", "捐赠入库", "Inbound donated", True),
            ("outbound_frontline", "出库（一线）", "Outbound to front line", True),
            ("closing_stock", "期末库存", "Closing stock", True),
            ("production_capacity", "本地日产能", "Local daily capacity", False),
        ),
    ),
    table=s.supply_ledger,
    sheet_names=("物资台账日报", "物资日报"),
)

VACCINATION = ReportType(
    name="vaccination",
    title_zh="疫苗接种",
    title_en="Vaccination doses",
    submission_type="vaccination",
    unit_column="site_code",
    key=("day", "site_code", "age_group", "dose_number"),
    replace_key=("day", "site_code"),
    columns=(
        DAY,
        Column("site_code", "接种点代码", "Vaccination site code", CODE, reference="vaccination_site", aliases=("接种单位代码",)),
        Column("age_group", "年龄组", "Age group", AGE_GROUP, aliases=("年龄段",)),
        Column("dose_number", "剂次", "Dose number", DOSE, aliases=("针次",)),
        Column("doses", "接种剂次数", "Doses given", COUNT, aliases=("接种数", "接种人数")),
    ),
    table=s.vaccination_daily,
    sheet_names=("疫苗接种日报",),
)

GRID = ReportType(
    name="grid",
    title_zh="网格工作",
    title_en="Grid-unit activity",
    submission_type="grid",
    unit_column="unit_code",
    key=("day", "unit_code"),
    replace_key=("day", "unit_code"),
    columns=(
        DAY,
        Column("unit_code", "网格单元代码", "Grid unit code", CODE, reference="grid_unit", aliases=("联防单元代码", "网格代码")),
        *_counts(
            ("households_visited", "入户走访户数", "Households visited", True),
            ("people_screened", "排查人数", "People screened", True),
            ("home_observation", "居家观察人数", "Under home observation", True),
            ("key_close_contacts", "密切接触者", "Close contacts", False),
            ("key_risk_area_returnees", "中高风险地区返回人员", "Returnees from risk areas", False),
            ("key_inbound_travellers", "入境人员", "Inbound travellers", False),
            ("workers_on_duty", "在岗网格员", "Grid workers on duty", True),
        ),
        Column("risk_colour", "风险等级", "Risk colour", COLOUR, aliases=("四色等级", "风险颜色")),
    ),
    table=s.grid_daily,
    sheet_names=("网格工作日报",),
)

_STREET = Column(
    "area_code", "街道代码", "Street code", CODE, reference="street", aliases=("街镇代码", "乡镇街道代码", "街道（镇）代码")
)

# A street's (街道/镇) people under management: one row per category and measure it has.
# Isolation sites report their rooms and people; inspecting teams their day per street and
# kind of entity, with the five-point checklist 一戴二亮三测四扫五登记 passed / failed.
ISOLATION_PEOPLE = ReportType(
    name="isolation_people",
    title_zh="隔离管控人员",
    title_en="People under isolation and observation",
    submission_type="isolation_people",
    unit_column="area_code",
    key=("day", "area_code", "category", "measure"),
    replace_key=("day", "area_code"),
    columns=(
        DAY,
        _STREET,
        Column("category", "人员类别", "Category", CATEGORY, aliases=("管控人员类别", "类别")),
        Column("measure", "管控措施", "Measure", MEASURE, aliases=("管控方式", "措施")),
        *_counts(
            ("new_in", "新增人数", "New in", True),
            ("released", "解除人数", "Released", True),
            ("held", "在管人数", "Held", True),
            ("overdue", "超期未解除人数", "Overdue for release", False),
        ),
    ),
    table=s.isolation_people_daily,
    sheet_names=("隔离管控日报", "隔离管控人员日报"),
)

ISOLATION_SITE = ReportType(
    name="isolation_site",
    title_zh="集中隔离点",
    title_en="Isolation sites",
    submission_type="isolation_site",
    unit_column="site_code",
    key=("day", "site_code"),
    replace_key=("day", "site_code"),
    columns=(
        DAY,
        Column("site_code", "隔离点代码", "Isolation site code", CODE, reference="isolation_site", aliases=("集中隔离点代码",)),
        *_counts(
            ("rooms_occupied", "已用房间数", "Rooms occupied", True),
            ("people", "在住人数", "People held", True),
            ("staff", "工作人员数", "Staff on duty", True),
            ("new_in", "新入住人数", "Arrived", True),
            ("released", "离开人数", "Left", True),
            ("cases_found", "隔离中发现阳性", "Cases found", False),
        ),
    ),
    table=s.isolation_site_daily,
    sheet_names=("集中隔离点日报", "隔离点日报"),
)

_CHECKLIST_WORDS = {
    "mask": ("一戴口罩", "Masks worn"),
    "codes": ("二亮健康码行程码", "Codes shown"),
    "temperature": ("三测体温", "Temperature taken"),
    "scan": ("四扫场所码", "Venue code scanned"),
    "register": ("五登记购药人员", "Buyers registered"),
}
INSPECTION = ReportType(
    name="inspection",
    title_zh="督导检查",
    title_en="Inspections",
    submission_type="inspection",
    unit_column="team_code",
    key=("day", "team_code", "area_code", "entity_type"),
    replace_key=("day", "team_code"),
    columns=(
        DAY,
        Column("team_code", "督导组代码", "Team code", CODE, reference="inspection_team", aliases=("检查组代码",)),
        _STREET,
        Column("entity_type", "检查对象类型", "Entity type", ENTITY_TYPE, aliases=("主体类型", "场所类型")),
        *_counts(
            ("inspections", "检查家次", "Entity checks", True),
            ("inspector_visits", "出动人次", "Inspector-visits", True),
            ("inspections_passed", "合格家次", "Checks passed", True),
            ("problems_found", "发现问题数", "Problems found", True),
            ("fixed_on_time", "按期整改数", "Fixed on time", True),
            ("fixed_late", "逾期整改数", "Fixed late", False),
            ("open_problems", "未整改问题数", "Open problems", True),
            ("overdue", "超期未整改数", "Overdue problems", True),
            ("entities_open", "有未整改问题的主体数", "Entities with open problems", True),
            ("penalties", "行政处罚案件数", "Penalty cases", False),
            ("masks_seized", "查处问题口罩数", "Masks seized", False),
        ),
        *_counts(
            *[
                (f"{item}_{result}", f"{zh}{'合格' if result == 'passed' else '不合格'}", f"{en}: {result}", False)
                for item, (zh, en) in _CHECKLIST_WORDS.items()
                for result in ("passed", "failed")
            ]
        ),
    ),
    table=s.inspection_daily,
    sheet_names=("督导检查日报",),
)

REPORT_TYPES: dict[str, ReportType] = {
    t.name: t
    for t in (
        CHECKPOINT_HOURLY,
        CHECKPOINT_DAILY,
        TESTING,
        SUPPLIES,
        VACCINATION,
        GRID,
        ISOLATION_PEOPLE,
        ISOLATION_SITE,
        INSPECTION,
    )
}
SUBMISSION_TYPES: tuple[str, ...] = (
    "checkpoint",
    "testing",
    "supplies",
    "vaccination",
    "grid",
    "isolation_people",
    "isolation_site",
    "inspection",
)

# Free-text columns people add to any report; accepted and not stored.
REMARK_HEADERS = ("备注", "说明", "填报人", "联系电话", "remarks", "remark", "notes", "note", "comment", "comments")


def normalise_header(text: object) -> str:
    """A header cell as compared: full-width forms folded, case and spacing ignored."""
    folded = unicodedata.normalize("NFKC", "" if text is None else str(text)).strip().lower()
    return re.sub(r"[\s_\-]+", " ", folded).strip()


def _aliases(report_type: ReportType) -> dict[str, str]:
    known: dict[str, str] = {}
    for column in report_type.columns:
        for spelling in (column.name, column.zh, column.en, column.template_header, *column.aliases):
            known[normalise_header(spelling)] = column.name
    return known


_ALIASES = {name: _aliases(t) for name, t in REPORT_TYPES.items()}
_REMARKS = {normalise_header(h) for h in REMARK_HEADERS}
_PARENTHESIS = re.compile(r"^(.*)\(([^()]*)\)$")


def match_header(report_type: ReportType, header: object) -> str | None:
    """The column ``header`` names in ``report_type``, or None.

    Besides exact spellings it accepts a spelling followed by another in parentheses
    (``检测数 (samples_tested)``, ``采样数（份）``) or joined by ``/``, as long as no part
    names a different column.
    """
    known = _ALIASES[report_type.name]
    text = normalise_header(header)
    if not text:
        return None
    if text in known:
        return known[text]
    split = _PARENTHESIS.match(text)
    parts = [split.group(1), split.group(2)] if split else re.split(r"[/|\n]", text)
    if len(parts) < 2:
        return None
    found = {match_header(report_type, part) for part in parts if part.strip()}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def is_remark(header: object) -> bool:
    return normalise_header(header) in _REMARKS


def sheet_type(sheet_name: str) -> ReportType | None:
    """The report type a worksheet is named for (its name, or its Chinese or English title)."""
    wanted = normalise_header(sheet_name)
    for report_type in REPORT_TYPES.values():
        names = (report_type.name, report_type.title_zh, report_type.title_en, *report_type.sheet_names)
        if wanted in {normalise_header(n) for n in names}:
            return report_type
    return None
