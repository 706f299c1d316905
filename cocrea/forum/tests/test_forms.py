"""Bad input in every form of the point of contact gives a clear message and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cocrea.audit.models import AuditEvent
from cocrea.forum.models import Meeting, MeetingDocument
from cocrea.forum.tests.conftest import EXE, PDF, future

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _meeting_data(**changes):
    data = {
        "kind": "forum",
        "title": "Sesión ordinaria",
        "starts_at": future().strftime("%Y-%m-%dT%H:%M"),
        "ends_at": "",
        "place": "Ciudad de Guatemala",
        "online_url": "",
        "agenda": "1. Avances",
    }
    data.update(changes)
    return data


def _url(name, meeting):
    return reverse(name, kwargs={"slug": meeting.forum.slug, "public_id": meeting.public_id})


def en(url: str) -> str:
    """The English address: messages are checked in English (the msgids), so these tests hold
    before and after the Spanish catalogue is completed."""
    return url if url.startswith("/en/") else "/en" + url


@pytest.fixture
def signed_in(client, contact):
    client.force_login(contact)
    return client


def test_a_new_meeting_is_announced(signed_in, forum):
    response = signed_in.post(
        reverse("forum:meeting_new", kwargs={"slug": forum.slug}), _meeting_data()
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == future()  # read in Guatemala's time zone


def test_the_form_shows_dates_in_iso_whatever_the_language(signed_in, meeting):
    url = _url("forum:meeting_edit", meeting).removeprefix("/en")
    for address in (url, en(url)):
        html = signed_in.get(address).content.decode()
        assert 'type="datetime-local"' in html
        assert f'value="{future().strftime("%Y-%m-%dT%H:%M")}"' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the meeting a title"),
        ({"agenda": ""}, "Write the agenda"),
        ({"starts_at": ""}, "required"),
        ({"starts_at": "27/11/2026"}, "valid date"),
        (
            {
                "starts_at": future().strftime("%Y-%m-%dT%H:%M"),
                "ends_at": future(hour=9).strftime("%Y-%m-%dT%H:%M"),
            },
            "end after it starts",
        ),
        ({"online_url": "no es una dirección", "place": ""}, "valid URL"),
        ({"online_url": "ftp://example.org/x"}, "https://"),
        ({"place": "", "online_url": ""}, "a place, an online link or both"),
    ],
)
def test_bad_meeting_input_is_refused_with_a_message(signed_in, forum, changes, message):
    before = AuditEvent.objects.count()
    response = signed_in.post(
        en(reverse("forum:meeting_new", kwargs={"slug": forum.slug})), _meeting_data(**changes)
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert message.lower() in response.content.decode().lower()
    assert not Meeting.objects.exists()
    assert AuditEvent.objects.count() == before


def test_bad_input_when_changing_a_meeting_changes_nothing(signed_in, meeting):
    response = signed_in.post(_url("forum:meeting_edit", meeting), _meeting_data(title=""))
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.title == "Sesión ordinaria"


def test_cancelling_without_a_reason_is_refused(signed_in, meeting):
    response = signed_in.post(en(_url("forum:meeting_cancel", meeting)), {"reason": ""})
    assert response.status_code == 400
    assert "Say why the meeting is cancelled" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"minutes": "", "other_participants": "0"}, "write the minutes"),
        ({"minutes": "Acta", "other_participants": "-1"}, "cannot be negative"),
        ({"minutes": "Acta", "other_participants": "0", "attendance": ["999999"]}, "valid choice"),
    ],
)
def test_bad_minutes_are_refused(signed_in, past_meeting, data, message):
    response = signed_in.post(en(_url("forum:meeting_minutes", past_meeting)), data)
    assert response.status_code == 400
    assert message in response.content.decode().lower()
    past_meeting.refresh_from_db()
    assert past_meeting.status == Meeting.Status.SCHEDULED


def test_minutes_form_offers_the_seats_active_that_day(signed_in, past_meeting):
    html = signed_in.get(_url("forum:meeting_minutes", past_meeting)).content.decode()
    assert 'type="checkbox"' in html
    assert "Red Ciudadana" in html
    assert "Ministerio Saliente" not in html


def test_minutes_of_a_future_meeting_are_refused_with_a_message(signed_in, meeting):
    response = signed_in.post(
        _url("forum:meeting_minutes", meeting), {"minutes": "Acta", "other_participants": "0"}
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_a_pdf_document_is_added_and_served_as_a_download(signed_in, client, meeting):
    response = signed_in.post(
        _url("forum:document_new", meeting), {"title": "Acta firmada", "file": upload("a.pdf", PDF)}
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert document.content_type == "application/pdf" and len(document.sha256) == 64
    download = client.get(reverse("forum:document", kwargs={"public_id": document.public_id}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert document.sha256 in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "url": "https://example.org/a"}, "Give the document a title"),
        ({"title": "Doc"}, "either a link or a file"),
        ({"title": "Doc", "url": "https://example.org/a", "file": ("a.pdf", PDF)}, "not both"),
        ({"title": "Doc", "url": "javascript:alert(1)"}, "valid URL"),
        ({"title": "Doc", "file": ("programa.pdf", EXE)}, "not of a type we accept"),
        ({"title": "Doc", "file": ("foto.png", PDF)}, "does not match its name"),
        ({"title": "Doc", "file": ("vacio.pdf", b"")}, "is empty"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_stored(signed_in, meeting, _media, data, message):
    if "file" in data:
        data = {**data, "file": upload(*data["file"])}
    response = signed_in.post(en(_url("forum:document_new", meeting)), data)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not MeetingDocument.objects.exists()
    assert not (_media / "forum").exists() or not any((_media / "forum").rglob("*.*"))


def test_an_oversized_document_is_refused(signed_in, meeting, settings, _media):
    settings.COCREA_UPLOAD_MAX_BYTES = settings.COCREA_EVIDENCE_MAX_BYTES = 64 * 1024
    big = upload("enorme.pdf", PDF + b"0" * (200 * 1024))
    response = signed_in.post(_url("forum:document_new", meeting), {"title": "Doc", "file": big})
    assert response.status_code == 400
    assert "enorme.pdf" in response.content.decode()
    assert not MeetingDocument.objects.exists()


def test_submissions_are_rate_limited(signed_in, forum, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "submission": "2/m/user"}
    url = reverse("forum:meeting_new", kwargs={"slug": forum.slug})
    statuses = [signed_in.post(url, _meeting_data()).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Meeting.objects.count() == 2


def test_the_document_form_states_the_size_limit_and_the_accepted_types(
    signed_in, meeting, settings
):
    settings.COCREA_EVIDENCE_MAX_BYTES = 64 * 1024
    page = signed_in.get(en(_url("forum:document_new", meeting))).content.decode()
    assert "Up to 64.0\xa0KB: PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV." in page


def test_a_document_of_a_refused_type_is_refused_as_a_file_not_as_evidence(
    signed_in, meeting, _media
):
    """The forum shares the upload form with tracking's evidence, not evidence's wording."""
    response = signed_in.post(
        en(_url("forum:document_new", meeting)),
        {"title": "Doc", "file": upload("programa.pdf", EXE)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file programa.pdf is not of a type we accept. Accepted: PDF" in page
    assert "as evidence" not in page
    assert not MeetingDocument.objects.exists()
