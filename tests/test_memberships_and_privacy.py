"""Memberships (asked, decided with a reason, recorded), my space, and the promise that no page
shows a participant's email or legal name."""

import json

import pytest
from django.urls import reverse

from cocrea.audit.models import AuditEvent
from cocrea.plans.models import Membership
from tests.pages import plan_samples, public_pages


def _decide(client, membership, **data):
    url = reverse("plans:membership_decide", kwargs={"public_id": membership.public_id})
    return client.post(url, data)


@pytest.fixture
def request_to_mineduc(personas, institutions):
    return Membership.objects.create(
        user=personas["citizen"], institution=institutions["mineduc"], role="reporting_official"
    )


def test_a_coordinator_approves_and_the_decision_is_recorded(client, personas, request_to_mineduc):
    client.force_login(personas["coordinator"])
    response = _decide(client, request_to_mineduc, decision="approve", reason="Conocida")
    assert response.status_code == 302
    request_to_mineduc.refresh_from_db()
    assert request_to_mineduc.status == Membership.Status.APPROVED
    assert request_to_mineduc.decided_by == personas["coordinator"]
    assert request_to_mineduc.decided_at is not None
    event = AuditEvent.objects.get(action="membership.update")
    assert event.actor_name == "Coordinadora Mineduc"


def test_a_refusal_without_a_reason_is_refused_and_changes_nothing(
    client, personas, request_to_mineduc
):
    client.force_login(personas["coordinator"])
    response = _decide(client, request_to_mineduc, decision="refuse", reason="  ")
    assert response.status_code == 302
    request_to_mineduc.refresh_from_db()
    assert request_to_mineduc.status == Membership.Status.PENDING
    page = client.get(response.url).content.decode()
    assert "Diga por qué se rechaza la solicitud." in page or "Say why" in page


def test_a_coordinator_without_two_factor_cannot_decide(client, personas, request_to_mineduc):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=personas["coordinator"]).delete()
    client.force_login(personas["coordinator"])
    assert _decide(client, request_to_mineduc, decision="approve").status_code == 403
    request_to_mineduc.refresh_from_db()
    assert request_to_mineduc.status == Membership.Status.PENDING
    page = client.get(reverse("accounts:my_space")).content.decode()
    assert "autenticación en dos pasos" in page.lower() or "two-factor" in page.lower()


def test_a_forged_decision_on_an_unknown_request_is_not_found(client, personas):
    client.force_login(personas["point_of_contact"])
    url = reverse("plans:membership_decide", kwargs={"public_id": "0" * 16})
    assert client.post(url, {"decision": "approve"}).status_code == 404


def test_asking_twice_to_join_is_refused_with_a_message(client, personas, institutions):
    client.force_login(personas["citizen"])
    url = reverse("plans:membership_request", kwargs={"slug": institutions["marn"].slug})
    client.post(url, {"role": "member"})
    response = client.post(url, {"role": "coordinator"}, follow=True)
    assert Membership.objects.filter(user=personas["citizen"]).count() == 1
    assert Membership.objects.get(user=personas["citizen"]).role == "member"
    assert "ya" in response.content.decode().lower() or "already" in response.content.decode()


def test_an_unknown_role_is_refused(client, personas, institutions):
    client.force_login(personas["citizen"])
    url = reverse("plans:membership_request", kwargs={"slug": institutions["marn"].slug})
    client.post(url, {"role": "president"})
    assert not Membership.objects.filter(user=personas["citizen"]).exists()


def test_my_space_lists_institutions_requests_to_decide_and_milestones(
    client, personas, request_to_mineduc
):
    client.force_login(personas["coordinator"])
    page = client.get(reverse("accounts:my_space")).content.decode()
    assert "Ministerio de Educación" in page
    assert "Ciudadana" in page  # the pending request to decide
    assert request_to_mineduc.public_id in page


def test_my_space_needs_an_account(client, db):
    response = client.get(reverse("accounts:my_space"))
    assert response.status_code == 302
    assert "/cuentas/login/" in response["Location"]


def test_no_page_shows_a_participants_email_or_legal_name(client, plan, personas):
    private = []
    for person in personas.values():
        if person is not None:
            private += [person.email, person.last_name, person.username]
    for lang in ("es", "en"):
        for page in public_pages(plan_samples(plan), lang):
            html = client.get(page).content.decode()
            for value in private:
                assert value not in html, (page, value)
    client.force_login(personas["coordinator"])
    html = client.get(reverse("accounts:my_space")).content.decode()
    others = [p for name, p in personas.items() if p is not None and name != "coordinator"]
    assert not any(p.email in html for p in others)


def test_the_data_download_holds_my_data_and_nobody_elses(client, personas):
    client.force_login(personas["official"])
    response = client.get(reverse("accounts:data_export"))
    assert response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == personas["official"].email
    assert data["memberships"][0]["institution__name"] == "Ministerio de Educación"
    assert data["two_factor"][0]["type"] == "totp"
    assert personas["coordinator"].email not in response.content.decode()


def test_deleting_an_account_keeps_contributions_under_a_neutral_name(client, personas):
    official = personas["official"]
    client.force_login(official)
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 200
    official.refresh_from_db()
    assert official.deleted_at is None  # a wrong password changes nothing
    response = client.post(reverse("accounts:delete"), {"password": "una-clave-larga-de-prueba-1"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.deleted_at is not None
    assert official.email == "" and official.last_name == "" and official.public_name == ""
    assert str(official) == "Participante eliminado" or str(official) == "Deleted participant"
    assert not official.has_usable_password()
    assert client.get(reverse("accounts:my_space")).status_code == 302  # logged out
    profile = reverse("accounts:profile", kwargs={"public_id": official.public_id})
    assert client.get(profile).status_code == 404


def test_asking_to_join_an_unknown_institution_is_not_found(client, personas):
    client.force_login(personas["citizen"])
    url = reverse("plans:membership_request", kwargs={"slug": "no-existe"})
    assert client.post(url, {"role": "member"}).status_code == 404
    assert not Membership.objects.filter(user=personas["citizen"]).exists()


def test_an_unknown_profile_is_not_found_in_the_visitors_language(client, db):
    response = client.get("/personas/desconocido/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


@pytest.mark.parametrize("name", ["accounts:my_space", "accounts:data_export"])
def test_read_only_account_pages_refuse_writes(client, personas, name):
    client.force_login(personas["citizen"])
    assert client.post(reverse(name)).status_code == 405
