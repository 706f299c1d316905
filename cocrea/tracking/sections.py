"""What tracking adds to a commitment's public page (the COCREA_COMMITMENT_SECTIONS setting):
at the top, whether civil society agrees with the official view, with links to the milestones
where it does not; in each milestone's row, whether its completion was reported or only
declared, and whether civil society disagrees; below the milestones, each one's official view
and civil society's, side by side, with their evidence."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from cocrea.plans.models import Commitment
from cocrea.plans.rules import allowed
from cocrea.plans.sections import CommitmentPart, Note
from cocrea.tracking import selectors


def commitment_section(request: HttpRequest, commitment: Commitment) -> CommitmentPart:
    user: Any = request.user
    signed_in = getattr(user, "is_authenticated", False)
    present = selectors.tracking_present(commitment=commitment)
    sides = selectors.commitment_sides(commitment=commitment, present=present)
    agreement = selectors.agreement_of(sides)
    body = render_to_string(
        "tracking/_commitment.html",
        {
            "commitment": commitment,
            "whole": sides[0],
            "sides": sides[1:],
            "agreement": agreement,
            "reports_for": selectors.reporting_institution_ids(user) if signed_in else set(),
            "irm": selectors.irm_review_of(commitment=commitment, present=present),
            "can_record_irm": signed_in and allowed("tracking.record_irm_review", user, commitment),
        },
        request=request,
    )
    summary = render_to_string(
        "tracking/_commitment_summary.html",
        {"agreement": agreement, "sentences": _sentences(agreement)},
        request=request,
    )
    return CommitmentPart(
        body=mark_safe(body),  # noqa: S308 - rendered by the autoescaping template engine
        summary=mark_safe(summary),  # noqa: S308 - rendered by the autoescaping template engine
        milestone_notes={s.milestone.pk: _notes(s) for s in sides[1:] if s.milestone},
    )


def _sentences(agreement: selectors.Agreement) -> dict[str, str]:
    """The summary's sentences whose words depend on a number (plurals come from Python)."""
    total = agreement.total
    return {
        "disputed": ngettext(
            "Civil society disagrees on %(count)s of %(total)s milestone:",
            "Civil society disagrees on %(count)s of %(total)s milestones:",
            total,
        )
        % {"count": len(agreement.disputed), "total": total},
        "agreed": ngettext(
            "Civil society's assessments agree with the official view (%(count)s of "
            "%(total)s milestone assessed).",
            "Civil society's assessments agree with the official view (%(count)s of "
            "%(total)s milestones assessed).",
            total,
        )
        % {"count": agreement.assessed, "total": total},
        "declared": ngettext(
            "%(count)s of %(total)s milestone has a completion declared without a published "
            "progress report:",
            "%(count)s of %(total)s milestones have a completion declared without a published "
            "progress report:",
            total,
        )
        % {"count": len(agreement.declared), "total": total},
    }


def _notes(side: selectors.Side) -> list[Note]:
    notes = []
    if side.declared:
        notes.append(Note(gettext("declared, without a published report"), kind="declared"))
    if side.disputed:
        notes.append(
            Note(gettext("Civil society disagrees"), href=f"#{side.anchor}", kind="disputed")
        )
    return notes
