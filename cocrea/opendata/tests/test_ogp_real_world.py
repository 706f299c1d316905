"""Issue 22's acceptance on a file in the shape of OGP's published commitments database
(data/ogp_real_world.csv; data/README.md says which row shows which case): Costa Rican, Kyrgyz,
Greek, Bulgarian, Guatemalan and Buenos Aires rows with their scripts and formats. Nothing OGP
publishes is refused but a row without an identity; every value the import changes is reported by
row, column and value; the dry run agrees with the import; nothing is cut; unknown stays unknown;
a second import, and an import of the export, change nothing.

A file with a bad row changes nothing (all or nothing), so the tests that look at what was
imported read the fixture without its one bad row. Row numbers count the header as row 1, as a
spreadsheet does (a cell with line breaks is still one row)."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from cocrea.audit.models import AuditEvent
from cocrea.opendata.ogp import export_file
from cocrea.opendata.ogp_import import import_file
from cocrea.plans.models import Commitment, Institution, Member
from cocrea.tracking.models import IrmReview

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "data" / "ogp_real_world.csv"
BAD_ROW = 3  # no Commitment Unique Identifier; its lead institution is first seen there


def _read(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(enumerate(reader, start=2))


HEADER, RECORDS = _read(FIXTURE)
GOOD = [row for line, row in RECORDS if line != BAD_ROW]
CELLS = {row["Commitment Unique Identifier"]: row for row in GOOD}
# The row numbers in the file without its bad row (what the tests below import).
LINE = {row["Commitment Unique Identifier"]: line for line, row in enumerate(GOOD, start=2)}


@pytest.fixture(autouse=True)
def _english():
    """The reports speak the active language; these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def clean(tmp_path) -> Path:
    """The fixture without its bad row, written as OGP writes it."""
    path = tmp_path / "ogp_without_bad_row.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(GOOD)
    return path


def _on(report, ogp_id: str) -> list[str]:
    """The warnings the report gives for the row of a commitment, as one-line texts."""
    return [" ".join(message.split()) for line, message in report.warnings if line == LINE[ogp_id]]


def _mentions(report, ogp_id: str, *words: str) -> bool:
    return any(all(word in message for word in words) for message in _on(report, ogp_id))


def _names_a_column_and_its_value(message: str, row: dict[str, str]) -> bool:
    """The message names one of the file's columns and (a line of) that row's cell in it."""
    flat = " ".join(message.split())
    for column, cell in row.items():
        if not column or column not in message or not cell.strip():
            continue
        pieces = [cell, *(part.strip().lstrip("•-").strip() for part in cell.splitlines())]
        if any(" ".join(piece.split()) in flat for piece in pieces if piece.strip()):
            return True
    return False


def _commitment(ogp_id: str) -> Commitment:
    return Commitment.objects.get(ogp_id=ogp_id)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def test_only_the_row_without_an_identity_is_refused_and_the_file_changes_nothing():
    events = AuditEvent.objects.count()
    dry = import_file(FIXTURE, dry_run=True)
    report = import_file(FIXTURE)
    # Row 3 alone is bad, named once; rows 4 and 5 use the institution row 3 introduced and must
    # not fail because of it (nothing of a refused row stays behind, cache included).
    assert [line for line, _reason in report.errors] == [BAD_ROW], report.errors
    assert "Commitment Unique Identifier" in report.errors[0][1]
    assert (dry.errors, dry.warnings) == (report.errors, report.warnings)
    # All or nothing: a file with a bad row changes nothing.
    assert not Commitment.objects.exists()
    assert not Member.objects.filter(code__in={row["Code"] for row in GOOD}).exists()
    assert AuditEvent.objects.count() == events


def test_every_other_row_imports_and_the_dry_run_reports_the_same(clean):
    dry = import_file(clean, dry_run=True)
    assert not Commitment.objects.exists() and not Institution.objects.exists()
    report = import_file(clean)
    assert report.ok, report.errors
    assert report.rows == len(GOOD) == 23
    assert report.created["commitments"] == len(GOOD)
    assert Commitment.objects.count() == len(GOOD)
    assert (dry.rows, dry.unknown_columns, dry.errors, dry.warnings) == (
        report.rows,
        report.unknown_columns,
        report.errors,
        report.warnings,
    )
    assert (dry.created, dry.changed) == (report.created, report.changed)
    # The bad row's institution, introduced by the rows after it, once.
    ministry = CELLS["KG0021"]["Lead Institution"]
    assert _commitment("KG0021").lead_institution == _commitment("KG0022").lead_institution
    assert [i.name for i in Institution.objects.all() if _key(i.name) == _key(ministry)] == [
        ministry
    ]


