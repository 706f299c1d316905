"""A meeting document on S3-compatible object storage (COCREA_STORAGE=s3), against a real S3
server on loopback: stored in the bucket through the document form, served back through the
document view byte for byte with its size."""

import hashlib

from django.urls import reverse

from cocrea.core.tests import files
from cocrea.forum.models import MeetingDocument
from cocrea.forum.tests.test_document_metadata import _url
from cocrea.forum.tests.test_forms import upload
from tests.servers import BUCKET, s3_client


def test_a_document_goes_to_the_bucket_and_comes_back_through_the_view(
    client, personas, meeting, s3_storage
):
    client.force_login(personas["point_of_contact"])
    response = client.post(
        _url("forum:document_new", meeting),
        {"title": "Acta", "file": upload("acta.pdf", files.pdf_with_author())},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    stored = s3_client(s3_storage).get_object(Bucket=BUCKET, Key=f"media/{document.file.name}")
    kept = stored["Body"].read()

    client.logout()  # a meeting's documents are public
    download = client.get(reverse("forum:document", kwargs={"public_id": document.public_id}))
    served = b"".join(download.streaming_content)
    assert served == kept
    assert hashlib.sha256(served).hexdigest() == document.sha256
    assert int(download["Content-Length"]) == len(served)
