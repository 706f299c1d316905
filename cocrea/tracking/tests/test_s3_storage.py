"""Evidence on S3-compatible object storage (COCREA_STORAGE=s3), against a real S3 server on
loopback: the file sent through the report form is stored in the bucket and comes back through
the evidence view byte for byte, with its size; a draft's file is refused to a visitor, and the
bucket gives it to nobody who asks it directly."""

import hashlib

import pytest
import requests
from django.core.files.storage import default_storage
from django.urls import reverse

from cocrea.core.tests import files
from cocrea.tracking import services
from cocrea.tracking.models import Evidence
from cocrea.tracking.tests.conftest import upload
from cocrea.tracking.tests.test_forms import _new_url
from tests.servers import BUCKET, s3_client

pytestmark = pytest.mark.django_db


def _get(client, evidence):
    return client.get(reverse("tracking:evidence", kwargs={"public_id": evidence.public_id}))


def _draft_with_evidence(client, official, milestone, report_data) -> Evidence:
    """A draft report with a PDF, sent through the report form by its official."""
    client.force_login(official)
    client.post(
        _new_url(milestone), {**report_data, "file": upload("informe.pdf", files.BLANK_PDF)}
    )
    return Evidence.objects.get()


@pytest.mark.parametrize("on_disk", [False, True])
def test_evidence_goes_to_the_bucket_and_comes_back_through_the_view_unchanged(
    client, personas, milestone, report_data, settings, s3_storage, on_disk
):
    if on_disk:  # the upload arrives in a temporary file rather than in memory
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    sent = files.pdf_with_author()
    client.force_login(personas["official"])
    response = client.post(
        _new_url(milestone), {**report_data, "file": upload("informe.pdf", sent)}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()

    stored = s3_client(s3_storage).get_object(Bucket=BUCKET, Key=f"media/{evidence.file.name}")
    kept = stored["Body"].read()
    assert hashlib.sha256(kept).hexdigest() == evidence.sha256  # as checked, metadata removed

    served = _get(client, evidence)
    assert served.status_code == 200
    body = b"".join(served.streaming_content)
    assert body == kept
    assert int(served["Content-Length"]) == evidence.size == len(body)
    assert served["Cache-Control"] == "private, no-store"  # a draft's


def test_a_drafts_evidence_is_refused_to_a_visitor_and_the_bucket_serves_it_to_nobody(
    client, personas, milestone, report_data, s3_storage
):
    evidence = _draft_with_evidence(client, personas["official"], milestone, report_data)
    client.logout()
    assert _get(client, evidence).status_code == 404

    direct = requests.get(f"{s3_storage}/{BUCKET}/media/{evidence.file.name}", timeout=10)
    assert direct.status_code == 403  # no public object: only signed requests read it
    # Whatever asks the storage for an address gets the site's, never the bucket's.
    assert default_storage.url(evidence.file.name) == f"/media/{evidence.file.name}"
    assert s3_storage not in evidence.file.url


def test_once_published_anyone_downloads_it(client, personas, milestone, report_data, s3_storage):
    report = _draft_with_evidence(client, personas["official"], milestone, report_data).report
    services.progress_report_submit(actor=personas["official"], report=report)
    services.progress_report_publish(actor=personas["point_of_contact"], report=report)
    client.logout()
    evidence = Evidence.objects.get()
    served = _get(client, evidence)
    assert served.status_code == 200
    assert hashlib.sha256(b"".join(served.streaming_content)).hexdigest() == evidence.sha256


def test_a_file_missing_from_the_bucket_is_a_404(
    client, personas, milestone, report_data, s3_storage
):
    evidence = _draft_with_evidence(client, personas["official"], milestone, report_data)
    s3_client(s3_storage).delete_object(Bucket=BUCKET, Key=f"media/{evidence.file.name}")
    assert _get(client, evidence).status_code == 404