def test_every_normalisation_is_reported_with_its_row_column_and_value(clean):
    report = import_file(clean)
    assert report.ok, report.errors
    # Dates that are not one day: a bare year, a word, and a date that reads both ways.
    assert _mentions(report, "BG0041", "Start Date", "2017"), _on(report, "BG0041")
    assert _mentions(report, "KG0022", "Start Date", "Underway"), _on(report, "KG0022")
    assert _mentions(report, "KG0023", "End Date", "2020"), _on(report, "KG0023")
    assert _mentions(report, "GR0021", "Start Date", "1/7/2014"), _on(report, "GR0021")
    # Institutions split out of a list with bullets, one of them wrapped with a hyphen.
    assert _mentions(report, "BG0043", "Supporting Institution(s)"), _on(report, "BG0043")
    assert _mentions(report, "BUE0002", "Supporting Institution(s)"), _on(report, "BUE0002")
    # Float noise in a commitment number: read in its shortest form, and said so.
    noisy = CELLS["CR0042"]["Commitment Number"]
    assert _commitment("CR0042").number == "2.3"
    assert _mentions(report, "CR0042", "Commitment Number", noisy, "2.3"), _on(report, "CR0042")
    # Every warning says where: a row of the file, one of its columns and the value in it (or,
    # on the header's row 1, what the file does in a column: one of its values there).
    rows = dict(enumerate(GOOD, start=2))
    vague = [
        (line, message)
        for line, message in report.warnings
        if not (
            any(_names_a_column_and_its_value(message, row) for row in GOOD)
            if line == 1
            else line in rows and _names_a_column_and_its_value(message, rows[line])
        )
    ]
    assert not vague, vague


