"""The administration: search, filters, milestones inline, and validation with clear messages.
Every save goes through the services and leaves an audit event."""

import pytest
from django.urls import reverse
from django.utils import translation

from cocrea.audit.models import AuditEvent
from cocrea.plans.models import Commitment, Milestone
from cocrea.plans.tests.factories import ActionPlanFactory, CommitmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_en(client, django_user_model):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from conftest import sign_in_with_second_factor

    admin = django_user_model.objects.create_superuser(
        "admin", "admin@example.org", "a-long-password-1"
    )
    TOTP.activate(admin, generate_totp_secret())
    return sign_in_with_second_factor(client, admin)


def _commitment_form(plan, lead, **overrides):
    data = {
        "plan": plan.pk,
        "number": "1",
        "ogp_id": "GT0110",
        "title": "Plan de Gobierno Digital",
        "slug": "gobierno-digital",
        "short_description": "",
        "lead_institution": lead.pk,
        "budget_currency": "GTQ",
        "sdg_goals": "[16]",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "milestones-0-number": "1",
        "milestones-0-description": "Diagnóstico",
        "milestones-0-start_date": "2023-09-01",
        "milestones-0-end_date": "2024-03-01",
        "milestones-0-responsible_institution": lead.pk,
        "milestones-0-weight": "1",
        "milestones-0-completion": "limited",
    }
    data.update(overrides)
    return data


def _add(client, data):
    with translation.override("en"):
        return client.post(reverse("admin:plans_commitment_add"), data)


def test_admin_creates_a_commitment_with_milestones_through_the_services(admin_client_en):
    plan, lead = ActionPlanFactory(), InstitutionFactory()
    response = _add(admin_client_en, _commitment_form(plan, lead))
    assert response.status_code == 302, response.content.decode()[:3000]
    commitment = Commitment.objects.get(ogp_id="GT0110")
    assert commitment.milestones.get().completion == Milestone.Completion.LIMITED
    actions = sorted(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["commitment.create", "milestone.create"]
    assert AuditEvent.objects.filter(actor_name="admin").count() == 0  # no public name set
    assert AuditEvent.objects.filter(actor__username="admin").count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"milestones-0-weight": "-1"}, "Ensure this value is greater than or equal to"),
        ({"milestones-0-weight": "0"}, "The weight must be a whole number of at least 1."),
        ({"milestones-0-end_date": "2023-01-01"}, "The end date cannot be before the start date."),
        ({"sdg_goals": "[42]"}, "List the goals as whole numbers from 1 to 17"),
        ({"number": "   "}, "This field is required."),
        ({"number": "1.2.3.4.5.6.7.8.9.10.11"}, "Ensure this value has at most 20 characters"),
    ],
)
def test_admin_refuses_bad_input_with_a_clear_message_and_saves_nothing(
    admin_client_en, overrides, message
):
    plan, lead = ActionPlanFactory(), InstitutionFactory()
    response = _add(admin_client_en, _commitment_form(plan, lead, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Commitment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_admin_refuses_a_duplicate_ogp_id(admin_client_en):
    CommitmentFactory(ogp_id="GT0110")
    plan, lead = ActionPlanFactory(), InstitutionFactory()
    response = _add(admin_client_en, _commitment_form(plan, lead))
    assert response.status_code == 200
    assert "Another commitment already has this OGP id." in response.content.decode()
    assert Commitment.objects.count() == 1


def test_admin_refuses_a_plan_ending_before_it_starts(admin_client_en):
    member = ActionPlanFactory().member
    with translation.override("en"):
        response = admin_client_en.post(
            reverse("admin:plans_actionplan_add"),
            {
                "member": member.pk,
                "number": "7",
                "title": "Séptimo",
                "slug": "septimo",
                "start_date": "2027-09-01",
                "end_date": "2025-08-31",
                "status": "drafting",
            },
        )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()


def test_admin_lists_and_searches_commitments(admin_client_en):
    CommitmentFactory(title="Transparencia ambiental", ogp_id="GT0114")
    CommitmentFactory(title="Salud")
    with translation.override("en"):
        response = admin_client_en.get(
            reverse("admin:plans_commitment_changelist"), {"q": "GT0114"}
        )
    html = response.content.decode()
    assert "Transparencia ambiental" in html
    assert "Salud" not in html


def test_the_administration_is_closed_to_anonymous_visitors(client):
    with translation.override("en"):
        response = client.get(reverse("admin:plans_commitment_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_audit_log_cannot_be_edited_in_the_administration(admin_client_en):
    institution = InstitutionFactory()
    from cocrea.plans import services

    institution.website = "https://example.org"
    services.institution_save(actor=None, institution=institution)
    event = AuditEvent.objects.get()
    with translation.override("en"):
        change = reverse("admin:audit_auditevent_change", args=[event.pk])
        delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client_en.post(change, {"action": "forged"}).status_code == 403
    assert admin_client_en.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "institution.update"
