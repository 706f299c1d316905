"""Bad evidence files are refused with a clear message, and nothing is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cocrea.tracking.models import Evidence, ProgressReport
from cocrea.tracking.tests.conftest import ELF, EXE, PDF, PNG, upload
from cocrea.tracking.uploads import evidence_file_check


def test_a_pdf_is_accepted_with_its_hash_and_type():
    checked = evidence_file_check(upload("informe.pdf", PDF))
    assert checked.content_type == "application/pdf"
    assert checked.size == len(PDF)
    import hashlib

    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_csv_is_accepted_from_its_text():
    checked = evidence_file_check(upload("datos.csv", "año;escuelas\n2024;120\n".encode()))
    assert checked.content_type == "text/csv"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("vacio.pdf", b"", "empty"),
        ("programa.pdf", EXE, "type"),
        ("programa.pdf", ELF, "type"),
        ("foto.pdf", PNG, "mismatch"),
        ("informe.png", PDF, "mismatch"),
        ("datos.csv", b"\x00\x01\x02binary", "type"),
        ("notas.txt", b"texto sin separadores", "type"),
    ],
)
def test_bad_files_are_refused_with_a_reason(name, content, code):
    with pytest.raises(ValidationError) as refused:
        evidence_file_check(upload(name, content))
    assert refused.value.code == code
    assert name in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.COCREA_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        evidence_file_check(upload("grande.pdf", PDF + b"0" * 1024))
    assert refused.value.code == "too_large"
    assert "1.0" in refused.value.messages[0] or "1,0" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vacio.pdf", b"", "está vacío"),
        ("programa.pdf", EXE, "no es de un tipo"),
        ("foto.pdf", PNG, "no coincide"),
    ],
)
def test_the_report_form_refuses_bad_files_and_stores_nothing(
    client, personas, milestone, report_data, _media, name, content, message
):
    client.force_login(personas["official"])
    url = reverse(
        "tracking:report_new",
        kwargs={
            "plan_slug": milestone.commitment.plan.slug,
            "slug": milestone.commitment.slug,
            "number": milestone.number,
        },
    )
    response = client.post(url, {**report_data, "file": upload(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert not (_media / "evidence").exists() or not any((_media / "evidence").rglob("*.*"))


def test_submissions_are_rate_limited_and_the_extra_one_changes_nothing(
    client, personas, milestone, report_data, settings
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "submission": "2/m/user"}
    client.force_login(personas["official"])
    url = reverse(
        "tracking:report_new",
        kwargs={
            "plan_slug": milestone.commitment.plan.slug,
            "slug": milestone.commitment.slug,
            "number": milestone.number,
        },
    )
    statuses = [client.post(url, report_data).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert ProgressReport.objects.count() == 2
    assert client.get(url).status_code == 200  # reading the form is not limited


def test_an_upload_past_the_limit_is_not_read_further_and_is_refused(
    client, personas, milestone, report_data, settings, _media
):
    settings.COCREA_UPLOAD_MAX_BYTES = settings.COCREA_EVIDENCE_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # so a file that got through would hit the disk
    client.force_login(personas["official"])
    url = reverse(
        "tracking:report_new",
        kwargs={
            "plan_slug": milestone.commitment.plan.slug,
            "slug": milestone.commitment.slug,
            "number": milestone.number,
        },
    )
    big = upload("enorme.pdf", PDF + b"0" * (200 * 1024))
    response = client.post(url, {**report_data, "file": big})
    assert response.status_code == 400
    assert "enorme.pdf" in response.content.decode()
    assert "supera los 64" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
