"""Why someone cannot propose, support or comment on a consultation right now, said where the
control would be, from the same rules (`participation/rules.py`): the phase of the day first (a
closed phase is closed for everyone, so logging in would not help), then the account."""

from collections.abc import Collection
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from cocrea.core import words
from cocrea.participation.models import Consultation, Proposal
from cocrea.participation.rules import DISCUSSING, PROPOSING
from cocrea.plans.refusals import Reason, account_reason


def phase_reason(
    consultation: Consultation, kinds: Collection[str], *, opens: str, closed: str
) -> Reason | None:
    """None when today falls in a phase of these kinds; otherwise when one opens, or when the
    last one closed."""
    if not consultation.is_published:
        return Reason(gettext("The timeline of this consultation is not public yet."))
    today = timezone.localdate()
    current = consultation.phase_on(today)
    if current is not None and current.kind in kinds:
        return None
    phases = [p for p in consultation.ordered_phases() if p.kind in kinds]
    upcoming = next((p for p in phases if p.starts_on > today), None)
    if upcoming is not None:
        return Reason(opens % {"date": words.day(upcoming.starts_on)})
    ended = [p for p in phases if p.ends_on < today]
    if ended:
        return Reason(closed % {"date": words.day(ended[-1].ends_on)})
    return Reason(gettext("This consultation's timeline has no phase for it."))


def propose_reason(user: Any, consultation: Consultation, next_path: str) -> Reason | None:
    """None when this person may propose today (`participation.propose`); otherwise why not."""
    return phase_reason(
        consultation,
        PROPOSING,
        opens=gettext("The proposal phase opens on %(date)s."),
        closed=gettext("The proposal phase closed on %(date)s."),
    ) or account_reason(user, next_path, login_text=gettext("Log in to make a proposal."))


def discuss_reason(user: Any, proposal: Proposal, next_path: str) -> Reason | None:
    """None when this person may support and comment today (`participation.support`,
    `participation.comment`); otherwise why not. A hidden proposal says so itself."""
    if proposal.is_hidden:
        return None
    return phase_reason(
        proposal.consultation,
        DISCUSSING,
        opens=gettext("Supports and comments open on %(date)s."),
        closed=gettext("Supports and comments closed on %(date)s."),
    ) or account_reason(user, next_path, login_text=gettext("Log in to support or comment."))
