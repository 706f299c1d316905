"""Supports and answers sent twice at once (a double click, two tabs) answer with a form error,
never an error page (issue #20). The race is made to happen with the helper of
cocrea/accounts/tests/races.py: the first request's row is written right before the second's."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cocrea.accounts.tests.races import conflict_before_save
from cocrea.participation import services
from cocrea.participation.models import Proposal, Response, Support
from conftest import build_plan
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def proposal(personas):
    consultation = open_consultation(build_plan(commitments=1, slug="plan-a", number=1))
    return _proposal(consultation, personas["citizen"])


def test_a_support_sent_twice_at_once_is_counted_once(proposal, personas):
    supporter = personas["cso_member"]

    def first_click(support: Support) -> None:
        Support.objects.bulk_create([Support(proposal=support.proposal, user=support.user)])

    with (
        conflict_before_save(Support, first_click) as fired,
        translation.override("en"),
        pytest.raises(ValidationError, match="You already support this proposal"),
    ):
        services.support_add(actor=supporter, proposal=proposal)
    assert fired
    assert Support.objects.filter(proposal=proposal, user=supporter).count() <= 1
    assert Proposal.objects.get(pk=proposal.pk).support_count == 0  # the second added nothing


def test_two_answers_to_one_proposal_at_once_give_a_form_error(proposal, personas):
    contact = personas["point_of_contact"]

    def first_answer(response: Response) -> None:
        Response.objects.bulk_create(
            [
                Response(
                    proposal=response.proposal,
                    kind="not_adopted",
                    reasons="La primera respuesta, enviada un instante antes.",
                    author=contact,
                    answered_at=timezone.now(),
                )
            ]
        )

    with (
        conflict_before_save(Response, first_answer) as fired,
        translation.override("en"),
        pytest.raises(ValidationError, match="saved a moment ago"),
    ):
        services.response_save(
            actor=contact,
            proposal=proposal,
            kind="out_of_scope",
            reasons="La segunda respuesta, de la otra pestaña.",
        )
    assert fired
    assert Response.objects.filter(proposal=proposal).exclude(kind="not_adopted").count() == 0
