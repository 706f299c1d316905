"""Writes go through services: validated, saved, and audited in the same transaction."""

from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import PermissionDenied, ValidationError

from cocrea.accounts.models import RoleGrant
from cocrea.audit.models import AuditEvent
from cocrea.plans import services
from cocrea.plans.models import Commitment, Milestone, PolicyArea
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
)
from conftest import grant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_creating_a_commitment_records_one_event_with_its_fields_and_relations():
    plan = ActionPlanFactory()
    lead, helper = InstitutionFactory(), InstitutionFactory()
    area = PolicyArea.objects.get(ogp_column="Open Data")
    commitment = services.commitment_save(
        actor=None,
        commitment=Commitment(
            plan=plan, number="1", slug="datos", title="Datos abiertos", lead_institution=lead
        ),
        supporting_institutions=[helper],
        policy_areas=[area],
    )
    event = AuditEvent.objects.get()
    assert event.action == "commitment.create"
    assert event.target_id == str(commitment.pk)
    assert event.changes["title"] == [None, "Datos abiertos"]
    assert event.changes["policy_areas"] == [None, [str(area)]]
    assert list(commitment.supporting_institutions.all()) == [helper]


def test_an_update_records_only_what_changed_and_a_no_op_records_nothing():
    commitment = CommitmentFactory(title="Antes")
    commitment.title = "Después"
    services.commitment_save(actor=None, commitment=commitment)
    event = AuditEvent.objects.get()
    assert event.action == "commitment.update"
    assert event.changes == {"title": ["Antes", "Después"]}
    services.commitment_save(actor=None, commitment=commitment)
    assert AuditEvent.objects.count() == 1


def test_invalid_data_is_refused_and_nothing_is_saved_or_audited():
    milestone = MilestoneFactory()
    milestone.start_date, milestone.end_date = date(2025, 1, 1), date(2024, 1, 1)
    with pytest.raises(ValidationError) as error:
        services.milestone_save(actor=None, milestone=milestone)
    assert "The end date cannot be before the start date." in str(error.value)
    milestone.refresh_from_db()
    assert milestone.end_date == date(2024, 8, 31)
    assert not AuditEvent.objects.exists()


def test_deleting_a_milestone_is_audited_with_its_last_values():
    milestone = MilestoneFactory(description="Publicar el informe")
    services.milestone_delete(actor=None, milestone=milestone)
    assert not Milestone.objects.exists()
    event = AuditEvent.objects.get()
    assert event.action == "milestone.delete"
    assert event.changes["description"] == ["Publicar el informe", None]


@pytest.mark.django_db(transaction=True)
def test_audit_events_cannot_be_recorded_outside_a_transaction():
    from cocrea.audit.services import event_record

    with pytest.raises(RuntimeError):
        event_record(actor=None, action="x.y", target=InstitutionFactory())


def test_the_event_names_the_public_name_of_the_person_not_their_email(django_user_model):
    user = django_user_model.objects.create_user(
        username="ana", email="ana@example.org", password="x-long-password", public_name="Quetzal"
    )
    grant(user, RoleGrant.Role.POINT_OF_CONTACT)
    TOTP.activate(user, generate_totp_secret())
    institution = InstitutionFactory()
    institution.website = "https://example.gob.gt"
    services.institution_save(actor=user, institution=institution)
    event = AuditEvent.objects.get()
    assert event.actor_name == "Quetzal"
    assert "ana@example.org" not in str(event.changes)


@pytest.mark.parametrize("persona", ["citizen", "official", "coordinator", "moderator"])
def test_a_person_without_the_role_changes_nothing_in_the_repository(personas, persona):
    """The services hold the rule, not only the administration's pages: whoever calls them."""
    actor = personas[persona]
    institution = InstitutionFactory(name="Ministerio de Salud")
    milestone = MilestoneFactory()
    events = AuditEvent.objects.count()
    institution.name = "Otro nombre"
    with pytest.raises(PermissionDenied):
        services.institution_save(actor=actor, institution=institution)
    with pytest.raises(PermissionDenied):
        services.milestone_delete(actor=actor, milestone=milestone)
    institution.refresh_from_db()
    assert institution.name == "Ministerio de Salud"
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert AuditEvent.objects.count() == events


def test_the_point_of_contact_needs_the_second_factor_to_change_the_repository(personas):
    contact = personas["point_of_contact"]
    contact.authenticator_set.all().delete()
    institution = InstitutionFactory(name="Ministerio de Salud")
    institution.name = "Otro nombre"
    with pytest.raises(PermissionDenied):
        services.institution_save(actor=contact, institution=institution)
    TOTP.activate(contact, generate_totp_secret())
    services.institution_save(actor=contact, institution=institution)
    institution.refresh_from_db()
    assert institution.name == "Otro nombre"
