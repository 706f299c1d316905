"""A living demo (issue 21): whatever day `manage.py seed_demo` runs, each kind of user has
something to do that day: the current plan under way with milestones overdue, due soon and done
(each done one with its published report), the next plan's consultation taking proposals, a
standards panel that is not all red; and loading it again, that day or later, changes nothing.
Here because it reads plans, tracking, forum and participation together.

The clock is frozen by replacing django.utils.timezone.now (localdate, the services and the
views' rules all read it), so the services' own checks and the rules see the demo's day."""

import io
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cocrea.accounts.models import RoleGrant
from cocrea.audit.models import AuditEvent
from cocrea.forum.models import Meeting
from cocrea.participation.models import (
    Comment,
    Consultation,
    Phase,
    Proposal,
    Response,
    Support,
)
from cocrea.participation.standards import standards_panel
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone
from cocrea.plans.progress import DUE_SOON_DAYS
from cocrea.plans.selectors import home_plan
from cocrea.tracking.models import ProgressReport
from conftest import make_person

pytestmark = pytest.mark.django_db

MODELS = [ActionPlan, Commitment, Milestone, Institution, AuditEvent]

DAYS = [date(2027, 3, 1), date(2031, 5, 31)]  # the first and the last day of a month


def _freeze(monkeypatch, day: date) -> None:
    moment = timezone.make_aware(datetime.combine(day, time(11)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_demo_is_alive_on_the_day_it_is_loaded(today, monkeypatch, client):
    """Loading the demo takes seconds, so one test per day runs every check."""
    _freeze(monkeypatch, today)
    assert timezone.localdate() == today
    call_command("seed_demo", stdout=io.StringIO())
    _the_current_plan_is_under_way_today_and_no_ended_plan_is_current(today)
    _the_current_plan_has_milestones_overdue_due_soon_and_done_with_their_reports(today)
    _the_next_plans_consultation_takes_proposals_from_several_departments(today)
    _the_standards_panel_shows_a_mix_not_all_red(today)
    _a_new_citizen_can_propose_today_through_the_form(today, client)
    _the_local_member_has_its_plan_under_way_and_its_consultation_open(today, client)
    _seeding_again_later_changes_nothing(today, monkeypatch)


def _open_consultation(today: date, member: str = "GTM") -> Consultation:
    open_now = [
        c
        for c in Consultation.objects.filter(published_at__isnull=False, plan__member__code=member)
        if (phase := c.phase_on(today)) is not None and phase.kind == Phase.Kind.PROPOSALS
    ]
    assert len(open_now) == 1
    return open_now[0]


def _the_current_plan_is_under_way_today_and_no_ended_plan_is_current(today):
    _, plan = home_plan()
    assert plan.status == ActionPlan.Status.IMPLEMENTATION
    assert plan.start_date < today < plan.end_date
    assert plan.number == 6 and plan.commitments.count() == 6
    ended = ActionPlan.objects.filter(end_date__lt=today)
    assert set(ended.values_list("status", flat=True)) == {ActionPlan.Status.CLOSED}
    national = ActionPlan.objects.filter(member__code="GTM")
    assert national.filter(status=ActionPlan.Status.IMPLEMENTATION).count() == 1
    following = national.get(number=7)
    assert following.status == ActionPlan.Status.CO_CREATION and following.start_date > today


def _the_current_plan_has_milestones_overdue_due_soon_and_done_with_their_reports(today):
    _, plan = home_plan()
    milestones = list(Milestone.objects.filter(commitment__plan=plan))
    done = [m for m in milestones if m.completion == Milestone.Completion.COMPLETE]
    soon = [
        m
        for m in milestones
        if 0 <= (m.end_date - today).days <= DUE_SOON_DAYS
        and m.completion != Milestone.Completion.COMPLETE
    ]
    assert sum(m.is_overdue for m in milestones) >= 2
    assert len(soon) >= 3 and len(done) >= 5
    assert all(m.end_date < today for m in done)
    published = ProgressReport.objects.filter(status=ProgressReport.Status.PUBLISHED)
    reported = set(published.values_list("milestone_id", flat=True))
    assert {m.pk for m in done} <= reported  # no "complete" without a published report
    assert all(r.published_at <= timezone.now() for r in published)
    assert len({r.published_at.date() for r in published}) > 3  # spread over time


def _the_next_plans_consultation_takes_proposals_from_several_departments(today):
    consultation = _open_consultation(today)
    assert consultation.plan.number == 7
    proposals = list(consultation.proposals.all())
    assert len({p.department for p in proposals}) >= 5
    assert all(p.created_at.date() <= today for p in proposals)
    assert len({p.created_at.date() for p in proposals}) == len(proposals)
    answered = Response.objects.filter(proposal__consultation=consultation).count()
    assert 0 < answered < len(proposals)
    assert Comment.objects.filter(proposal__consultation=consultation, parent__isnull=False)
    assert Support.objects.filter(proposal__consultation=consultation).exists()
    published = timezone.localtime(consultation.published_at).date()
    assert (consultation.phase_of_kind(Phase.Kind.PROPOSALS).starts_on - published).days >= 14


def _a_new_citizen_can_propose_today_through_the_form(today, client):
    consultation = _open_consultation(today)
    client.force_login(make_person("Ciudadana Nueva"))
    before = consultation.proposals.count()
    response = client.post(
        reverse("participation:proposal_new", kwargs={"slug": consultation.slug}),
        {
            "title": "Horarios de los centros de salud en línea",
            "problem": "Nadie sabe a qué hora atienden los centros de salud del municipio.",
            "proposal": "Publicar los horarios de cada centro de salud y mantenerlos al día.",
            "department": "peten",
        },
    )
    assert response.status_code == 302
    assert consultation.proposals.count() == before + 1


def _the_local_member_has_its_plan_under_way_and_its_consultation_open(today, client):
    """The OGP Local member (issue 25): from the national home to its page, its current plan
    and its consultation taking proposals, with its own point of contact."""
    local = Member.objects.get(code="GTM-DEMO")
    assert local.national.code == "GTM" and local.level == Member.Level.LOCAL
    assert "demostración" in local.name
    _, plan = home_plan(today, local)
    assert plan.is_current and plan.commitments.count() >= 3
    assert Milestone.objects.filter(commitment__plan=plan).count() >= 9
    assert not Commitment.objects.filter(plan__member=local, is_demo=False).exists()
    assert Institution.objects.filter(member=local).count() >= 2
    consultation = _open_consultation(today, member="GTM-DEMO")
    assert consultation.plan.member == local and consultation.proposals.exists()
    assert RoleGrant.objects.filter(
        user__username="demo-punto-de-contacto-local",
        role=RoleGrant.Role.POINT_OF_CONTACT,
        member=local,
    ).exists()
    client.logout()
    national_home = client.get(reverse("plans:member", kwargs={"slug": "guatemala"}))
    local_page = reverse("plans:member", kwargs={"slug": local.slug})
    assert local_page in national_home.content.decode()
    page = client.get(local_page).content.decode()
    assert plan.title in page
    assert reverse("participation:consultation", kwargs={"slug": consultation.slug}) in page
    assert client.get(consultation.get_absolute_url()).status_code == 200


def _the_standards_panel_shows_a_mix_not_all_red(today):
    _, plan = home_plan()
    statuses = [s.status for s in standards_panel(plan=plan, today=today).standards]
    assert statuses.count("green") >= 2
    assert "red" not in statuses


def _living_counts() -> dict[str, int]:
    models = [
        *MODELS,
        Consultation,
        Phase,
        Proposal,
        Comment,
        Support,
        Response,
        ProgressReport,
        Meeting,
    ]
    return {m.__name__: m.objects.count() for m in models}


def _seeding_again_later_changes_nothing(today, monkeypatch):
    first = _living_counts()
    plans = list(ActionPlan.objects.values_list("number", "start_date", "end_date", "slug"))
    call_command("seed_demo", stdout=io.StringIO())
    assert _living_counts() == first
    _freeze(monkeypatch, today + timedelta(days=70))  # another month: the demo keeps its dates
    call_command("seed_demo", stdout=io.StringIO())
    assert _living_counts() == first
    assert list(ActionPlan.objects.values_list("number", "start_date", "end_date", "slug")) == plans
