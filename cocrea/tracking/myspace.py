"""What tracking adds to a person's space: officials see their drafts and returned reports, the
point of contact the reports awaiting publication."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cocrea.accounts.models import User
from cocrea.plans.rules import has_mfa, members_run_by
from cocrea.tracking import selectors
from cocrea.tracking.models import Assessment, ProgressReport


def my_space_section(request: HttpRequest) -> SafeString:
    user: Any = request.user
    institution_ids = selectors.reporting_institution_ids(user)
    in_progress = selectors.reports_in_progress(institution_ids=institution_ids)
    runs = members_run_by(user)
    awaiting = selectors.reports_awaiting_publication(member_ids=runs) if runs != set() else []
    if not in_progress and not awaiting:
        return SafeString("")
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string(
            "tracking/_my_space.html",
            {"in_progress": in_progress, "awaiting": awaiting, "can_publish": has_mfa(user)},
            request=request,
        )
    )


def personal_data(user: User) -> dict[str, object]:
    """What tracking holds that this person wrote, for their data download."""
    return {
        "progress_reports": list(
            ProgressReport.objects.filter(author=user)
            .order_by("created_at")
            .values(
                "public_id",
                "milestone__commitment__title",
                "milestone__number",
                "institution__name",
                "completion",
                "percent",
                "done",
                "facts_date",
                "status",
                "created_at",
                "published_at",
            )
        ),
        "assessments": list(
            Assessment.objects.filter(author=user)
            .order_by("published_at")
            .values(
                "public_id",
                "commitment__title",
                "milestone__number",
                "organisation__name",
                "completion",
                "reading",
                "published_at",
            )
        ),
    }
