from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from cocrea.participation import services
from cocrea.participation.models import Proposal, Workshop
from cocrea.plans.models import ActionPlan, Commitment
from tests.appchecks.participation import _proposal, open_consultation


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A workshop held three days ago in Cobán; pass its `consultation`."""

    class Meta:
        model = Workshop

    title = "Taller de Cobán"
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    place = "Cobán"
    participants = 20


def answer(
    proposal: Proposal, personas: dict[str, Any], kind: str, reasons: str, **links: Any
) -> Proposal:
    """`proposal`, answered by the point of contact; `links`: the commitments it went into or
    the proposal it was merged into."""
    services.response_save(
        actor=personas["point_of_contact"], proposal=proposal, kind=kind, reasons=reasons, **links
    )
    return proposal


def partly_adopted_proposal(
    plan: ActionPlan, commitments: list[Commitment], personas: dict[str, Any]
) -> Proposal:
    """A citizen's proposal to the plan's open consultation, adopted in part into `commitments`
    (given in this order)."""
    proposal = _proposal(open_consultation(plan), personas["citizen"])
    reasons = "Se incorpora en parte a dos compromisos."
    return answer(proposal, personas, "partly_adopted", reasons, commitments=commitments)
