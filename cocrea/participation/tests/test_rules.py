"""The rules as a role x phase matrix: what each persona may do in each phase of the
consultation, denied paths included."""

import pytest

from cocrea.participation.models import Phase
from cocrea.plans.rules import allowed
from conftest import build_plan
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db

PHASES = list(Phase.Kind.values)
SIGNED_IN = [
    "citizen",
    "cso_member",
    "official",
    "coordinator",
    "other_official",
    "point_of_contact",
    "moderator",
    "administrator",
    "wrong_member",  # every role, in another member
]


@pytest.mark.parametrize("phase", PHASES)
def test_only_the_proposal_phase_takes_proposals(personas, phase):
    consultation = open_consultation(build_plan(commitments=1), phase)
    for persona in SIGNED_IN:
        assert allowed("participation.propose", personas[persona], consultation) == (
            phase == "proposals"
        ), persona
    assert not allowed("participation.propose", None, consultation)


@pytest.mark.parametrize("phase", PHASES)
def test_support_and_comments_close_after_deliberation(personas, phase):
    consultation = open_consultation(build_plan(commitments=1), phase)
    proposal = _proposal(consultation, personas["citizen"])
    open_now = phase in ("proposals", "deliberation")
    for persona in SIGNED_IN:
        assert allowed("participation.support", personas[persona], proposal) == open_now
        assert allowed("participation.comment", personas[persona], proposal) == open_now
    assert not allowed("participation.comment", None, proposal)


@pytest.mark.parametrize("phase", PHASES)
def test_only_the_point_of_contact_answers_in_every_phase(personas, phase):
    consultation = open_consultation(build_plan(commitments=1), phase)
    proposal = _proposal(consultation, personas["citizen"])
    for persona in SIGNED_IN:
        assert allowed("participation.respond", personas[persona], proposal) == (
            persona in {"point_of_contact", "administrator"}  # the administrator: every member
        ), persona


def test_a_point_of_contact_without_two_factor_authentication_cannot_answer(personas):
    from allauth.mfa.models import Authenticator

    proposal = _proposal(open_consultation(build_plan(commitments=1)), personas["citizen"])
    Authenticator.objects.filter(user=personas["point_of_contact"]).delete()
    assert not allowed("participation.respond", personas["point_of_contact"], proposal)


def test_nobody_proposes_in_an_unpublished_consultation(personas):
    consultation = open_consultation(build_plan(commitments=1))
    consultation.published_at = None
    consultation.save()
    assert not allowed("participation.propose", personas["citizen"], consultation)


def test_an_unverified_email_cannot_propose(personas):
    from allauth.account.models import EmailAddress

    consultation = open_consultation(build_plan(commitments=1))
    EmailAddress.objects.filter(user=personas["citizen"]).update(verified=False)
    assert not allowed("participation.propose", personas["citizen"], consultation)


def test_nobody_flags_their_own_words_or_hidden_content(personas):
    from django.utils import timezone

    proposal = _proposal(open_consultation(build_plan(commitments=1)), personas["citizen"])
    assert not allowed("participation.flag", personas["citizen"], proposal)
    assert allowed("participation.flag", personas["cso_member"], proposal)
    proposal.hidden_at = timezone.now()
    assert not allowed("participation.flag", personas["cso_member"], proposal)
    assert not allowed("participation.support", personas["cso_member"], proposal)


def test_only_a_moderator_with_two_factor_authentication_moderates(personas):
    from allauth.mfa.models import Authenticator

    proposal = _proposal(open_consultation(build_plan(commitments=1)), personas["citizen"])
    for persona in SIGNED_IN:
        assert allowed("participation.moderate", personas[persona], proposal) == (
            persona in {"moderator", "administrator"}
        ), persona
    Authenticator.objects.filter(user=personas["moderator"]).delete()
    assert not allowed("participation.moderate", personas["moderator"], proposal)
