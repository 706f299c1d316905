"""What participation adds to other apps' pages through settings: the proposals that shaped a
commitment (COCREA_COMMITMENT_SECTIONS), a person's proposals and the moderator's queue
(COCREA_MY_SPACE_SECTIONS), and what a person wrote (COCREA_PERSONAL_DATA_SECTIONS)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cocrea.accounts.models import RoleGrant, User
from cocrea.accounts.rules import members_where
from cocrea.participation import selectors
from cocrea.participation.models import Comment, Proposal, StandardAssessment
from cocrea.plans.models import Commitment
from cocrea.plans.rules import has_mfa, members_moderated_by, members_run_by


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
    # Flags of the members this person moderates or runs; a moderator (or an administrator)
    # with two factors decides them, a point of contact sees them.
    moderated = members_moderated_by(user)
    runs = members_run_by(user)
    moderates = has_mfa(user) and (
        moderated is None or bool(members_where(user, RoleGrant.Role.MODERATOR))
    )
    flags = selectors.open_flags(member_ids=moderated) if moderated != set() else []
    queue = selectors.proposals_awaiting_answer(member_ids=runs) if runs != set() else None
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
