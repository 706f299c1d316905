"""What opendata adds to a person's space (COCREA_MY_SPACE_SECTIONS): for a coordinator, the
page where their institution's API tokens are managed."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cocrea.plans.models import Institution, Membership


def my_space_section(request: HttpRequest) -> SafeString:
    user: Any = request.user
    institutions = list(
        Institution.objects.filter(
            memberships__user=user,
            memberships__role=Membership.Role.COORDINATOR,
            memberships__status=Membership.Status.APPROVED,
        ).order_by("name")
    )
    if not institutions:
        return mark_safe("")
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string("opendata/_my_space.html", {"institutions": institutions}, request=request)
    )
