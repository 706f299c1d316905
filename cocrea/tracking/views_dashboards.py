"""The public dashboards of a plan and of an institution."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cocrea.core.decorators import public_page
from cocrea.plans import selectors as plan_selectors
from cocrea.tracking import dashboards


@public_page
def plan_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_selectors.plan_get(slug=slug)
    today = timezone.localdate()
    board = dashboards.plan_dashboard(plan=plan, today=today)
    return render(
        request,
        "tracking/plan_dashboard.html",
        {"plan": plan, "board": board, "today": today},
    )


@public_page
def institution_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    institution = plan_selectors.institution_get(slug=slug)
    today = timezone.localdate()
    board = dashboards.institution_dashboard(institution=institution, today=today)
    return render(
        request,
        "tracking/institution_dashboard.html",
        {"institution": institution, "board": board, "today": today},
    )
