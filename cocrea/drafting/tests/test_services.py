"""Drafts, versions, comments, moderation and approval through the services."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cocrea.audit.models import AuditEvent
from cocrea.drafting import services
from cocrea.drafting.models import Draft, DraftVersion, SectionComment
from cocrea.drafting.tests.conftest import VERSION_1
from cocrea.plans.models import Commitment
from cocrea.plans.tests.factories import CommitmentFactory


def _events(action):
    return AuditEvent.objects.filter(action=action)


def test_a_new_draft_is_open_with_its_version_1_and_public_events(draft, personas):
    assert draft.status == Draft.Status.OPEN
    version = draft.versions.get()
    assert version.number == 1
    assert version.problem == VERSION_1["problem"]
    assert version.created_by == personas["point_of_contact"]
    event = _events("draft.create").get()
    assert event.public and event.target_id == str(draft.pk)
    version_event = _events("draftversion.create").get()
    assert version_event.public
    assert version_event.changes["problem"] == [None, VERSION_1["problem"]]
    assert version_event.context_id == str(draft.pk)


def test_a_new_version_keeps_the_earlier_ones_unchanged(draft, personas):
    changed = {**VERSION_1, "problem": "Otro problema.", "change_note": "Más claro."}
    second = services.draft_version_add(
        actor=personas["point_of_contact"], draft=draft, version=changed
    )
    assert second.number == 2
    first = DraftVersion.objects.get(draft=draft, number=1)
    assert first.problem == VERSION_1["problem"]
    assert second.problem == "Otro problema."
    assert _events("draftversion.create").count() == 2


def test_a_comment_attaches_to_a_section_of_the_latest_version(draft, personas):
    services.draft_version_add(
        actor=personas["point_of_contact"], draft=draft, version={**VERSION_1, "change_note": "x"}
    )
    comment = services.section_comment_add(
        actor=personas["citizen"], draft=draft, section="causes", body="Faltan las causas."
    )
    assert comment.version.number == 2
    assert comment.section == "causes"
    event = _events("sectioncomment.create").get()
    digest = hashlib.sha256(b"Faltan las causas.").hexdigest()
    assert event.public and event.changes["body_sha256"] == [None, digest]
    assert "Faltan las causas." not in str(event.changes)


def test_a_comment_on_an_unknown_section_is_refused(draft, personas):
    with pytest.raises(ValidationError):
        services.section_comment_add(
            actor=personas["citizen"], draft=draft, section="budget_secret", body="Hola"
        )
    assert not SectionComment.objects.exists()


@pytest.mark.parametrize("body", ["", "x", "x" * 5001])
def test_a_comment_too_short_or_too_long_is_refused(draft, personas, body):
    with pytest.raises(ValidationError):
        services.section_comment_add(
            actor=personas["citizen"], draft=draft, section="problem", body=body
        )
    assert not SectionComment.objects.exists()
    assert not _events("sectioncomment.create").exists()


def test_a_moderator_hides_a_comment_with_a_public_reason(draft, personas):
    comment = services.section_comment_add(
        actor=personas["citizen"], draft=draft, section="problem", body="Compre aquí"
    )
    services.section_comment_hide(actor=personas["moderator"], comment=comment, reason="spam")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "spam"
    assert _events("sectioncomment.hide").get().public


def test_someone_who_is_not_a_moderator_cannot_hide(draft, personas):
    comment = services.section_comment_add(
        actor=personas["citizen"], draft=draft, section="problem", body="Mi comentario"
    )
    with pytest.raises(PermissionDenied):
        services.section_comment_hide(
            actor=personas["point_of_contact"], comment=comment, reason="spam"
        )
    comment.refresh_from_db()
    assert not comment.is_hidden


def _approve(draft, personas, institutions, number=1):
    draft.versions.update(lead_institution=institutions["mineduc"])
    version = draft.versions.get(number=number)
    return services.draft_approve(actor=personas["point_of_contact"], draft=draft, version=version)


def test_approval_creates_the_commitment_with_the_versions_fields(draft, personas, institutions):
    plan = draft.consultation.plan
    CommitmentFactory(plan=plan, number="4", slug="compras-publicas-abiertas")
    services.draft_version_add(
        actor=personas["point_of_contact"],
        draft=draft,
        version={**VERSION_1, "problem": "Problema de la v2.", "change_note": "v2"},
    )
    draft = _approve(draft, personas, institutions, number=1)
    commitment = draft.commitment
    assert draft.status == Draft.Status.APPROVED
    assert draft.approved_version.number == 1
    assert draft.approved_by == personas["point_of_contact"]
    assert commitment.plan == plan
    assert commitment.number == "5"  # the next free number
    assert commitment.slug == "compras-publicas-abiertas-2"  # the plain slug was taken
    assert commitment.title == VERSION_1["title"]
    assert commitment.problem == VERSION_1["problem"]  # version 1's, not version 2's
    assert commitment.access_to_information is True
    assert commitment.access_to_information_text == VERSION_1["access_to_information_text"]
    assert commitment.lead_institution == institutions["mineduc"]
    assert [m.description for m in commitment.milestones.order_by("number")] == [
        "Portal publicado",
        "Capacitación",
    ]
    assert _events("draft.approve").get().public
    assert _events("commitment.create").filter(target_id=str(commitment.pk)).exists()


def test_approval_numbers_the_commitment_one_past_the_plans_largest_whole_number(
    draft, personas, institutions
):
    plan = draft.consultation.plan
    for number in ("2", "12", "3.2.5", "20.1", "1.6A"):
        CommitmentFactory(plan=plan, number=number)
    draft = _approve(draft, personas, institutions)
    # 20.1 and 3.2.5 are not whole numbers; 12 is the largest that is
    assert draft.commitment.number == "13"


def test_approval_in_a_plan_without_whole_numbers_gives_number_one(draft, personas, institutions):
    CommitmentFactory(plan=draft.consultation.plan, number="1.6A")
    assert _approve(draft, personas, institutions).commitment.number == "1"


def test_a_second_approval_is_refused(draft, personas, institutions):
    _approve(draft, personas, institutions)
    with pytest.raises(ValidationError):
        _approve(draft, personas, institutions)
    assert Commitment.objects.filter(plan=draft.consultation.plan).count() == 1
    assert _events("draft.approve").count() == 1


def test_a_version_without_lead_institution_cannot_become_a_commitment(draft, personas):
    with pytest.raises(ValidationError):
        services.draft_approve(
            actor=personas["point_of_contact"], draft=draft, version=draft.versions.get()
        )
    draft.refresh_from_db()
    assert draft.status == Draft.Status.OPEN
    assert not Commitment.objects.exists()


def test_a_version_of_another_draft_is_refused(draft, personas, institutions, consultation):
    other = services.draft_create(
        actor=personas["point_of_contact"],
        consultation=consultation,
        title="Otro",
        version={**VERSION_1, "lead_institution": institutions["marn"]},
    )
    with pytest.raises(ValidationError):
        services.draft_approve(
            actor=personas["point_of_contact"], draft=draft, version=other.versions.get()
        )
    assert not Commitment.objects.exists()


def test_a_withdrawn_draft_takes_no_version_comment_or_approval(draft, personas, institutions):
    services.draft_withdraw(actor=personas["point_of_contact"], draft=draft, reason="Duplicado")
    draft.refresh_from_db()
    assert draft.status == Draft.Status.WITHDRAWN
    with pytest.raises(PermissionDenied):
        services.draft_version_add(
            actor=personas["point_of_contact"], draft=draft, version={**VERSION_1}
        )
    with pytest.raises(PermissionDenied):
        services.section_comment_add(
            actor=personas["citizen"], draft=draft, section="problem", body="Hola"
        )
    with pytest.raises(PermissionDenied):
        _approve(draft, personas, institutions)
    assert draft.versions.count() == 1


def test_withdrawing_needs_a_reason(draft, personas):
    with pytest.raises(ValidationError):
        services.draft_withdraw(actor=personas["point_of_contact"], draft=draft, reason="  ")
    draft.refresh_from_db()
    assert draft.is_open


def test_a_version_with_dates_out_of_order_is_refused(draft, personas):
    from datetime import date

    with pytest.raises(ValidationError):
        services.draft_version_add(
            actor=personas["point_of_contact"],
            draft=draft,
            version={**VERSION_1, "start_date": date(2025, 1, 1), "end_date": date(2024, 1, 1)},
        )
    assert draft.versions.count() == 1
