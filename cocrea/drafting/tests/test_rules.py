"""Every drafting rule as a role x phase matrix, denied paths included."""

import pytest
from django.utils import timezone

from cocrea.accounts.models import RoleGrant
from cocrea.drafting.models import Draft, DraftVersion, SectionComment
from cocrea.participation.models import Phase
from cocrea.plans.rules import allowed
from cocrea.plans.tests.factories import ActionPlanFactory
from conftest import grant, make_person
from tests.appchecks.drafting import consultation_for

PHASES = [*Phase.Kind.values, "unpublished", "none"]
OPEN_PHASES = {"drafting", "validation"}
PERSONAS = [
    "anonymous",
    "citizen",
    "cso_member",
    "official",
    "coordinator",
    "other_official",
    "point_of_contact",
    "moderator",
    "administrator",
    "wrong_member",
    "forum_member",
    "forum_member_without_mfa",
]
WRITERS = {"point_of_contact", "forum_member", "administrator"}  # administrator: every member


@pytest.fixture
def people(personas):
    people = dict(personas)
    for key, mfa in (("forum_member", True), ("forum_member_without_mfa", False)):
        person = make_person(key.replace("_", " ").title(), mfa=mfa)
        grant(person, RoleGrant.Role.FORUM_MEMBER)
        people[key] = person
    return people


def _consultation(phase):
    kind = "drafting" if phase in ("unpublished", "none") else phase
    consultation = consultation_for(ActionPlanFactory(), kind)
    if phase == "unpublished":
        consultation.published_at = None
        consultation.save()
    elif phase == "none":
        consultation.phases.all().delete()
    return consultation


def _draft(consultation, status=Draft.Status.OPEN):
    draft = Draft.objects.create(consultation=consultation, title="Borrador")
    version = DraftVersion.objects.create(draft=draft, number=1, title="Borrador")
    if status == Draft.Status.APPROVED:
        draft.approved_version = version
        draft.approved_at = timezone.now()
    draft.status = status
    draft.save()
    return Draft.objects.select_related("consultation").get(pk=draft.pk)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_writing_drafts_and_versions(people, persona, phase):
    consultation = _consultation(phase)
    draft = _draft(consultation)
    expected = persona in WRITERS and phase in OPEN_PHASES
    user = people[persona]
    assert allowed("drafting.create_draft", user, consultation) is expected
    assert allowed("drafting.add_version", user, draft) is expected


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_commenting(people, persona, phase):
    draft = _draft(_consultation(phase))
    expected = persona != "anonymous" and phase in OPEN_PHASES
    assert allowed("drafting.comment", people[persona], draft) is expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_commenting_needs_a_verified_email(people, persona, consultation):
    user = people[persona]
    draft = _draft(consultation)
    if user is not None:
        user.emailaddress_set.update(verified=False)
    assert allowed("drafting.comment", user, draft) is False


@pytest.mark.parametrize("phase", ["proposals", "drafting", "response"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_approving_and_withdrawing(people, persona, phase):
    draft = _draft(_consultation(phase))
    # In any phase (the forum may meet later); the administrator acts in every member.
    expected = persona in {"point_of_contact", "administrator"}
    assert allowed("drafting.approve", people[persona], draft) is expected
    assert allowed("drafting.withdraw", people[persona], draft) is expected


@pytest.mark.parametrize("status", [Draft.Status.APPROVED, Draft.Status.WITHDRAWN])
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_closed_draft_allows_nothing(people, persona, status, consultation):
    draft = _draft(consultation, status)
    user = people[persona]
    for permission in ("add_version", "comment", "approve", "withdraw"):
        assert allowed(f"drafting.{permission}", user, draft) is False, permission


@pytest.mark.parametrize("phase", ["drafting", "response"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_hiding_a_comment(people, persona, phase):
    draft = _draft(_consultation(phase))
    comment = SectionComment.objects.create(
        version=draft.versions.get(), section="problem", body="Hola", author=people["citizen"]
    )
    assert allowed("drafting.hide_comment", people[persona], comment) is (
        persona in {"moderator", "administrator"}
    )
    comment.hidden_at = timezone.now()
    assert allowed("drafting.hide_comment", people[persona], comment) is False  # hidden already


def test_a_rule_on_the_wrong_kind_of_object_is_denied(people, consultation):
    contact = people["point_of_contact"]
    assert allowed("drafting.create_draft", contact, None) is False
    assert allowed("drafting.add_version", contact, consultation) is False
    assert allowed("drafting.comment", contact, consultation) is False
