"""OGP's commitments database format in and out: good and bad rows, unknown columns, OGP's
missing-value markers and messy dates, a dry run, a second import that changes nothing, and an
import followed by an export that gives back every field Cocrea models."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from cocrea.audit.models import AuditEvent
from cocrea.opendata.ogp import export_file, import_file
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member
from cocrea.tracking.models import IrmReview

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The reports speak the active language; these tests read them in English."""
    with translation.override("en"):
        yield


HEADER = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan Number",
    "Commitment Number",
    "Code",
    "Region",
    "National Or Local",
    "Year Of Submission",
    "Action Plan End Year",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Start Date",
    "End Date",
    "Lead Institution",
    "Supporting Institution(s)",
    "Action Plan ID",
    "Carried Forward",
    "Verifiable",
    "Potential for Results",
    "Completion (End Of Term)",
    "OGP Value Access To Information",
    "Starred (Current Formula) End of Term",
    "Open Data",
    "Right To Information",
    "_Completion Numeric",  # one of OGP's shadow columns: unknown here, listed
]


def _row(**values):
    base = {
        "Commitment Unique Identifier": "GT0110",
        "Country/Locality": "Guatemala",
        "Action Plan Number": "5",
        "Commitment Number": "2",
        "Code": "GTM",
        "Region": "Americas",
        "National Or Local": "National",
        "Year Of Submission": "2021",
        "Action Plan End Year": "2023",
        "Commitment Title": "Actualización participativa del Plan de Gobierno Digital",
        "Short Title": "Gobierno digital",
        "Full Text": "Actualizar el plan con participación ciudadana.",
        "Start Date": "1/1/2022",
        "End Date": "August 2023",
        "Lead Institution": "Comisión Presidencial de Gobierno Abierto y Electrónico",
        "Supporting Institution(s)": "Ministerio de Gobernación; Red Ciudadana",
        "Action Plan ID": "AP_GTM05",
        "Carried Forward": "0",
        "Verifiable": "Verifiable",
        "Potential for Results": "Modest",
        "Completion (End Of Term)": "Substantial",
        "OGP Value Access To Information": "1",
        "Starred (Current Formula) End of Term": "ND",
        "Open Data": "1",
        "Right To Information": "0",
        "_Completion Numeric": "3",
    }
    base.update(values)
    return base


def _csv(tmp_path: Path, rows, name="ogp.csv") -> Path:
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


GOOD = [
    _row(),
    _row(
        **{
            "Commitment Unique Identifier": "GT0114",
            "Commitment Number": "6",
            "Commitment Title": "Transparencia de los esfuerzos ambientales",
            "Lead Institution": "Ministerio de Ambiente y Recursos Naturales",
            "Supporting Institution(s)": "NA",
            "Start Date": "08/01/2022",
            "End Date": "10/1/23",
            "Completion (End Of Term)": "Unclear",  # outside the vocabulary: reported, left out
        }
    ),
]


def test_a_good_file_creates_the_member_plan_commitments_institutions_and_findings(tmp_path):
    report = import_file(_csv(tmp_path, GOOD))
    assert report.ok, report.errors
    assert report.unknown_columns == ["_Completion Numeric"]
    assert report.created == {
        "members": 1,
        "action plans": 1,
        "commitments": 2,
        "institutions": 4,
        "IRM findings": 2,
    }
    member = Member.objects.get(code="GTM")
    plan = ActionPlan.objects.get(ogp_id="AP_GTM05")
    assert (plan.member, plan.number, plan.start_date.year, plan.end_date.year) == (
        member,
        5,
        2021,
        2023,
    )
    first = Commitment.objects.get(ogp_id="GT0110")
    assert first.number == 2 and str(first.start_date) == "2022-01-01"
    assert str(first.end_date) == "2023-08-01"  # "August 2023": the month's first day
    assert {i.name for i in first.supporting_institutions.all()} == {
        "Ministerio de Gobernación",
        "Red Ciudadana",
    }
    assert [a.ogp_column for a in first.policy_areas.all()] == ["Open Data"]
    review = IrmReview.objects.get(commitment=first)
    assert (review.verifiable, review.potential_for_results, review.completion_end) == (
        "verifiable",
        "modest",
        "substantial",
    )
    assert review.access_to_information is True and review.starred is False
    second = Commitment.objects.get(ogp_id="GT0114")
    assert str(second.end_date) == "2023-10-01"
    assert second.irm_review.completion_end == ""
    assert any("Unclear" in warning for _line, warning in report.warnings)


