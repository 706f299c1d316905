"""Evidence loses its metadata before it is stored and published (cocrea/core/scrub.py): a phone
photo's GPS position and camera serial are not in what the site serves, the SHA-256 shown is
that of the download, and the form says it happens."""

import hashlib
import io

import pytest
from django.urls import reverse
from PIL import Image

from cocrea.core.tests import files
from cocrea.tracking.models import Evidence
from cocrea.tracking.tests.conftest import upload
from cocrea.tracking.tests.test_forms import _new_url


def _download(client, evidence):
    response = client.get(reverse("tracking:evidence", kwargs={"public_id": evidence.public_id}))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_photo_sent_as_evidence_is_served_without_its_gps_and_camera(
    client, personas, milestone, report_data, settings, on_disk
):
    if on_disk:  # the upload arrives in a temporary file, which the storage moves by its path
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    original = files.jpeg_with_gps()
    client.force_login(personas["official"])
    response = client.post(
        _new_url(milestone), {**report_data, "file": upload("foto.jpg", original)}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    served = _download(client, evidence)
    assert served != original
    for secret in files.SECRETS:
        assert secret.encode() not in served
    with Image.open(io.BytesIO(served)) as photo:
        assert dict(photo.getexif()) == {} and photo.size == (32, 64)
    assert hashlib.sha256(served).hexdigest() == evidence.sha256
    assert evidence.size == len(served)


def test_a_pdf_sent_as_evidence_is_served_without_its_author(
    client, personas, milestone, report_data
):
    client.force_login(personas["official"])
    data = {**report_data, "file": upload("informe.pdf", files.pdf_with_author())}
    assert client.post(_new_url(milestone), data).status_code == 302
    evidence = Evidence.objects.get()
    served = _download(client, evidence)
    assert files.AUTHOR.encode() not in served and b"LibreOffice" not in served
    assert hashlib.sha256(served).hexdigest() == evidence.sha256


def test_a_bomb_sent_as_evidence_is_refused_with_a_message_and_nothing_is_stored(
    client, personas, milestone, report_data
):
    client.force_login(personas["official"])
    data = {**report_data, "file": upload("mapa.png", files.png_claiming(60_000, 60_000))}
    response = client.post("/en" + _new_url(milestone), data)
    assert response.status_code == 400
    assert "The image mapa.png has more than 50 million pixels" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_report_form_says_that_metadata_is_removed(client, personas, milestone):
    client.force_login(personas["official"])
    page = client.get("/en" + _new_url(milestone)).content.decode()
    assert "Before the file is kept and published we remove what it says about who made it" in page
    assert "the place (GPS), camera and time of photos." in page
