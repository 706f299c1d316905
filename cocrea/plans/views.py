from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import ngettext

from cocrea.core.decorators import public_page
from cocrea.plans import selectors
from cocrea.plans.forms import PlanFilterForm
from cocrea.plans.models import ActionPlan, Commitment, Institution, Membership
from cocrea.plans.sections import Note, commitment_parts, home_sections


def _disputed(commitments: list[Commitment]) -> set[int]:
    """Which of these commitments civil society's current view disagrees with: tracking's to
    say (COCREA_DISPUTED_COMMITMENTS), one query for the whole list."""
    if not commitments:
        return set()
    return set(import_string(settings.COCREA_DISPUTED_COMMITMENTS)(commitments))


@public_page
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    member, plan = selectors.home_plan(today)
    glance = selectors.plan_glance(plan=plan, today=today) if plan else None
    disputed_ids = _disputed(glance.commitments) if glance else set()
    overdue = len(glance.overdue) if glance else 0
    see_all_overdue = ngettext(
        "See the %(count)s overdue milestone in the plan",
        "See all %(count)s overdue milestones in the plan",
        overdue,
    ) % {"count": overdue}
    return render(
        request,
        "plans/home.html",
        {
            "member": member,
            "glance": glance,
            "see_all_overdue": see_all_overdue,
            "disputed_ids": disputed_ids,
            "disputed": [c for c in glance.commitments if c.pk in disputed_ids] if glance else [],
            # Apps above plans say what a visitor can do now (participation: the consultation).
            "take_part": home_sections(request),
        },
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
    # Each row marks whether civil society's view differs, and the filter can keep only those.
    disputed_ids = _disputed(every)
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
            "disputed_ids": disputed_ids,
        },
    )


@public_page
def commitment_detail(request: HttpRequest, plan_slug: str, slug: str) -> HttpResponse:
    commitment = selectors.commitment_get(plan_slug=plan_slug, slug=slug)
    # Apps above plans add their parts (tracking: the official and civil-society views, at the
    # top whether civil society agrees, and in each milestone's row what it says of it).
    parts = commitment_parts(request, commitment)
    notes: dict[int, list[Note]] = {}
    for part in parts:
        for milestone_id, remarks in part.milestone_notes.items():
            notes.setdefault(milestone_id, []).extend(remarks)
    return render(
        request,
        "plans/commitment_detail.html",
        {"commitment": commitment, "parts": parts, "notes": notes},
    )


@public_page
def institution_list(request: HttpRequest) -> HttpResponse:
    page = selectors.institution_list_page(number=request.GET.get("page"))
    kinds = {value: str(label) for value, label in Institution.Kind.choices}
    return render(request, "plans/institution_list.html", {"page": page, "kinds": kinds})


@public_page
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.institution_get(slug=slug)
    commitments = selectors.institution_commitments(institution=institution)
    page = selectors.institution_milestones_page(
        institution=institution, number=request.GET.get("page"), today=timezone.localdate()
    )
    # Tracking says which of the page's milestones civil society disagrees on (one query).
    disputed_milestones = import_string(settings.COCREA_DISPUTED_MILESTONES)(
        [row.id for row in page.object_list]
    )
    return render(
        request,
        "plans/institution_detail.html",
        {
            "institution": institution,
            "membership_roles": Membership.Role.choices,
            "commitments": commitments,
            "disputed_ids": _disputed(commitments),
            "page": page,
            "disputed_milestones": disputed_milestones,
        },
    )
