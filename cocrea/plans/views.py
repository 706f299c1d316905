from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import ngettext

from cocrea.core.decorators import public_page
from cocrea.plans import selectors
from cocrea.plans.forms import PlanFilterForm
from cocrea.plans.models import ActionPlan, Institution, Membership


@public_page
def home(request: HttpRequest) -> HttpResponse:
    member, plan = selectors.home_plan()
    glance = selectors.plan_glance(plan=plan, today=timezone.localdate()) if plan else None
    overdue = len(glance.overdue) if glance else 0
    see_all_overdue = ngettext(
        "See the %(count)s overdue milestone in the plan",
        "See all %(count)s overdue milestones in the plan",
        overdue,
    ) % {"count": overdue}
    return render(
        request,
        "plans/home.html",
        {"member": member, "glance": glance, "see_all_overdue": see_all_overdue},
    )


@public_page
def plan_list(request: HttpRequest) -> HttpResponse:
    page = selectors.plan_list_page(number=request.GET.get("page"))
    statuses = {value: str(label) for value, label in ActionPlan.Status.choices}
    return render(request, "plans/plan_list.html", {"page": page, "statuses": statuses})


@public_page
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.plan_get(slug=slug)
    every = selectors.plan_commitments(plan=plan, supporters=True)
    areas, institutions = selectors.commitment_filter_choices(every)
    form = PlanFilterForm(request.GET or None, areas=areas, institutions=institutions)
    filters = selectors.CommitmentFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.CommitmentFilters(
            policy_area=form.cleaned_data["area"] or None,
            institution=form.cleaned_data["institution"] or None,
            completion=form.cleaned_data["completion"] or None,
            disputed=form.cleaned_data["agreement"] == "disputed",
        )
    # Whether civil society's view differs is tracking's to say (COCREA_DISPUTED_COMMITMENTS).
    disputed_ids = (
        import_string(settings.COCREA_DISPUTED_COMMITMENTS)(every) if filters.disputed else set()
    )
    commitments = selectors.commitments_filtered(every, filters, disputed_ids)
    filtered = filters != selectors.CommitmentFilters()
    heading = ngettext("%(count)s commitment", "%(count)s commitments", len(commitments)) % {
        "count": len(commitments)
    }
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "commitments": commitments,
            "form": form,
            "filtered": filtered,
            "heading": heading,
        },
    )


@public_page
def commitment_detail(request: HttpRequest, plan_slug: str, slug: str) -> HttpResponse:
    commitment = selectors.commitment_get(plan_slug=plan_slug, slug=slug)
    # Apps above plans add their parts (tracking: the official and civil-society views).
    sections = [
        import_string(path)(request, commitment) for path in settings.COCREA_COMMITMENT_SECTIONS
    ]
    return render(
        request,
        "plans/commitment_detail.html",
        {"commitment": commitment, "sections": sections},
    )


@public_page
def institution_list(request: HttpRequest) -> HttpResponse:
    page = selectors.institution_list_page(number=request.GET.get("page"))
    kinds = {value: str(label) for value, label in Institution.Kind.choices}
    return render(request, "plans/institution_list.html", {"page": page, "kinds": kinds})


@public_page
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.institution_get(slug=slug)
    return render(
        request,
        "plans/institution_detail.html",
        {
            "institution": institution,
            "membership_roles": Membership.Role.choices,
            "commitments": selectors.institution_commitments(institution=institution),
            "page": selectors.institution_milestones_page(
                institution=institution,
                number=request.GET.get("page"),
                today=timezone.localdate(),
            ),
        },
    )
