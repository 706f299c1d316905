"""Bad input to every tracking form: a clear message, status 400 or a message, nothing changed."""

from django.urls import reverse

from cocrea.plans.tests.factories import InstitutionFactory, MilestoneFactory
from cocrea.tracking import services
from cocrea.tracking.models import Assessment, Evidence, ProgressReport
from cocrea.tracking.tests.conftest import EXE, PDF, upload


def _new_url(milestone):
    return reverse(
        "tracking:report_new",
        kwargs={
            "plan_slug": milestone.commitment.plan.slug,
            "slug": milestone.commitment.slug,
            "number": milestone.number,
        },
    )


def test_a_report_with_a_bad_percentage_future_date_or_bad_link_is_refused(
    client, personas, milestone, report_data
):
    client.force_login(personas["official"])
    bad = {
        **report_data,
        "percent": "150",
        "facts_date": "2999-01-01",
        "link": "javascript:alert(1)",
        "completion": "finished",
    }
    response = client.post(_new_url(milestone), bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "El porcentaje va de 0 a 100." in html
    assert "La fecha de los hechos no puede ser futura." in html
    assert html.count('aria-invalid="true"') >= 3
    assert not ProgressReport.objects.exists()


def test_a_draft_edited_with_bad_input_keeps_what_it_had(client, personas, milestone):
    report = services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="limited",
        percent=20,
        done="Primera versión",
        facts_date=milestone.commitment.start_date,
    )
    client.force_login(personas["official"])
    url = reverse("tracking:report", kwargs={"public_id": report.public_id})
    response = client.post(url, {"completion": "limited", "percent": "-5", "done": ""})
    assert response.status_code == 400
    report.refresh_from_db()
    assert (report.percent, report.done) == (20, "Primera versión")


def test_a_return_without_a_reason_is_refused_and_the_report_stays_submitted(
    client, personas, milestone
):
    report = services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="limited",
        percent=20,
        done="x",
        facts_date=milestone.commitment.start_date,
    )
    services.progress_report_submit(actor=personas["official"], report=report)
    client.force_login(personas["point_of_contact"])
    url = reverse("tracking:report_return", kwargs={"public_id": report.public_id})
    response = client.post(url, {"reason": "   "}, follow=True)
    assert "Diga por qué se devuelve el informe." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_an_assessment_for_another_organisation_or_milestone_is_refused(
    client, personas, institutions, milestone
):
    client.force_login(personas["cso_member"])
    url = reverse(
        "tracking:assessment_new",
        kwargs={"plan_slug": milestone.commitment.plan.slug, "slug": milestone.commitment.slug},
    )
    other_org = InstitutionFactory(kind="civil_society", slug="otra")
    other_milestone = MilestoneFactory()
    base = {"completion": "limited", "reading": "Lectura"}
    for data in (
        {**base, "organisation": other_org.pk},
        {**base, "organisation": institutions["cso"].pk, "milestone": other_milestone.pk},
        {"organisation": institutions["cso"].pk, "completion": "limited", "reading": ""},
    ):
        assert client.post(url, data).status_code == 400
    assert not Assessment.objects.exists()


def test_an_unknown_milestone_or_report_is_not_found(client, personas, milestone):
    client.force_login(personas["official"])
    url = _new_url(milestone).replace("/hitos/1/", "/hitos/99/")
    assert client.get(url).status_code == 404
    assert client.get(reverse("tracking:report", kwargs={"public_id": "nada"})).status_code == 404


def test_a_correction_of_a_report_that_is_not_published_is_not_found(client, personas, milestone):
    draft = services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="limited",
        percent=20,
        done="x",
        facts_date=milestone.commitment.start_date,
    )
    client.force_login(personas["official"])
    assert client.get(_new_url(milestone), {"corrige": draft.public_id}).status_code == 404


def test_the_report_form_states_the_size_limit_and_the_accepted_types(
    client, personas, milestone, settings
):
    settings.COCREA_EVIDENCE_MAX_BYTES = 64 * 1024
    client.force_login(personas["official"])
    page = client.get("/en" + _new_url(milestone)).content.decode()
    assert "Up to 64.0\xa0KB: PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV." in page


def test_evidence_of_a_refused_type_is_refused_as_evidence(
    client, personas, milestone, report_data
):
    client.force_login(personas["official"])
    response = client.post(
        "/en" + _new_url(milestone), {**report_data, "file": upload("programa.pdf", EXE)}
    )
    assert response.status_code == 400
    assert "The file programa.pdf is not of a type we accept as evidence." in (
        response.content.decode()
    )
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_evidence_the_upload_handler_cut_is_named_with_the_limit(
    client, personas, milestone, report_data, settings
):
    settings.COCREA_UPLOAD_MAX_BYTES = settings.COCREA_EVIDENCE_MAX_BYTES = 64 * 1024
    client.force_login(personas["official"])
    big = upload("enorme.pdf", PDF + b"0" * (200 * 1024))
    response = client.post("/en" + _new_url(milestone), {**report_data, "file": big})
    assert response.status_code == 400
    assert "The file enorme.pdf is larger than 64.0\xa0KB." in response.content.decode()
    assert not ProgressReport.objects.exists()
