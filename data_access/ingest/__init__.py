"""Daily report intake 数据上报: report types, reading and checking files, importing them
all or nothing, templates. The upload page and ``python -m data_access.ingest`` share it.

    outcomes = import_reports([("cp.csv", data)], user="张三")
"""

from data_access.ingest.errors import IntakeError
from data_access.ingest.types import REPORT_TYPES, SUBMISSION_TYPES, ReportType
from data_access.ingest.validate import Report, parse_report
from data_access.ingest.writer import ACCEPTED, REJECTED, ImportOutcome, import_reports

__all__ = [
    "ACCEPTED",
    "REJECTED",
    "REPORT_TYPES",
    "SUBMISSION_TYPES",
    "ImportOutcome",
    "IntakeError",
    "Report",
    "ReportType",
    "import_reports",
    "parse_report",
]
