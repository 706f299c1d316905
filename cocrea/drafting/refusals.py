"""Why someone cannot comment on a draft commitment now, said where the comment form would be,
from the same rule (`drafting.comment`: an open draft, the drafting or validation phase, a
verified address)."""

from typing import Any

from django.utils.translation import gettext

from cocrea.drafting.models import Draft
from cocrea.drafting.rules import DRAFTING_PHASES
from cocrea.participation.refusals import phase_reason
from cocrea.plans.refusals import Reason, account_reason


def comment_reason(user: Any, draft: Draft, next_path: str) -> Reason | None:
    """None when this person may comment today. A visitor who is not signed in is offered the
    log-in link by the page itself, beside the draft's status."""
    if draft.status == Draft.Status.APPROVED:
        return Reason(gettext("Comments are closed: the forum approved this draft."))
    if draft.status == Draft.Status.WITHDRAWN:
        return Reason(gettext("Comments are closed: this draft was withdrawn."))
    phase = phase_reason(
        draft.consultation,
        DRAFTING_PHASES,
        opens=gettext("Comments on the drafts open on %(date)s."),
        closed=gettext("Comments on the drafts closed on %(date)s."),
    )
    if phase is not None or not getattr(user, "is_authenticated", False):
        return phase
    return account_reason(user, next_path, login_text="")
