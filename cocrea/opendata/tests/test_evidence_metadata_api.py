"""Files an institution's system sends through the API go through the same checks and the same
cleaning as files sent on the site's forms (cocrea/core/filecheck.py, cocrea/core/scrub.py)."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cocrea.core.tests import files
from cocrea.opendata import services
from cocrea.opendata.tests.test_write_api import _body, _post
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from cocrea.tracking.models import Evidence, ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(client, personas, institutions, settings, tmp_path):
    """(the token, a draft it made), with files stored under a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    _stored, plain = services.api_token_create(
        actor=personas["coordinator"], institution=institutions["mineduc"], name="Sistema"
    )
    milestone = MilestoneFactory(
        commitment=CommitmentFactory(lead_institution=institutions["mineduc"]), number=1
    )
    response = _post(client, plain, _body(milestone))
    assert response.status_code == 201, response.content
    return plain, ProgressReport.objects.get(public_id=json.loads(response.content)["id"])


def _attach(client, plain, report, name, content):
    return client.post(
        f"/api/v1/progress-reports/{report.public_id}/evidence",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )


def test_a_docx_sent_through_the_api_is_stored_without_its_author(client, sent):
    plain, report = sent
    response = _attach(client, plain, report, "informe.docx", files.docx_with_author())
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.exclude(file="").get()
    stored = evidence.file.read()
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        unpacked = b"".join(archive.read(name) for name in archive.namelist())
    for secret in files.SECRETS:
        assert secret.encode() not in unpacked
    assert hashlib.sha256(stored).hexdigest() == evidence.sha256
    assert evidence.sha256 in response.content.decode()


def test_a_zip_bomb_sent_through_the_api_is_refused_and_nothing_is_stored(client, sent):
    plain, report = sent
    before = Evidence.objects.count()
    response = _attach(client, plain, report, "informe.docx", files.docx_claiming(2 * 1024**3))
    assert response.status_code == 400
    assert "informe.docx" in response.content.decode()
    assert Evidence.objects.count() == before
