"""Institutions' own systems send progress-report drafts with a token: only their coordinator
creates and revokes tokens, only a hash is stored, a token reports only on its institution's
milestones and only while its creator may report, and every use is recorded."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cocrea.audit.models import AuditEvent
from cocrea.audit.services import event_record
from cocrea.core.tests.files import BLANK_PDF
from cocrea.opendata import services
from cocrea.opendata.models import ApiToken, token_hash
from cocrea.plans.models import Membership
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from cocrea.tracking.models import Evidence, ProgressReport
from cocrea.tracking.services import (
    progress_report_create,
    progress_report_return,
    progress_report_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(institutions):
    commitment = CommitmentFactory(lead_institution=institutions["mineduc"])
    return MilestoneFactory(commitment=commitment, number=1)


@pytest.fixture
def token(personas, institutions):
    return services.api_token_create(
        actor=personas["coordinator"], institution=institutions["mineduc"], name="Planificación"
    )


def _body(target, **changes):
    return {
        "plan": target.commitment.plan.slug,
        "commitment": target.commitment.slug,
        "milestone": target.number,
        "completion": "limited",
        "percent": 25,
        "done": "Se cargaron los primeros datos desde el sistema del ministerio.",
        "facts_date": timezone.localdate().isoformat(),
        "links": [{"url": "https://mineduc.example/datos", "title": "Datos"}],
        **changes,
    }


def _post(client, plain, body):
    return client.post(
        "/api/v1/progress-reports",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )


def test_only_a_hash_of_the_token_is_stored_and_it_is_shown_once(client, personas, institutions):
    client.force_login(personas["coordinator"])
    page = client.post(
        "/en/instituciones/mineduc/tokens/", {"action": "create", "name": "Sistema"}
    ).content.decode()
    stored = ApiToken.objects.get()
    plain = page.split("<code>")[1].split("</code>")[0]
    assert plain.startswith("cocrea_") and stored.hashed == token_hash(plain)
    assert plain not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert plain not in client.get("/en/instituciones/mineduc/tokens/").content.decode()


def test_a_token_sends_a_draft_with_its_evidence_and_the_use_is_recorded(client, token, milestone):
    stored, plain = token
    response = _post(client, plain, _body(milestone))
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get(public_id=json.loads(response.content)["id"])
    assert report.status == ProgressReport.Status.DRAFT and report.percent == 25
    assert report.evidence.get().url == "https://mineduc.example/datos"
    assert AuditEvent.objects.filter(action="apitoken.use").count() == 1
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_refusals(client, token, milestone, personas, institutions):
    _stored, plain = token
    other = MilestoneFactory(
        commitment=CommitmentFactory(lead_institution=institutions["marn"]), number=1
    )
    assert _post(client, "cocrea_not-a-token", _body(milestone)).status_code == 401
    assert (
        client.post("/api/v1/progress-reports", "{}", content_type="application/json").status_code
        == 401
    )
    assert _post(client, plain, _body(other)).status_code == 403  # another institution's
    assert _post(client, plain, _body(milestone, milestone=9)).status_code == 404
    assert _post(client, plain, _body(milestone, percent=150)).status_code == 422
    # NUL characters, which PostgreSQL cannot store: refused as input, never a 500.
    assert _post(client, plain, _body(milestone, done="antes\x00después")).status_code == 422
    nul_link = [{"url": "https://mineduc.example/x", "title": "a\x00b"}]
    assert _post(client, plain, _body(milestone, links=nul_link)).status_code == 422
    future = _body(milestone, facts_date="2999-01-01")
    assert _post(client, plain, future).status_code == 400  # the service's rule: not in the future
    assert not ProgressReport.objects.exists()


def test_a_revoked_token_or_one_whose_creator_left_stops_working(
    client, token, milestone, personas
):
    stored, plain = token
    Membership.objects.filter(user=personas["coordinator"]).update(status="refused")
    assert _post(client, plain, _body(milestone)).status_code == 403
    Membership.objects.filter(user=personas["coordinator"]).update(status="approved")
    services.api_token_revoke(actor=personas["coordinator"], token=stored)
    assert _post(client, plain, _body(milestone)).status_code == 401
    assert not ProgressReport.objects.exists()


def test_only_the_institutions_coordinator_manages_its_tokens(client, personas, institutions):
    from django.core.exceptions import PermissionDenied

    for persona in ("official", "other_official", "point_of_contact", "administrator", "citizen"):
        with pytest.raises(PermissionDenied):
            services.api_token_create(
                actor=personas[persona], institution=institutions["mineduc"], name="x"
            )
    stored, _plain = services.api_token_create(
        actor=personas["coordinator"], institution=institutions["mineduc"], name="x"
    )
    client.force_login(personas["other_official"])
    response = client.post(
        "/instituciones/mineduc/tokens/", {"action": "revoke", "prefix": stored.prefix}
    )
    assert response.status_code == 403
    stored.refresh_from_db()
    assert stored.is_active


def test_an_empty_name_is_refused_with_a_message(client, personas):
    client.force_login(personas["coordinator"])
    response = client.post("/en/instituciones/mineduc/tokens/", {"action": "create", "name": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


# Files as evidence of a draft: POST /api/v1/progress-reports/{id}/evidence (multipart).

PDF = BLANK_PDF  # a real PDF, unchanged by the metadata cleaning (cocrea/core/scrub.py)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(client, token, milestone):
    """A draft the token made, with its link; its public id as the API answered it."""
    _stored, plain = token
    response = _post(client, plain, _body(milestone))
    assert response.status_code == 201, response.content
    return ProgressReport.objects.get(public_id=json.loads(response.content)["id"])


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _attach(client, plain, report_id, file=None, **fields):
    data = dict(fields)
    if file is not None:
        data["file"] = file
    headers = {"HTTP_AUTHORIZATION": f"Bearer {plain}"} if plain else {}
    return client.post(f"/api/v1/progress-reports/{report_id}/evidence", data, **headers)


def _stored_files(media):
    return sorted(path.name for path in (media / "evidence").rglob("*") if path.is_file())


def _state(media):
    return (Evidence.objects.count(), AuditEvent.objects.count(), _stored_files(media))


def test_a_token_attaches_a_file_to_its_draft_with_its_hash(client, token, draft, media):
    stored, plain = token
    stored.refresh_from_db()
    used_before = stored.last_used_at
    response = _attach(client, plain, draft.public_id, _upload("informe.pdf", PDF), title="Acta")
    assert response.status_code == 201, response.content
    answer = json.loads(response.content)
    evidence = draft.evidence.get(public_id=answer["evidence"]["id"])
    digest = hashlib.sha256(PDF).hexdigest()
    assert answer == {
        "id": draft.public_id,
        "status": "draft",
        "evidence": {
            "id": evidence.public_id,
            "title": "Acta",
            "file_name": "informe.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "sha256": digest,
        },
    }
    assert evidence.sha256 == digest and evidence.title == "Acta"
    assert evidence.file.read() == PDF  # stored under a name we made
    assert _stored_files(media) == [f"{evidence.public_id}.pdf"]
    update = AuditEvent.objects.filter(action="progressreport.update").get()
    assert update.changes["evidence"][1] == [
        {"file": "informe.pdf", "sha256": digest, "size": len(PDF)}
    ]
    use = AuditEvent.objects.filter(action="apitoken.use").latest("id")
    assert use.changes["evidence"] == [None, evidence.public_id]
    assert use.changes["sha256"] == [None, digest]
    stored.refresh_from_db()
    assert stored.last_used_at is not None and stored.last_used_at >= used_before
    draft.refresh_from_db()
    assert draft.status == ProgressReport.Status.DRAFT and draft.percent == 25  # unchanged


def test_without_a_title_the_file_name_is_the_title(client, token, draft, media):
    _stored, plain = token
    response = _attach(client, plain, draft.public_id, _upload("datos.csv", b"a;b\n1;2\n"))
    assert response.status_code == 201, response.content
    assert json.loads(response.content)["evidence"]["title"] == "datos.csv"
    assert draft.evidence.filter(file_name="datos.csv", title="datos.csv").exists()


def test_refusals_change_nothing(client, token, draft, media, personas, institutions):
    _stored, plain = token
    other_milestone = MilestoneFactory(
        commitment=CommitmentFactory(lead_institution=institutions["marn"]), number=1
    )
    others = progress_report_create(
        actor=personas["other_official"],
        milestone=other_milestone,
        completion="limited",
        percent=10,
        done="Del ministerio de ambiente.",
        facts_date=timezone.localdate(),
    )
    before = _state(media)
    pdf = lambda: _upload("informe.pdf", PDF)  # noqa: E731
    assert _attach(client, None, draft.public_id, pdf()).status_code == 401
    assert _attach(client, "cocrea_not-a-token", draft.public_id, pdf()).status_code == 401
    refused = _attach(client, plain, others.public_id, pdf())
    assert refused.status_code == 403  # another institution's report
    missing = _attach(client, plain, "0123456789abcdef", pdf())
    assert missing.status_code == 404
    assert json.loads(missing.content) == {"detail": "No such report."}
    assert _attach(client, plain, "not-an-id!", pdf()).status_code == 422
    assert _attach(client, plain, draft.public_id).status_code == 422  # no file
    too_long = _attach(client, plain, draft.public_id, pdf(), title="x" * 201)
    assert too_long.status_code == 422
    nul = _attach(client, plain, draft.public_id, pdf(), title="acta\x00")  # PostgreSQL refuses
    assert nul.status_code == 422
    assert _state(media) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("vacio.pdf", b""),
        ("foto.pdf", PNG),  # a PNG named .pdf
        ("informe.pdf", b"solo texto, sin formato"),
        ("informe.png", PDF),  # a PDF named .png
    ],
)
def test_a_bad_file_is_a_400_with_the_reason_and_changes_nothing(
    client, token, draft, media, name, content
):
    _stored, plain = token
    before = _state(media)
    response = _attach(client, plain, draft.public_id, _upload(name, content))
    assert response.status_code == 400, response.content
    detail = json.loads(response.content)["detail"]
    assert isinstance(detail, list) and name in detail[0]
    assert _state(media) == before


def test_a_file_over_the_limit_is_a_400_and_changes_nothing(client, token, draft, media, settings):
    _stored, plain = token
    before = _state(media)
    settings.COCREA_EVIDENCE_MAX_BYTES = 1024
    response = _attach(client, plain, draft.public_id, _upload("grande.pdf", PDF + b"0" * 2048))
    assert response.status_code == 400, response.content
    assert "grande.pdf" in json.loads(response.content)["detail"][0]
    assert _state(media) == before


def test_a_file_the_upload_handler_stops_reading_is_a_400_not_a_missing_file(
    client, token, draft, media, settings
):
    _stored, plain = token
    before = _state(media)
    settings.COCREA_UPLOAD_MAX_BYTES = settings.COCREA_EVIDENCE_MAX_BYTES = 64 * 1024
    big = _upload("enorme.pdf", PDF + b"0" * (200 * 1024))
    response = _attach(client, plain, draft.public_id, big)
    assert response.status_code == 400, response.content
    assert "enorme.pdf" in json.loads(response.content)["detail"][0]
    assert _state(media) == before


def test_a_submitted_or_published_report_takes_no_files(client, token, draft, media, personas):
    _stored, plain = token
    progress_report_submit(actor=personas["coordinator"], report=draft)
    before = _state(media)
    response = _attach(client, plain, draft.public_id, _upload("informe.pdf", PDF))
    assert response.status_code == 403
    ProgressReport.objects.filter(pk=draft.pk).update(
        status=ProgressReport.Status.PUBLISHED, published_at=timezone.now()
    )
    response = _attach(client, plain, draft.public_id, _upload("informe.pdf", PDF))
    assert response.status_code == 403
    assert _state(media) == before


def test_a_returned_report_takes_files_again(client, token, draft, media, personas):
    _stored, plain = token
    progress_report_submit(actor=personas["coordinator"], report=draft)
    progress_report_return(
        actor=personas["point_of_contact"], report=draft, reason="Falta el acta firmada."
    )
    response = _attach(client, plain, draft.public_id, _upload("acta.pdf", PDF))
    assert response.status_code == 201, response.content
    assert json.loads(response.content)["status"] == "returned"


def test_a_failure_after_the_file_is_stored_leaves_nothing(
    client, token, draft, media, monkeypatch
):
    """The token's event is the last write: if it fails, the evidence row and the update's event
    roll back, and the file already written to storage is removed."""
    _stored, plain = token
    before = _state(media)

    def failing(**kwargs):
        if kwargs["action"] == "apitoken.use":
            raise RuntimeError("the log is unavailable")
        return event_record(**kwargs)

    monkeypatch.setattr(services, "event_record", failing)
    with pytest.raises(RuntimeError):
        _attach(client, plain, draft.public_id, _upload("informe.pdf", PDF))
    assert _state(media) == before


def test_a_field_the_form_does_not_take_is_a_400_and_changes_nothing(client, token, draft, media):
    """The document says the form is `file` and `title` only (additionalProperties false): a
    misspelt field is named, not silently dropped."""
    _stored, plain = token
    before = _state(media)
    response = _attach(client, plain, draft.public_id, _upload("informe.pdf", PDF), titel="Inf")
    assert response.status_code == 400, response.content
    assert json.loads(response.content)["detail"] == ["Unknown field: titel"]
    assert _state(media) == before
