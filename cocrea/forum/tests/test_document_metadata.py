"""A meeting document loses its metadata before it is stored and published (cocrea/core/scrub.py),
and the form says so."""

import hashlib
import io
import zipfile

from django.urls import reverse

from cocrea.core.tests import files
from cocrea.forum.models import MeetingDocument
from cocrea.forum.tests.test_forms import en, upload


def _url(name, meeting):
    return reverse(name, kwargs={"slug": meeting.forum.slug, "public_id": meeting.public_id})


def test_an_odt_document_is_served_without_its_author_and_with_the_hash_shown(
    client, personas, meeting
):
    client.force_login(personas["point_of_contact"])
    response = client.post(
        _url("forum:document_new", meeting),
        {"title": "Acta", "file": upload("acta.odt", files.odt_with_author())},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    download = client.get(reverse("forum:document", kwargs={"public_id": document.public_id}))
    served = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(served)) as archive:
        unpacked = b"".join(archive.read(name) for name in archive.namelist())
    for secret in files.SECRETS:
        assert secret.encode() not in unpacked
    assert hashlib.sha256(served).hexdigest() == document.sha256
    assert document.sha256 in client.get(meeting.get_absolute_url()).content.decode()


def test_the_document_form_says_that_metadata_is_removed(client, personas, meeting):
    client.force_login(personas["point_of_contact"])
    page = client.get(en(_url("forum:document_new", meeting))).content.decode()
    assert "Before the file is kept and published we remove what it says about who made it" in page