def test_values_are_kept_whole_and_unknown_stays_unknown(clean):
    report = import_file(clean)
    assert report.ok, report.errors
    # Titles and short titles whole.
    for ogp_id in ("BUE0101", "GR0035"):
        title = CELLS[ogp_id]["Commitment Title"]
        assert len(title) > 300 and _commitment(ogp_id).title == title
    for ogp_id in ("GR0035", "CR0043"):
        short = CELLS[ogp_id]["Short Title"]
        assert len(short) > 140 and _commitment(ogp_id).short_description == short
    # Institution names whole, trimmed, one per name whatever its spacing or case.
    names = list(Institution.objects.values_list("name", flat=True))
    for ogp_id in ("CR0043", "BG0042", "GR0034"):
        name = CELLS[ogp_id]["Lead Institution"]
        assert 190 <= len(name) <= 260 and name in names
    untidy = [
        n
        for n in names
        if n != " ".join(n.split())
        or n[0] in "•-–"
        or n.endswith("-")
        or n.strip().upper() in {"NA", "ND", "NR", "AIRES", "NOS AIRES"}
    ]
    assert not untidy, untidy
    keys = [_key(n) for n in names]
    assert len(keys) == len(set(keys)), sorted(keys)
    hacienda = _commitment("CR0041").lead_institution
    assert (
        hacienda in _commitment("CR0042").supporting_institutions.all()
    )  # MINISTERIO DE  HACIENDA
    finanzas = _commitment("GT0104").lead_institution  # "Ministerio de Finanzas  Públicas"
    assert finanzas in _commitment("GT0101").supporting_institutions.all()
    # Split only on OGP's separators: bullets and line breaks, not commas; a wrapped name joined.
    for name in (
        "Office of the Public Prosecutor of the City of Buenos Aires",
        "Undersecretariat of Innovation and Smart City, Ministry of Modernization, Innovation "
        "and Technology of the City of Buenos Aires",
        "Υπουργείο Εσωτερικών, Δημόσιας Διοίκησης και Αποκέντρωσης",
        "Сметна палата",
    ):
        assert name in names, name
    # Two names on two lines, no bullet: split, or kept as one name and said so.
    kyrgyz = CELLS["KG0023"]["Supporting Institution(s)"].splitlines()
    assert set(kyrgyz) <= set(names) or _mentions(report, "KG0023", "Supporting Institution(s)")
    prosecutor = Institution.objects.get(
        name="Office of the Public Prosecutor of the City of Buenos Aires"
    )
    assert prosecutor in _commitment("BUE0002").supporting_institutions.all()
    assert prosecutor in _commitment("BUE0101").supporting_institutions.all()
    assert _commitment("BUE0002").supporting_institutions.count() == 3
    # Commitment numbers as OGP writes them: kept as text, with nothing to report.
    for ogp_id in ("GR0034", "BG0041", "KG0022", "GR0035"):
        assert _commitment(ogp_id).number == CELLS[ogp_id]["Commitment Number"], ogp_id
        assert not _mentions(report, ogp_id, "Commitment Number"), _on(report, ogp_id)
    # A lead institution OGP gives as NA is no institution called NA.
    local = _commitment("BUE0001")
    assert local.lead_institution_id is None or local.lead_institution.name != "NA"
    # Day-first in the Start Date column (its unambiguous dates all are); 31/12/2016 is one date.
    greek = _commitment("GR0021")
    assert (greek.start_date, greek.end_date) == (date(2014, 7, 1), date(2016, 12, 31))
    # Unknown is not no.
    assert _commitment("BG0041").carried_forward is not False  # ND
    assert IrmReview.objects.get(commitment__ogp_id="BG0041").starred is not False  # NR
    # OGP's own vocabulary.
    assert IrmReview.objects.get(commitment__ogp_id="CR0041").verifiable == "verifiable"  # Yes
    assert IrmReview.objects.get(commitment__ogp_id="KG0022").verifiable == "not_verifiable"  # No
    assert IrmReview.objects.get(commitment__ogp_id="GR0021").opened_government == "worsened"
    assert IrmReview.objects.get(commitment__ogp_id="GR0035").opened_government  # no results yet
    assert IrmReview.objects.get(commitment__ogp_id="CR0042").completion_end  # Unclear
    # Members keep OGP's region and level.
    assert Member.objects.get(code="CRI").region == "Americas"
    assert Member.objects.get(code="BUE").level != "national"


def test_a_second_import_of_the_same_file_changes_nothing(clean):
    first = import_file(clean)
    assert first.ok, first.errors
    events, institutions = AuditEvent.objects.count(), Institution.objects.count()
    again = import_file(clean)
    assert again.ok, again.errors
    assert (again.created, again.changed) == ({}, {})
    assert AuditEvent.objects.count() == events
    assert Institution.objects.count() == institutions


def test_the_export_gives_back_every_cell_and_imports_to_no_change(clean, tmp_path):
    """Import then export gives OGP's file back, cell for cell: every row and every column (the
    unknown and derived ones too), with OGP's dates, words, unknowns and spacing; importing the
    export changes nothing."""
    report = import_file(clean)
    assert report.ok, report.errors
    out = tmp_path / "export.csv"
    assert export_file(out) == len(GOOD)
    header, exported_rows = _read(out)
    assert header[: len(HEADER)] == HEADER
    exported = {row["Commitment Unique Identifier"]: row for _line, row in exported_rows}
    assert set(exported) == set(CELLS)
    differ = [
        (ogp_id, column, cells[column], exported[ogp_id][column])
        for ogp_id, cells in CELLS.items()
        for column in HEADER
        if exported[ogp_id][column] != cells[column]
    ]
    assert not differ, differ[:5]
    events = AuditEvent.objects.count()
    again = import_file(out)
    assert again.ok, again.errors
    assert (again.created, again.changed) == ({}, {})
    assert AuditEvent.objects.count() == events


def test_the_audit_chain_holds_after_a_bulk_import(clean):
    report = import_file(clean)
    assert report.ok, report.errors
    # One public event per object created, chained as one-by-one writes would chain them.
    created = sum(report.created.values())
    assert AuditEvent.objects.filter(action__endswith=".create").count() == created
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    total = AuditEvent.objects.count()
    assert out.getvalue().startswith(f"Audit log verified: {total} events"), out.getvalue()
