"""Who may write, comment, approve and moderate drafts, and when. The consultation's phase of the
day decides writing and commenting: only while it is in its drafting or validation phase. The
object is checked, not only the role: a draft that is no longer open takes no new version, no
comment and no second approval."""

from typing import Any

import rules
from django.utils import timezone

from cocrea.drafting.models import Draft, DraftVersion, SectionComment
from cocrea.participation.models import Consultation, Phase
from cocrea.plans.rules import (
    has_mfa,
    has_verified_email,
    is_forum_member,
    moderates_its_member,
    runs_its_member,
)

DRAFTING_PHASES = {Phase.Kind.DRAFTING, Phase.Kind.VALIDATION}


def _consultation_of(obj: Any) -> Consultation | None:
    if isinstance(obj, Consultation):
        return obj
    if isinstance(obj, Draft):
        return obj.consultation
    if isinstance(obj, DraftVersion):
        return obj.draft.consultation
    if isinstance(obj, SectionComment):
        return obj.version.draft.consultation
    return None


def _draft_of(obj: Any) -> Draft | None:
    if isinstance(obj, Draft):
        return obj
    if isinstance(obj, DraftVersion):
        return obj.draft
    return None


@rules.predicate
def in_drafting_phase(user: object, obj: Any) -> bool:
    """The consultation is published and today falls in its drafting or validation phase."""
    consultation = _consultation_of(obj)
    if consultation is None or not consultation.is_published:
        return False
    phase = consultation.phase_on(timezone.localdate())
    return phase is not None and phase.kind in DRAFTING_PHASES


@rules.predicate
def is_open_draft(user: object, obj: Any) -> bool:
    draft = _draft_of(obj)
    return draft is not None and draft.is_open


@rules.predicate
def is_consultation(user: object, obj: Any) -> bool:
    return isinstance(obj, Consultation)


@rules.predicate
def is_visible_comment(user: object, obj: Any) -> bool:
    return isinstance(obj, SectionComment) and not obj.is_hidden


# The forum members and the point of contact of the draft's member (an administrator too).
writes_drafts = (runs_its_member | is_forum_member) & has_mfa

can_create_draft = is_consultation & in_drafting_phase & writes_drafts
can_add_version = is_open_draft & in_drafting_phase & writes_drafts
can_comment = is_open_draft & in_drafting_phase & has_verified_email
# The forum approves in its session; the point of contact records that approval here, in any
# phase (the forum may meet after validation closes).
can_approve = is_open_draft & runs_its_member & has_mfa
can_withdraw = is_open_draft & runs_its_member & has_mfa
can_hide_comment = is_visible_comment & moderates_its_member & has_mfa

rules.add_perm("drafting.create_draft", can_create_draft)
rules.add_perm("drafting.add_version", can_add_version)
rules.add_perm("drafting.comment", can_comment)
rules.add_perm("drafting.approve", can_approve)
rules.add_perm("drafting.withdraw", can_withdraw)
rules.add_perm("drafting.hide_comment", can_hide_comment)
