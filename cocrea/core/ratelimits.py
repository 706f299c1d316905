"""Limits on how often a person may submit (reports, assessments, requests), with allauth's rate
limiter, the one that already guards log-in and sign-up: one mechanism, one cache, one setting
(ACCOUNT_RATE_LIMITS["submission"])."""

from allauth.core import ratelimit
from django.http import HttpRequest, HttpResponse


def submission_limited(request: HttpRequest) -> HttpResponse | None:
    """None while the person may submit; else the 429 page (cocrea.core.views)."""
    if request.method != "POST":
        return None
    return ratelimit.consume_or_429(request, action="submission", user=request.user)
