"""What is wrong with a report, as data: a code and its fields, never a sentence.

The words, in the reader's language, come from the UI text catalogue
(``presentation.intake_text.describe``); the import history stores errors as JSON in this form, so
an old rejection reads in whichever language it is looked at.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# File-level problems (no row).
FILE_TOO_LARGE = "file_too_large"
EMPTY_FILE = "empty_file"
HEADER_ONLY = "header_only"
TOO_MANY_ROWS = "too_many_rows"
CELL_TOO_LONG = "cell_too_long"
UNZIPPED_TOO_LARGE = "unzipped_too_large"
UNDECODABLE = "undecodable"
UNREADABLE_XLSX = "unreadable_xlsx"
UNSUPPORTED_FORMAT = "unsupported_format"
UNKNOWN_REPORT_TYPE = "unknown_report_type"
WRONG_REPORT_TYPE = "wrong_report_type"
MISSING_COLUMN = "missing_column"
UNKNOWN_COLUMN = "unknown_column"
DUPLICATE_COLUMN = "duplicate_column"
BATCH_REJECTED = "batch_rejected"
MORE_ERRORS = "more_errors"
# A cell.
MISSING_VALUE = "missing_value"
FORMULA = "formula"
CONTROL_CHARACTER = "control_character"
NOT_A_NUMBER = "not_a_number"
NOT_AN_INTEGER = "not_an_integer"
NEGATIVE = "negative"
BAD_DATE = "bad_date"
FUTURE_DATE = "future_date"
BEFORE_START = "before_start"
OUT_OF_RANGE = "out_of_range"
BAD_AGE_GROUP = "bad_age_group"
BAD_DOSE = "bad_dose"
BAD_COLOUR = "bad_colour"
UNKNOWN_CODE = "unknown_code"
CODE_TOO_LONG = "code_too_long"
OUTSIDE_AREA = "outside_area"  # a unit the importer may not report for
# Areas master data (data_access.master.areas).
BAD_CODE = "bad_code"
BAD_LEVEL = "bad_level"
UNKNOWN_PARENT = "unknown_parent"
WRONG_LEVEL = "wrong_level"
CODE_NOT_UNDER_PARENT = "code_not_under_parent"
CYCLE = "cycle"
PARENT_CHANGED = "parent_changed"
# Facilities master data (data_access.master.facilities).
BAD_KIND = "bad_kind"
RETIRED_AREA = "retired_area"
RETIRED_UNIT = "retired_unit"  # the unit, or its area, was retired on or before the report's day
# Boundaries (data_access.master.boundaries).
NOT_GEOJSON = "not_geojson"
NO_AREA_CODE = "no_area_code"
NOT_A_POLYGON = "not_a_polygon"
INVALID_POLYGON = "invalid_polygon"
OUTSIDE_CHINA = "outside_china"
CHILD_OUTSIDE_PARENT = "child_outside_parent"  # a warning: the file is imported all the same
# Between cells, rows, or the file and the database.
DUPLICATE_KEY = "duplicate_key"
TESTED_ABOVE_COLLECTED = "tested_above_collected"
POSITIVES_ABOVE_TESTED = "positives_above_tested"
CLOSING_MISMATCH = "closing_mismatch"
DOSE2_ABOVE_DOSE1 = "dose2_above_dose1"
TEMPERATURE_ABOVE_PEOPLE = "temperature_above_people"
FEVER_ABOVE_TEMPERATURE = "fever_above_temperature"
EXCEEDS = "exceeds"  # a figure above another figure of its row that counts it (overdue above held …)
CHECKLIST_ABOVE_INSPECTIONS = "checklist_above_inspections"  # an item's passed + failed above the checks
PROBLEMS_BELOW_FAILURES = "problems_below_failures"  # fewer problems than failed checks or failed items
NO_INSPECTORS = "no_inspectors"  # checks without an inspector-visit
STOCK_MISMATCH = "stock_mismatch"  # held / open at the day's end ≠ the day before's + in − out
ROOMS_ABOVE_CAPACITY = "rooms_above_capacity"  # rooms occupied above the site's rooms
# Plausibility against the units' declared size and the population (limits in [intake]).
DOSES_ABOVE_CAPACITY = "doses_above_capacity"  # a site-day's doses > its daily capacity × factor
DOSES_ABOVE_POPULATION = "doses_above_population"  # cumulative doses of a dose number > the target population
PEOPLE_ABOVE_LANES = "people_above_lanes"  # a checkpoint-hour's people > lanes × per-lane maximum
VEHICLES_ABOVE_LANES = "vehicles_above_lanes"  # the same for vehicles

# An import shows (and stores) at most this many errors, then says how many more there were.
MAX_ERRORS = 200


VALUE_SHOWN = 200  # characters of an offending value kept with its error


@dataclass(frozen=True)
class IntakeError:
    """One problem in a report: which file, row (as numbered in the file, header = its own
    row number), column (the header as written, or the template's name when missing),
    the offending value as text, the reason code and the figures the reason names."""

    code: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    fields: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Only the start of a value is kept, stored and echoed: a cell of a hundred
        # megabytes must not reach the history table or anyone's browser.
        if isinstance(self.value, str) and len(self.value) > VALUE_SHOWN:
            object.__setattr__(self, "value", self.value[:VALUE_SHOWN] + "…")

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, {})}

    @classmethod
    def from_json(cls, data: dict) -> IntakeError:
        return cls(
            code=data["code"],
            file=data.get("file", ""),
            row=data.get("row"),
            column=data.get("column"),
            value=data.get("value"),
            fields=dict(data.get("fields") or {}),
        )


def capped(errors: list[IntakeError], total: int | None = None) -> list[IntakeError]:
    """At most MAX_ERRORS errors, the last saying how many were left out."""
    total = len(errors) if total is None else total
    if total <= MAX_ERRORS:
        return errors
    kept = errors[: MAX_ERRORS - 1]
    return [*kept, IntakeError(MORE_ERRORS, kept[0].file, fields={"n": total - len(kept)})]
