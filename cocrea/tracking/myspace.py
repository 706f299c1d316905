"""What tracking adds to a person's space: officials see their drafts and returned reports, the
point of contact the reports awaiting publication."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cocrea.plans.rules import has_mfa, is_point_of_contact
from cocrea.tracking import selectors


def my_space_section(request: HttpRequest) -> SafeString:
    user: Any = request.user
    institution_ids = selectors.reporting_institution_ids(user)
    in_progress = selectors.reports_in_progress(institution_ids=institution_ids)
    awaiting = selectors.reports_awaiting_publication() if is_point_of_contact(user) else []
    if not in_progress and not awaiting:
        return mark_safe("")
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string(
            "tracking/_my_space.html",
            {"in_progress": in_progress, "awaiting": awaiting, "can_publish": has_mfa(user)},
            request=request,
        )
    )
