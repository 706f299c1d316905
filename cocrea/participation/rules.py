"""Who may do what in a consultation, and when. The phase of the day decides: nobody proposes
outside the proposal phase, nobody comments or supports once deliberation is over, and only the
point of contact answers. Objects are checked, not only roles (a response names a proposal of
the consultation's own plan; nobody flags their own words)."""

from typing import Any

import rules
from django.utils import timezone

from cocrea.accounts.rules import desk_permissions
from cocrea.participation.models import Comment, Consultation, Phase, Proposal
from cocrea.plans.rules import (
    has_mfa,
    has_verified_email,
    is_civil_society_member,
    moderates_its_member,
    runs_its_member,
)

PROPOSING = {Phase.Kind.PROPOSALS}
DISCUSSING = {Phase.Kind.PROPOSALS, Phase.Kind.DELIBERATION}


def _consultation_of(obj: Any) -> Consultation | None:
    if isinstance(obj, Consultation):
        return obj
    if isinstance(obj, Proposal):
        return obj.consultation
    if isinstance(obj, Comment):
        return obj.proposal.consultation
    return None


def _phase_today(obj: Any) -> str | None:
    consultation = _consultation_of(obj)
    if consultation is None or not consultation.is_published:
        return None
    phase = consultation.phase_on(timezone.localdate())
    return phase.kind if phase else None


@rules.predicate
def in_proposal_phase(user: object, obj: Any) -> bool:
    return _phase_today(obj) in PROPOSING


@rules.predicate
def in_discussion(user: object, obj: Any) -> bool:
    return _phase_today(obj) in DISCUSSING


@rules.predicate
def is_published_consultation(user: object, obj: Any) -> bool:
    consultation = _consultation_of(obj)
    return consultation is not None and consultation.is_published


@rules.predicate
def is_visible(user: object, obj: Any) -> bool:
    if isinstance(obj, Comment):
        return not obj.is_hidden and not obj.proposal.is_hidden
    return isinstance(obj, Proposal) and not obj.is_hidden


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "author_id", None) == getattr(user, "pk", None)


@rules.predicate
def is_proposal(user: object, obj: Any) -> bool:
    return isinstance(obj, Proposal)


can_propose = has_verified_email & in_proposal_phase
can_support = has_verified_email & is_proposal & is_visible & in_discussion
can_comment = has_verified_email & is_proposal & is_visible & in_discussion
# Answers come from the point of contact, for any proposal, in any phase: a reasoned response is
# owed to every proposal, including those that arrive late in the process.
can_respond = is_proposal & runs_its_member & has_mfa
can_record_workshop = is_published_consultation & runs_its_member & has_mfa
can_flag = has_verified_email & is_visible & ~is_author
can_moderate = moderates_its_member & has_mfa
can_manage = runs_its_member & has_mfa
can_assess_standard = has_verified_email & is_civil_society_member

rules.add_perm("participation.propose", can_propose)
rules.add_perm("participation.support", can_support)
rules.add_perm("participation.comment", can_comment)
rules.add_perm("participation.respond", can_respond)
rules.add_perm("participation.record_workshop", can_record_workshop)
rules.add_perm("participation.flag", can_flag)
rules.add_perm("participation.moderate", can_moderate)
rules.add_perm("participation.manage_consultation", can_manage)
rules.add_perm("participation.assess_standard", can_assess_standard)

# The point of contact's desk in the administration (accounts/rules.py): consultations and their
# timeline prepared there, through the services; people's proposals and workshops read only.
desk_permissions(
    "participation",
    {
        "consultation": ("view", "add", "change"),
        "phase": ("view", "add", "change", "delete"),
        "proposal": ("view",),
        "workshop": ("view",),
    },
)
