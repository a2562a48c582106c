"""The example reports in sample_data/reports/ are valid for the small sample city (the
one `make run` loads): each is recognised as its type and passes every check against
that database (a dry run: nothing is written). After a change to the sample generator,
`python -m sample_data.example_reports` makes them again."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access.ingest import REPORT_TYPES, import_reports

REPORTS = Path(__file__).resolve().parent.parent / "sample_data" / "reports"


def test_there_is_one_example_per_report_type():
    assert sorted(p.stem for p in REPORTS.iterdir()) == sorted(REPORT_TYPES)


@pytest.mark.parametrize("name", sorted(REPORT_TYPES))
def test_example_report_is_valid_for_the_sample_city(sample_database, name):
    _, engine = sample_database
    (path,) = REPORTS.glob(f"{name}.*")
    (outcome,) = import_reports([(path.name, path.read_bytes())], user="test", engine=engine, dry_run=True)
    assert outcome.report_type == name
    assert outcome.accepted, [e.to_json() for e in outcome.errors[:5]]
    assert outcome.rows > 0


def test_the_intake_documentation_names_every_column_and_every_error():
    from data_access.ingest import errors
    from presentation.text import messages

    text = (Path(__file__).resolve().parent.parent / "docs" / "INTAKE.md").read_text(encoding="utf-8")
    for report_type in REPORT_TYPES.values():
        assert f"`{report_type.name}`" in text
        for column in report_type.columns:
            assert f"`{column.template_header}`" in text, column.name
    codes = {value for name, value in vars(errors).items() if name.isupper() and isinstance(value, str)}
    for lang in ("zh", "en"):
        reasons = {key.removeprefix("intake.reason.") for key in messages(lang) if key.startswith("intake.reason.")}
        assert codes == reasons, "every error code has its text"
    for code in codes - {"more_errors"}:
        assert f"`{code}`" in text, code
