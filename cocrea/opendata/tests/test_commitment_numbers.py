"""Commitment numbers as text wherever open data carries them: OGP's file in and out, the API,
the bulk data package."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.utils import translation

from cocrea.opendata.export import TABLES, rows
from cocrea.opendata.ogp import export_commitments, export_write
from cocrea.opendata.ogp_import import import_file
from cocrea.plans.models import ActionPlan, Commitment
from cocrea.plans.tests.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan Number",
    "Commitment Number",
    "Code",
    "Year Of Submission",
    "Action Plan End Year",
    "Commitment Title",
    "Lead Institution",
    "Action Plan ID",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _import(tmp_path: Path, *numbers: str):
    """One plan's rows, GR0001 onwards, with these Commitment Number cells."""
    path = tmp_path / "ogp.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        for index, number in enumerate(numbers, start=1):
            writer.writerow(
                {
                    "Commitment Unique Identifier": f"GR{index:04d}",
                    "Country/Locality": "Greece",
                    "Action Plan Number": "3",
                    "Commitment Number": number,
                    "Code": "GRC",
                    "Year Of Submission": "2016",
                    "Action Plan End Year": "2018",
                    "Commitment Title": f"Commitment {index}",
                    "Lead Institution": "Ministry of the Interior",
                    "Action Plan ID": "AP_GRC03",
                }
            )
    report = import_file(path)
    assert report.ok, report.errors
    return report


def _number(ogp_id: str) -> str:
    return Commitment.objects.get(ogp_id=ogp_id).number


def _warnings(report, line: int) -> list[str]:
    return [message for at, message in report.warnings if at == line]


def test_numbers_ogp_writes_as_text_are_kept_as_published(tmp_path):
    report = _import(tmp_path, "3.2.5", "1.6A", "2.6", "12", " 10 ", "2.10", "2.1")
    assert [_number(f"GR{i:04d}") for i in range(1, 8)] == [
        "3.2.5",
        "1.6A",
        "2.6",
        "12",
        "10",
        "2.10",  # not float noise: OGP's 2.10 and 2.1 are two commitments
        "2.1",
    ]
    assert not [m for _, m in report.warnings if "Commitment Number" in m], report.warnings
    plan = ActionPlan.objects.get(ogp_id="AP_GRC03")
    assert list(plan.commitments.values_list("number", flat=True)) == [
        "1.6A",
        "2.1",
        "2.6",
        "2.10",
        "3.2.5",
        "10",
        "12",
    ]


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ("2.2999999999999998", "2.3"),  # a spreadsheet's float noise
        ("3.0", "3"),  # a whole number written as a float
        ("1.1000000000000001", "1.1"),
        ("4.0", "4"),
    ],
)
def test_a_spreadsheets_number_is_read_in_its_shortest_form_and_said(tmp_path, cell, kept):
    report = _import(tmp_path, cell)
    assert _number("GR0001") == kept
    (said,) = _warnings(report, 2)
    assert "Commitment Number" in said and f"«{cell}»" in said and kept in said


def test_a_number_taken_missing_or_too_long_takes_the_next_whole_number_and_is_said(tmp_path):
    report = _import(tmp_path, "3", "3.2.5", "3.2.5", "NA", "1.2.3.4.5.6.7.8.9.10.11")
    numbers = [_number(f"GR{i:04d}") for i in range(1, 6)]
    assert numbers == ["3", "3.2.5", "4", "5", "6"]
    for line, cell, given in ((4, "3.2.5", "4"), (5, "NA", "5"), (6, "1.2.3.4.5.6.7.8.9", "6")):
        (said,) = _warnings(report, line)
        assert "Commitment Number" in said and cell in said and said.endswith(given), said
    assert not _warnings(report, 2) and not _warnings(report, 3)


def test_the_export_writes_numbers_as_text_in_natural_order():
    plan = ActionPlanFactory()
    for number in ("10", "2", "1.6A", "3.2.5"):
        CommitmentFactory(plan=plan, number=number, ogp_id=f"X{number}")
    handle = io.StringIO()
    export_write(handle, export_commitments(plan))
    written = [row["Commitment Number"] for row in csv.DictReader(io.StringIO(handle.getvalue()))]
    assert written == ["1.6A", "2", "3.2.5", "10"]


def test_the_api_gives_a_commitments_number_as_a_string(client):
    commitment = CommitmentFactory(number="3.2.5")
    body = json.loads(
        client.get("/api/v1/commitments", {"plan": commitment.plan.slug}).content.decode()
    )
    assert [c["number"] for c in body["results"]] == ["3.2.5"]
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    number = schema["components"]["schemas"]["CommitmentOut"]["properties"]["number"]
    assert number["type"] == "string" and "1.6A" in number["description"]
    milestone = schema["components"]["schemas"]["MilestoneOut"]["properties"]["number"]
    assert milestone["type"] == "integer"


def test_the_data_package_types_a_commitments_number_as_a_string():
    tables = {table.name: table for table in TABLES}
    types = {
        name: {c.name: c.type for c in tables[name].columns}["number"]
        for name in ("commitments", "milestones")
    }
    assert types == {"commitments": "string", "milestones": "integer"}
    CommitmentFactory(number="1.6A")
    position = [c.name for c in tables["commitments"].columns].index("number")
    assert [row[position] for row in rows(tables["commitments"])] == ["1.6A"]
