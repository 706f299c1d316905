from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cocrea.core.decorators import public_page
from cocrea.plans import selectors
from cocrea.plans.forms import PlanFilterForm


def _page(request: HttpRequest, items: object) -> object:
    """One page of a long list; an unknown page number gives the first or last page."""
    return Paginator(items, settings.COCREA_PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]


@public_page
def home(request: HttpRequest) -> HttpResponse:
    member = selectors.default_member()
    plan = selectors.plan_current(member) if member else None
    glance = selectors.plan_glance(plan=plan, today=timezone.localdate()) if plan else None
    return render(request, "plans/home.html", {"member": member, "glance": glance})


@public_page
def plan_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.plan_list())
    return render(request, "plans/plan_list.html", {"page": page})


@public_page
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.plan_get(slug=slug)
    areas, institutions = selectors.plan_filter_choices(plan=plan)
    form = PlanFilterForm(request.GET or None, areas=areas, institutions=institutions)
    filters = selectors.CommitmentFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.CommitmentFilters(
            policy_area=form.cleaned_data["area"],
            institution=form.cleaned_data["institution"],
            completion=form.cleaned_data["completion"] or None,
        )
    commitments = selectors.plan_commitments(plan=plan, filters=filters)
    filtered = filters != selectors.CommitmentFilters()
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "commitments": commitments, "form": form, "filtered": filtered},
    )


@public_page
def commitment_detail(request: HttpRequest, plan_slug: str, slug: str) -> HttpResponse:
    commitment = selectors.commitment_get(plan_slug=plan_slug, slug=slug)
    return render(request, "plans/commitment_detail.html", {"commitment": commitment})


@public_page
def institution_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.institution_list())
    return render(request, "plans/institution_list.html", {"page": page})


@public_page
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.institution_get(slug=slug)
    return render(
        request,
        "plans/institution_detail.html",
        {
            "institution": institution,
            "commitments": selectors.institution_commitments(institution=institution),
            "milestones": selectors.institution_milestones(institution=institution),
        },
    )
