"""What participation adds to other apps' pages through settings: the proposals that shaped a
commitment (COCREA_COMMITMENT_SECTIONS), a person's proposals and the moderator's queue
(COCREA_MY_SPACE_SECTIONS), and what a person wrote (COCREA_PERSONAL_DATA_SECTIONS)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cocrea.accounts.models import User
from cocrea.participation import selectors
from cocrea.participation.models import Comment, Proposal, StandardAssessment
from cocrea.participation.rules import can_moderate, is_point_of_contact
from cocrea.plans.models import Commitment


def commitment_section(request: HttpRequest, commitment: Commitment) -> SafeString:
    proposals = selectors.proposals_that_shaped(commitment=commitment)
    if not proposals:
        return mark_safe("")
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string(
            "participation/_commitment.html", {"proposals": proposals}, request=request
        )
    )


def my_space_section(request: HttpRequest) -> SafeString:
    """A person's proposals; the moderator's flags; and the point of contact's queues: the
    proposals owed an answer (oldest first, with the days each has waited) and the flags
    waiting for a moderator (which the point of contact sees, and a moderator decides)."""
    user: Any = request.user
    proposals = selectors.my_proposals(user=user)
    moderates = bool(can_moderate(user))
    contact = bool(is_point_of_contact(user))
    flags = selectors.open_flags() if moderates or contact else []
    queue = selectors.proposals_awaiting_answer() if contact else None
    if not proposals and not flags and queue is None:
        return mark_safe("")
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string(
            "participation/_my_space.html",
            {
                "proposals": proposals,
                "flags": flags,
                "moderates": moderates,
                "queue": queue,
                "today": timezone.localdate(),
            },
            request=request,
        )
    )


def personal_data(user: User) -> dict[str, object]:
    """What this person wrote in consultations, for their data download."""
    return {
        "proposals": list(
            Proposal.objects.filter(author=user)
            .order_by("created_at")
            .values(
                "public_id",
                "title",
                "problem",
                "proposal",
                "department",
                "municipality",
                "created_at",
            )
        ),
        "comments": list(
            Comment.objects.filter(author=user)
            .order_by("created_at")
            .values("public_id", "proposal__public_id", "body", "created_at")
        ),
        "supports": list(
            user.supports.order_by("created_at").values("proposal__public_id", "created_at")
        ),
        "standard_assessments": list(
            StandardAssessment.objects.filter(author=user)
            .order_by("published_at")
            .values("public_id", "standard", "rating", "reading", "published_at")
        ),
    }
