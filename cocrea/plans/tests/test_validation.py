"""Bad data is refused with a clear message, in the model and in the administration."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cocrea.audit.models import AuditEvent
from cocrea.plans import services
from cocrea.plans.models import Commitment, Milestone
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _messages(error: ValidationError) -> list[str]:
    return [m for ms in error.message_dict.values() for m in ms]


def test_a_plan_ending_before_it_starts_is_refused():
    plan = ActionPlanFactory.build(
        member=ActionPlanFactory().member,
        number=9,
        slug="x",
        start_date=date(2025, 1, 1),
        end_date=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.action_plan_save(actor=None, plan=plan)
    assert "The end date cannot be before the start date." in _messages(error.value)


@pytest.mark.parametrize("weight", [-1, 0, 101])
def test_a_milestone_weight_outside_1_to_100_is_refused(weight):
    milestone = MilestoneFactory.build(commitment=CommitmentFactory(), number=1, weight=weight)
    milestone.responsible_institution = milestone.commitment.lead_institution
    with pytest.raises(ValidationError) as error:
        services.milestone_save(actor=None, milestone=milestone)
    expected = (
        "The weight cannot be more than 100."
        if weight > 100
        else "The weight must be a whole number of at least 1."
    )
    assert expected in error.value.message_dict["weight"]
    assert not Milestone.objects.exists()


def test_a_duplicate_ogp_id_is_refused_with_a_clear_message():
    CommitmentFactory(ogp_id="GT0110")
    other = CommitmentFactory.build(
        plan=ActionPlanFactory(),
        lead_institution=InstitutionFactory(),
        ogp_id="GT0110",
        number=1,
        slug="otro",
    )
    with pytest.raises(ValidationError) as error:
        services.commitment_save(actor=None, commitment=other)
    assert "Another commitment already has this OGP id." in _messages(error.value)
    assert Commitment.objects.count() == 1


def test_commitments_without_ogp_id_may_be_many():
    CommitmentFactory(ogp_id="")
    CommitmentFactory(ogp_id="")
    assert Commitment.objects.filter(ogp_id="").count() == 2


@pytest.mark.parametrize("goals", [[0], [18], ["5"], [True], "5, 16", {"goal": 5}])
def test_sdg_goals_must_be_numbers_from_1_to_17(goals):
    commitment = CommitmentFactory()
    commitment.sdg_goals = goals
    with pytest.raises(ValidationError) as error:
        services.commitment_save(actor=None, commitment=commitment)
    assert "sdg_goals" in error.value.message_dict
    assert not AuditEvent.objects.exists()


def test_a_duplicate_milestone_number_in_a_commitment_is_refused():
    first = MilestoneFactory(number=1)
    again = Milestone(
        commitment=first.commitment,
        number=1,
        description="x",
        responsible_institution=first.responsible_institution,
    )
    with pytest.raises(ValidationError) as error:
        services.milestone_save(actor=None, milestone=again)
    assert "This commitment already has a milestone with this number." in _messages(error.value)
