"""What tracking adds to a commitment's public page (the COCREA_COMMITMENT_SECTIONS setting):
each milestone's official view and civil society's, side by side, with their evidence."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cocrea.plans.models import Commitment
from cocrea.plans.rules import allowed, is_civil_society_member
from cocrea.tracking import selectors


def commitment_section(request: HttpRequest, commitment: Commitment) -> SafeString:
    user: Any = request.user
    signed_in = getattr(user, "is_authenticated", False)
    present = selectors.tracking_present(commitment=commitment)
    sides = selectors.commitment_sides(commitment=commitment, present=present)
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string(
            "tracking/_commitment.html",
            {
                "commitment": commitment,
                "whole": sides[0],
                "sides": sides[1:],
                "reports_for": selectors.reporting_institution_ids(user) if signed_in else set(),
                "can_assess": signed_in and is_civil_society_member(user),
                "irm": selectors.irm_review_of(commitment=commitment, present=present),
                "can_record_irm": signed_in
                and allowed("tracking.record_irm_review", user, commitment),
            },
            request=request,
        )
    )
