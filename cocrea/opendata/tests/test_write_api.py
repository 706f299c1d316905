"""Institutions' own systems send progress-report drafts with a token: only their coordinator
creates and revokes tokens, only a hash is stored, a token reports only on its institution's
milestones and only while its creator may report, and every use is recorded."""

import json

import pytest
from django.utils import timezone

from cocrea.audit.models import AuditEvent
from cocrea.opendata import services
from cocrea.opendata.models import ApiToken, token_hash
from cocrea.plans.models import Membership
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from cocrea.tracking.models import ProgressReport

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