def test_a_file_with_a_bad_row_changes_nothing_and_names_every_bad_row(tmp_path):
    events = AuditEvent.objects.count()
    rows = [
        GOOD[0],
        _row(**{"Commitment Unique Identifier": "ND", "Commitment Title": "Sin identificador"}),
        GOOD[1],
        _row(**{"Commitment Unique Identifier": "GT0119", "Lead Institution": "NA"}),
        _row(
            **{
                "Commitment Unique Identifier": "GT0120",
                "Action Plan ID": "AP_GTM06",
                "Year Of Submission": "dos mil",
            }
        ),
    ]
    report = import_file(_csv(tmp_path, rows))
    assert [line for line, _reason in report.errors] == [3, 5, 6]
    reasons = dict(report.errors)
    assert "Commitment Unique Identifier" in reasons[3]
    assert "Lead Institution" in reasons[5]
    assert "years" in reasons[6]
    assert not Commitment.objects.exists() and not Member.objects.filter(code="GTM").exists()
    assert not Institution.objects.exists()
    assert AuditEvent.objects.count() == events
    assert report.created == {}


def test_the_command_reports_bad_rows_and_fails(tmp_path, capsys):
    path = _csv(tmp_path, [_row(**{"Code": ""})])
    with pytest.raises(CommandError, match="1 bad row: nothing"):
        call_command("import_ogp_commitments", str(path))
    assert "row 2: missing Code" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_ogp_commitments", str(tmp_path / "plan.pdf"))


def test_the_command_shows_a_progress_bar_and_what_it_did(tmp_path):
    out = io.StringIO()
    call_command("import_ogp_commitments", str(_csv(tmp_path, GOOD)), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "] 100% (2/2)" in text and "[" + "#" * 30 + "]" in text
    assert "Would be created: " in text and " 2 commitments, " in text
    assert "Dry run: nothing changed." in text
    assert not Commitment.objects.exists()


def test_a_dry_run_reports_what_would_change_and_changes_nothing(tmp_path):
    report = import_file(_csv(tmp_path, GOOD), dry_run=True)
    assert report.ok and report.created["commitments"] == 2
    assert not Commitment.objects.exists()


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path):
    path = _csv(tmp_path, GOOD)
    import_file(path)
    events = AuditEvent.objects.count()
    again = import_file(path)
    assert again.ok and again.created == {} and again.changed == {}
    assert AuditEvent.objects.count() == events
    changed = import_file(_csv(tmp_path, [_row(**{"Short Title": "Nuevo título corto"})], "v2.csv"))
    assert changed.changed == {"commitments": 1}


def test_an_xlsx_file_imports_like_its_csv(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append([row[column] for column in HEADER])
    path = tmp_path / "ogp.xlsx"
    workbook.save(path)
    report = import_file(path)
    assert report.ok and report.created["commitments"] == 2


def test_import_then_export_gives_back_every_modelled_field(tmp_path):
    import_file(_csv(tmp_path, GOOD))
    out = tmp_path / "export.csv"
    assert export_file(out) == 2
    with open(out, encoding="utf-8") as handle:
        exported = {row["Commitment Unique Identifier"]: row for row in csv.DictReader(handle)}
    original = exported["GT0110"]
    for column in (
        "Country/Locality",
        "Action Plan Number",
        "Commitment Number",
        "Code",
        "Region",
        "National Or Local",
        "Year Of Submission",
        "Action Plan End Year",
        "Commitment Title",
        "Short Title",
        "Full Text",
        "Lead Institution",
        "Supporting Institution(s)",
        "Action Plan ID",
        "Carried Forward",
        "Verifiable",
        "Potential for Results",
        "Completion (End Of Term)",
        "OGP Value Access To Information",
        "Open Data",
        "Right To Information",
    ):
        assert original[column] == GOOD[0][column], column
    assert original["Start Date"] == "01/01/2022"  # the same date, in one shape
    # and the export imports back to the same records
    assert import_file(out).changed == {}
