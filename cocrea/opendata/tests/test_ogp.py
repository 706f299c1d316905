"""OGP's commitments database format in and out: good and bad rows, unknown columns, OGP's
missing-value markers and messy dates, a dry run, a second import that changes nothing, and an
import followed by an export that gives back every field Cocrea models."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from cocrea.audit.models import AuditEvent
from cocrea.opendata.ogp import export_file
from cocrea.opendata.ogp_import import import_file
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member
from cocrea.plans.services import commitment_save
from cocrea.plans.tests.factories import MemberFactory
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


def _csv(tmp_path: Path, rows, name="ogp.csv", header=None) -> Path:
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header or HEADER)
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
            "Completion (End Of Term)": "Unclear",  # OGP's own word: kept
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
    # OGP publishes a plan's years; its commitments' dates within them date it: the earliest
    # start, the latest end ("10/1/23").
    assert (plan.member, plan.number, str(plan.start_date), str(plan.end_date)) == (
        member,
        5,
        "2022-01-01",
        "2023-10-01",
    )
    first = Commitment.objects.get(ogp_id="GT0110")
    assert first.number == "2" and str(first.start_date) == "2022-01-01"
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
    assert review.access_to_information is True
    assert review.starred is None  # ND: not known, not "not starred"
    second = Commitment.objects.get(ogp_id="GT0114")
    assert str(second.end_date) == "2023-10-01"
    assert second.irm_review.completion_end == "unclear"
    assert not any("Unclear" in warning for _line, warning in report.warnings)


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
    # A lead institution OGP did not publish (row 5) no longer makes a row bad.
    assert [line for line, _reason in report.errors] == [3, 6]
    reasons = dict(report.errors)
    assert "Commitment Unique Identifier" in reasons[3]
    assert "«dos mil»" in reasons[6] and "Year Of Submission" in reasons[6]
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


def test_import_then_export_gives_back_every_cell_and_an_edit_in_cocrea(tmp_path):
    import_file(_csv(tmp_path, GOOD))
    out = tmp_path / "export.csv"
    assert export_file(out) == 2
    with open(out, encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        # the file's columns in its order, then those of OGP's it lacked
        assert (reader.fieldnames or [])[: len(HEADER)] == HEADER
        assert "Did It Open Government (Overall)" in (reader.fieldnames or [])
        exported = {row["Commitment Unique Identifier"]: row for row in reader}
    # Every cell as OGP published it: its dates ("August 2023"), its unknowns, its own columns.
    for row in GOOD:
        assert {c: exported[row["Commitment Unique Identifier"]][c] for c in HEADER} == row
    # and the export imports back to the same records
    assert import_file(out).changed == {}
    # Edited in Cocrea since: the export writes the edit in that column, and only there.
    commitment = Commitment.objects.get(ogp_id="GT0110")
    commitment.title = "Plan de Gobierno Digital actualizado con la ciudadanía"
    commitment.end_date = date(2023, 12, 31)
    commitment_save(actor=None, commitment=commitment)
    export_file(out)
    with open(out, encoding="utf-8") as handle:
        edited = {row["Commitment Unique Identifier"]: row for row in csv.DictReader(handle)}
    changed = {c for c in HEADER if edited["GT0110"][c] != GOOD[0][c]}
    assert changed == {"Commitment Title", "End Date"}
    assert edited["GT0110"]["Commitment Title"] == commitment.title
    assert edited["GT0110"]["End Date"] == "12/31/2023"
    assert {c: edited["GT0114"][c] for c in HEADER} == GOOD[1]


def test_a_commitment_made_in_cocrea_is_exported_in_ogps_columns(tmp_path):
    import_file(_csv(tmp_path, GOOD))
    plan = ActionPlan.objects.get(ogp_id="AP_GTM05")
    lead = Institution.objects.get(name="Ministerio de Ambiente y Recursos Naturales")
    commitment_save(
        actor=None,
        commitment=Commitment(
            plan=plan,
            ogp_id="GT0120",
            number=9,
            slug="gt0120",
            title="Datos de compras",
            lead_institution=lead,
            start_date=date(2022, 3, 1),
            carried_forward=None,
        ),
    )
    out = tmp_path / "export.csv"
    assert export_file(out) == 3
    with open(out, encoding="utf-8") as handle:
        exported = {row["Commitment Unique Identifier"]: row for row in csv.DictReader(handle)}
    made = exported["GT0120"]
    assert (made["Commitment Title"], made["Start Date"], made["End Date"]) == (
        "Datos de compras",
        "03/01/2022",
        "NA",
    )
    assert (made["Carried Forward"], made["Verifiable"], made["_Completion Numeric"]) == (
        "ND",
        "ND",
        "",
    )


# Real OGP data (issue 22): rows shaped like the ones OGP publishes ---------------------------

BUENOS_AIRES = {
    "Commitment Unique Identifier": "BUE0001",
    "Country/Locality": "Buenos Aires, Argentina",
    "Action Plan Number": "1",
    "Commitment Number": "1",
    "Code": "BUE",
    "Region": "Americas",
    "National Or Local": "Legacy Local",
    "Year Of Submission": "2017",
    "Action Plan End Year": "2018",
    "Action Plan ID": "AP_BUE01",
    "Lead Institution": "NA",
}


def _warnings(report, line=None):
    return [text for at, text in report.warnings if line is None or at == line]


def test_only_a_row_without_its_identity_is_bad_and_what_is_missing_is_said(tmp_path):
    rows = [
        _row(**BUENOS_AIRES),  # OGP Local: no lead institution published
        _row(
            **{
                **BUENOS_AIRES,
                "Commitment Unique Identifier": "BUE0002",
                "Commitment Number": "2",
                "Commitment Title": "ND",
                "Short Title": "Datos abiertos de obras",
            },
        ),
        _row(
            **{
                **BUENOS_AIRES,
                "Commitment Unique Identifier": "BUE0003",
                "Commitment Number": "3",
                "Commitment Title": "",
                "Short Title": "NA",
            },
        ),
    ]
    path = _csv(tmp_path, rows)
    report = import_file(path)
    assert report.ok, report.errors
    placeholder = Institution.objects.get(  # one placeholder per member
        slug__startswith="no-publicada-por-ogp", member__code="BUE"
    )
    assert placeholder.name == "Not published by OGP"
    assert set(Commitment.objects.values_list("lead_institution", flat=True)) == {placeholder.pk}
    assert (
        "Lead Institution: «NA» not published; led by the placeholder institution "
        "«Not published by OGP»"
    ) in _warnings(report, 2)
    titles = dict(Commitment.objects.values_list("ogp_id", "title"))
    assert titles["BUE0002"] == "Datos abiertos de obras" and titles["BUE0003"] == "BUE0003"
    assert any("Commitment Title: «ND»" in w and "Short Title" in w for w in _warnings(report, 3))
    assert any("Commitment Title: «»" in w and "«BUE0003»" in w for w in _warnings(report, 4))
    institutions = Institution.objects.count()
    again = import_file(path)
    assert again.ok and again.created == {} and again.changed == {}
    assert Institution.objects.count() == institutions


def test_a_refused_row_leaves_nothing_behind_not_even_in_the_cache(tmp_path):
    rows = [
        _row(),
        _row(  # refused by the model after creating its lead institution
            **{
                "Commitment Unique Identifier": "GT" + "0" * 40,
                "Commitment Number": "7",
                "Lead Institution": "Secretaría de Planificación y Programación",
            }
        ),
        _row(
            **{
                "Commitment Unique Identifier": "GT0115",
                "Commitment Number": "8",
                "Lead Institution": "Secretaría de Planificación y Programación",
            }
        ),
    ]
    report = import_file(_csv(tmp_path, rows))
    assert [line for line, _reason in report.errors] == [3]  # only the refused row
    reason = report.errors[0][1]
    assert reason.startswith("Commitment Unique Identifier: «GT000") and "30" in reason
    assert not Institution.objects.exists()
    # without the bad row the file imports
    assert import_file(_csv(tmp_path, [rows[0], rows[2]], "fixed.csv")).ok


def test_the_latest_irm_report_is_kept_as_published_and_linked_only_when_an_address(tmp_path):
    header = [*HEADER, "Latest IRM Report"]
    rows = [
        _row(**{"Latest IRM Report": "2019"}),
        _row(
            **{
                "Commitment Unique Identifier": "GT0114",
                "Commitment Number": "6",
                "Latest IRM Report": "https://www.opengovpartnership.org/documents/guatemala-irm/",
            }
        ),
    ]
    report = import_file(_csv(tmp_path, rows, "irm.csv", header))
    assert report.ok, report.errors
    year = IrmReview.objects.get(commitment__ogp_id="GT0110")
    address = IrmReview.objects.get(commitment__ogp_id="GT0114")
    assert (year.report_url, year.report_link) == ("2019", "")
    assert address.report_link.startswith("https://www.opengovpartnership.org/")


def test_ogps_own_vocabulary_is_accepted_whatever_its_case(tmp_path):
    header = [*HEADER, "Did It Open Government (Overall)", "Completion (Progress Report)"]
    rows = [
        _row(
            **{
                "Verifiable": "Yes",
                "Did It Open Government (Overall)": "WORSENS",
                "Completion (Progress Report)": "unclear",
            }
        ),
        _row(
            **{
                "Commitment Unique Identifier": "GT0114",
                "Commitment Number": "6",
                "Verifiable": "no",
                "Did It Open Government (Overall)": "No early results to report yet",
            }
        ),
        _row(**{**BUENOS_AIRES, "National Or Local": "legacy local"}),
        _row(
            **{
                "Commitment Unique Identifier": "XK0001",
                "Code": "XKX",
                "Country/Locality": "Kosovo",
                "Region": "Europe",
                "National Or Local": "Other",
                "Action Plan ID": "AP_XKX01",
            }
        ),
    ]
    report = import_file(_csv(tmp_path, rows, "words.csv", header))
    assert report.ok, report.errors
    assert not any("not one of OGP's" in w for w in _warnings(report)), report.warnings
    first = IrmReview.objects.get(commitment__ogp_id="GT0110")
    second = IrmReview.objects.get(commitment__ogp_id="GT0114")
    assert (first.verifiable, first.opened_government, first.completion_midterm) == (
        "verifiable",
        "worsened",
        "unclear",
    )
    assert (second.verifiable, second.opened_government) == ("not_verifiable", "no_results_yet")
    levels = dict(Member.objects.values_list("code", "level"))
    assert levels == {"GTM": "national", "BUE": "legacy_local", "XKX": "other"}
    out = tmp_path / "export.csv"
    export_file(out)
    with open(out, encoding="utf-8") as handle:
        exported = {r["Commitment Unique Identifier"]: r for r in csv.DictReader(handle)}
    # The export gives back OGP's cell as it was written (nobody changed the level since).
    assert exported["BUE0001"]["National Or Local"] == "legacy local"
    assert exported["XK0001"]["National Or Local"] == "Other"


def test_dates_are_read_per_column_as_the_file_writes_them(tmp_path):
    rows = [
        _row(**{"Start Date": "1/7/2014", "End Date": "31/12/2016"}),
        _row(
            **{
                "Commitment Unique Identifier": "GT0114",
                "Commitment Number": "6",
                "Start Date": "2017",
                "End Date": "6/5/2016",
            }
        ),
        _row(
            **{
                "Commitment Unique Identifier": "GT0115",
                "Commitment Number": "7",
                "Start Date": "Underway",
                "End Date": "30/6/18",
            }
        ),
    ]
    report = import_file(_csv(tmp_path, rows))
    assert report.ok, report.errors
    dates = {c.ogp_id: (c.start_date, c.end_date) for c in Commitment.objects.all()}
    # End Date is day-first in this file (31/12/2016); Start Date does not say: month-first
    assert [str(d) for d in dates["GT0110"]] == ["2014-01-07", "2016-12-31"]
    assert str(dates["GT0114"][1]) == "2016-05-06" and dates["GT0114"][0] is None
    assert str(dates["GT0115"][1]) == "2018-06-30" and dates["GT0115"][0] is None
    assert "End Date: this file writes day/month/year («31/12/2016»); read so" in _warnings(
        report, 1
    )
    assert any(
        w.startswith("Start Date: «1/7/2014» could be day/month or month/day")
        for w in _warnings(report, 2)
    )
    assert "Start Date: «2017» is a year, not a date; left out" in _warnings(report, 3)
    assert "Start Date: «Underway» is not a date; left out" in _warnings(report, 4)
    # a date that reads both ways follows its column's order, and says so
    assert (
        "End Date: «6/5/2016» read as day/month, as this file writes this column: 2016-05-06"
        in (_warnings(report, 3))
    )
    assert not any("End Date" in w for w in _warnings(report, 4))  # 30/6/18: one way only


def test_long_texts_are_kept_whole_and_a_reimport_of_the_export_changes_nothing(tmp_path):
    title = ("Fortalecer la transparencia y la rendición de cuentas municipal " * 10).strip()
    short = "Гражданское участие в бюджетном процессе на местном уровне " * 3
    lead = "Министерство цифрового развития, инноваций и технологий " * 4 + " "
    rows = [_row(**{"Commitment Title": title, "Short Title": short, "Lead Institution": lead})]
    report = import_file(_csv(tmp_path, rows))
    assert report.ok, report.errors
    assert len(title) > 600 and len(short.strip()) > 140 and len(lead) > 200
    commitment = Commitment.objects.get(ogp_id="GT0110")
    assert commitment.title == title and commitment.short_description == short.strip()
    assert commitment.lead_institution.name == " ".join(lead.split())
    out = tmp_path / "export.csv"
    export_file(out)
    institutions = Institution.objects.count()
    again = import_file(out)
    assert again.ok and again.created == {} and again.changed == {}
    assert Institution.objects.count() == institutions


def test_institutions_are_matched_whatever_their_spacing_and_case(tmp_path):
    from cocrea.plans.services import institution_save

    existing = institution_save(
        actor=None,
        institution=Institution(
            member=MemberFactory(), name="Министерство  Цифрового Развития ", slug="mcr"
        ),
    )
    rows = [
        _row(
            **{
                "Lead Institution": "МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ",
                "Supporting Institution(s)": "министерство цифрового\nразвития",
            }
        )
    ]
    report = import_file(_csv(tmp_path, rows))
    assert report.ok, report.errors
    commitment = Commitment.objects.get(ogp_id="GT0110")
    assert commitment.lead_institution == existing
    assert list(commitment.supporting_institutions.all()) == [existing]
    assert Institution.objects.count() == 1


def test_supporting_institutions_are_split_only_on_ogps_separators(tmp_path):
    cell = (
        "• Government of the City of Buenos Aires\n"
        "• Ministry of Justice, Security and Human Rights\n"
        "- Office of the Public Prosecutor of the City of Bue-\nnos Aires; Poder Ciudadano"
    )
    report = import_file(_csv(tmp_path, [_row(**{"Supporting Institution(s)": cell})]))
    assert report.ok, report.errors
    names = [
        "Government of the City of Buenos Aires",
        "Ministry of Justice, Security and Human Rights",
        "Office of the Public Prosecutor of the City of Buenos Aires",
        "Poder Ciudadano",
    ]
    commitment = Commitment.objects.get(ogp_id="GT0110")
    assert sorted(i.name for i in commitment.supporting_institutions.all()) == sorted(names)
    assert f"Supporting Institution(s): «{cell}» split into 4: " + " | ".join(names) in _warnings(
        report, 2
    )


def test_unknown_stays_unknown(tmp_path):
    import_file(_csv(tmp_path, [_row(**{"Carried Forward": "1"})]))
    commitment = Commitment.objects.get(ogp_id="GT0110")
    assert commitment.carried_forward is True
    assert [a.ogp_column for a in commitment.policy_areas.all()] == ["Open Data"]
    unknown = _row(
        **{
            "Carried Forward": "ND",
            "Open Data": "NA",
            "Right To Information": "1",
            "Supporting Institution(s)": "NR",
            "Starred (Current Formula) End of Term": "1",
        }
    )
    report = import_file(_csv(tmp_path, [unknown], "again.csv"))
    assert report.ok, report.errors
    commitment.refresh_from_db()
    assert commitment.carried_forward is True  # ND: unchanged, not "not carried forward"
    assert sorted(a.ogp_column for a in commitment.policy_areas.all()) == [
        "Open Data",
        "Right To Information",
    ]
    assert commitment.supporting_institutions.count() == 2
    assert commitment.irm_review.starred is True
    fresh = _row(
        **{"Commitment Unique Identifier": "GT0114", "Commitment Number": "6"},
        **{"Carried Forward": "ND"},
    )
    import_file(_csv(tmp_path, [fresh], "fresh.csv"))
    new = Commitment.objects.get(ogp_id="GT0114")
    assert new.carried_forward is None and new.irm_review.starred is None
    out = tmp_path / "export.csv"
    export_file(out)
    with open(out, encoding="utf-8") as handle:
        exported = {r["Commitment Unique Identifier"]: r for r in csv.DictReader(handle)}
    assert exported["GT0114"]["Carried Forward"] == "ND"
    assert exported["GT0114"]["Starred (Current Formula) End of Term"] == "ND"


def test_members_keep_ogps_region_and_imported_budgets_have_no_currency(tmp_path):
    from cocrea.plans.services import member_save

    member_save(
        actor=None,
        member=Member(name="Guatemala", code="GTM", slug="gtm", region="Américas"),
    )
    rows = [
        _row(**{"Region": "Americas"}),
        _row(
            **{
                "Commitment Unique Identifier": "KG0001",
                "Country/Locality": "Kyrgyz Republic",
                "Code": "KGZ",
                "Region": "Europe",
                "Action Plan ID": "AP_KGZ01",
            }
        ),
    ]
    assert import_file(_csv(tmp_path, rows)).ok
    regions = dict(Member.objects.values_list("code", "region"))
    assert regions == {"GTM": "Américas", "KGZ": "Europe"}  # an existing member's is kept
    assert set(Commitment.objects.values_list("budget_currency", flat=True)) == {""}


def test_a_change_made_while_the_file_is_checked_leaves_nothing_imported(tmp_path):
    """Between the check and the write someone creates an institution under the slug the import
    chose for a new one: the write is refused whole, the report says to import again, and the
    file's rows are not half there."""
    path = _csv(tmp_path, GOOD)
    events = AuditEvent.objects.count()

    def meanwhile(rows_read: int) -> None:
        if rows_read == len(GOOD):
            Institution.objects.create(
                member=MemberFactory(code="CRI", name="Costa Rica", slug="cr", is_default=False),
                name="Otra institución",
                slug="ministerio-de-ambiente-y-recursos-naturales",
            )

    report = import_file(path, progress=meanwhile)
    assert not report.ok and report.created == {} and report.changed == {}
    ((line, reason),) = report.errors
    assert line == 1 and "Import the file again" in reason
    assert not Commitment.objects.exists() and not ActionPlan.objects.exists()
    assert AuditEvent.objects.count() == events
    again = import_file(path)  # once nobody is changing it, the file imports
    assert again.ok, again.errors
    assert Commitment.objects.count() == 2


def test_the_same_institution_name_in_two_members_is_two_institutions(tmp_path):
    """Two countries' "Ministerio de Hacienda" are not one institution: each member has its own,
    and a second import of each matches its own member's."""
    rows = [
        _row(**{"Lead Institution": "Ministerio de Hacienda"}),
        _row(
            **{
                "Commitment Unique Identifier": "CR0001",
                "Action Plan ID": "AP_CRI_1",
                "Code": "CRI",
                "Country/Locality": "Costa Rica",
                "Lead Institution": "Ministerio de  Hacienda",
            }
        ),
    ]
    report = import_file(_csv(tmp_path, rows))
    assert report.ok, report.errors
    hacienda = Institution.objects.filter(name__iexact="Ministerio de Hacienda")
    assert sorted(hacienda.values_list("member__code", flat=True)) == ["CRI", "GTM"]
    for code in ("GTM", "CRI"):
        commitment = Commitment.objects.get(plan__member__code=code)
        assert commitment.lead_institution.member.code == code
    again = import_file(_csv(tmp_path, rows))
    assert again.ok and again.created == {}, (again.errors, again.created)
