"""Bulk open data: the files, their package description (validated by Frictionless), nothing
private in any of them, and the page and downloads that offer them."""

import csv
import json
import zipfile

import pytest
from django.core.management import call_command
from frictionless import validate
from openpyxl import load_workbook

from cocrea.opendata.export import TABLES
from cocrea.participation import services as participation
from conftest import build_plan
from tests.appchecks.participation import _proposal, open_consultation
from tests.pages import plan_samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(tmp_path, settings, personas):
    settings.COCREA_OPENDATA_ROOT = tmp_path
    plan = build_plan(commitments=3)
    plan_samples(plan)
    consultation = open_consultation(plan)
    hidden = _proposal(consultation, personas["citizen"], title="PROPUESTA-OCULTA")
    participation.content_hide(actor=personas["moderator"], target=hidden, reason="spam")
    commitment = plan.commitments.first()
    commitment.responsible_email = "responsable.privada@example.org"
    commitment.save()
    call_command("export_opendata", stdout=None)
    (archive,) = tmp_path.glob("cocrea-datos-*.zip")
    return tmp_path, archive


def test_every_table_is_written_as_csv_json_and_xlsx_with_the_same_rows(exported):
    root, archive = exported
    folder = root / archive.stem
    for table in TABLES:
        with open(folder / f"{table.name}.csv", encoding="utf-8") as handle:
            csv_rows = list(csv.DictReader(handle))
        json_rows = json.loads((folder / f"{table.name}.json").read_text())
        sheet = load_workbook(folder / f"{table.name}.xlsx", read_only=True).active
        assert len(csv_rows) == len(json_rows) == sheet.max_row - 1, table.name
        assert [c.name for c in table.columns] == list(next(sheet.values))
    proposals = json.loads((folder / "proposals.json").read_text())
    assert proposals and all(row["title"] != "PROPUESTA-OCULTA" for row in proposals)


def test_the_data_package_is_valid_frictionless(exported):
    root, archive = exported
    report = validate(str(root / archive.stem / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((root / archive.stem / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["path"] for r in package["resources"]} == {f"{t.name}.csv" for t in TABLES}


def test_nothing_private_is_in_the_archive(exported):
    _root, archive = exported
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        text = "".join(
            zipped.read(name).decode("utf-8", "ignore")
            for name in names
            if not name.endswith(".xlsx")
        )
    assert any(name.endswith("README.md") for name in names)
    assert any(name.endswith("LICENSE.txt") for name in names)
    for secret in (
        "PROPUESTA-OCULTA",
        "responsable.privada@example.org",
        "@correo-privado.example",
    ):
        assert secret not in text, secret


def test_the_page_lists_the_files_and_only_listed_names_download(client, exported):
    _root, archive = exported
    page = client.get("/en/datos-abiertos/").content.decode()
    assert archive.name in page and "commitments.csv" in page
    response = client.get(f"/datos-abiertos/descargas/{archive.name}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    for bad in ("..%2F..%2Fsettings.py", "datapackage.json.bak", "cocrea-datos-1999-01-01.zip"):
        assert client.get(f"/datos-abiertos/descargas/{bad}").status_code == 404, bad


def test_the_page_describes_each_file_in_the_visitors_language(client, exported):
    from cocrea.opendata.descriptions import TABLE_DESCRIPTIONS

    assert set(TABLE_DESCRIPTIONS) == {table.name for table in TABLES}
    english = client.get("/en/datos-abiertos/").content.decode()
    spanish = client.get("/datos-abiertos/").content.decode()
    # The names stay as the links' targets; the visible text says what each holds.
    for page in (english, spanish):
        assert '/datos-abiertos/descargas/commitments.csv"' in page
        assert " KB" in page and ".0 KB" not in page
    assert "Every commitment in OGP&#39;s template" in english
    assert "CSV table (opens in a spreadsheet)" in english
    assert '<html lang="es">' in spanish and "Compromisos" in spanish
    assert "Updated on " in english and "<time datetime=" in english


def test_the_page_says_so_before_any_export(client, tmp_path, settings, db):
    settings.COCREA_OPENDATA_ROOT = tmp_path / "nothing-yet"
    assert "export_opendata" in client.get("/en/datos-abiertos/").content.decode()
