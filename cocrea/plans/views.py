from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext

from cocrea.core.decorators import public_page
from cocrea.plans import selectors
from cocrea.plans import selectors_members as members
from cocrea.plans.forms import PlanFilterForm
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Membership
from cocrea.plans.sections import Note, commitment_parts, home_sections


def _disputed(commitments: list[Commitment]) -> set[int]:
    """Which of these commitments civil society's current view disagrees with: tracking's to
    say (COCREA_DISPUTED_COMMITMENTS), one query for the whole list."""
    if not commitments:
        return set()
    return set(import_string(settings.COCREA_DISPUTED_COMMITMENTS)(commitments))


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The site's home: the default member's home with a way to the others; on a member's own
    host (COCREA_MEMBER_HOSTS, noted by core.memberhost), that member's home."""
    slug = getattr(request, "member_host", "")
    if slug:
        return member_home(request, members.member_get(slug=slug), site_home=False)
    return member_home(request, None, site_home=True)


def member_home(request: HttpRequest, member: Member | None, *, site_home: bool) -> HttpResponse:
    """A member's home (the default member's when `member` is None): its current plan with
    its deadlines, disputes and open consultation (apps above plans add theirs through
    COCREA_HOME_SECTIONS), then its plans, local or national members, institutions and forum.
    The site's home shows the default member's current plan as before, with the way to its
    page and to the other members instead of those facts: reading them cost a third of the
    home's time, the most visited page (docs/members.md)."""
    today = timezone.localdate()
    member, plan = selectors.home_plan(today, member)
    facts = members.member_facts(member=member) if member is not None and not site_home else None
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
            "facts": facts,
            "site_home": site_home,
            "glance": glance,
            "see_all_overdue": see_all_overdue,
            "disputed_ids": disputed_ids,
            "disputed": [c for c in glance.commitments if c.pk in disputed_ids] if glance else [],
            # Apps above plans say what a visitor can do now (participation: the consultation).
            "take_part": home_sections(request, member),
        },
    )


def _member_filtering(request: HttpRequest) -> dict[str, object]:
    """The member filters of a list (`miembro`, `region`, `nivel`), checked against the members
    that exist, with what the filter form shows. One query."""
    rows = members.member_rows()
    filters = members.member_filters(request.GET, rows)
    return {
        "filters": filters,
        "member_ids": members.filtered_member_ids(filters, rows),
        "member_choices": [(m.slug, m.name) for m in rows],
        "regions": members.regions(rows),
        "levels": level_choices(),
        "page_query": filters.query(),
    }


def level_choices() -> list[tuple[str, str]]:
    return [("national", gettext("National")), ("local", gettext("Local"))]


@public_page
def plan_list(request: HttpRequest) -> HttpResponse:
    filtering = _member_filtering(request)
    page = selectors.plan_list_page(
        number=request.GET.get("page"),
        member_ids=filtering["member_ids"],  # type: ignore[arg-type]
    )
    statuses = {value: str(label) for value, label in ActionPlan.Status.choices}
    return render(
        request, "plans/plan_list.html", {"page": page, "statuses": statuses, **filtering}
    )


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
    filtering = _member_filtering(request)
    page = selectors.institution_list_page(
        number=request.GET.get("page"),
        member_ids=filtering["member_ids"],  # type: ignore[arg-type]
    )
    kinds = {value: str(label) for value, label in Institution.Kind.choices}
    return render(
        request, "plans/institution_list.html", {"page": page, "kinds": kinds, **filtering}
    )


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
