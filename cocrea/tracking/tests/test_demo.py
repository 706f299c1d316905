"""The demo shows tracking at work: published reports, civil society's view, a difference; every
milestone of the current plan under way or done has its published report."""

import pytest
from django.core.management import call_command

from cocrea.plans.models import Milestone
from cocrea.plans.selectors import home_plan
from cocrea.tracking.models import Assessment, ProgressReport
from cocrea.tracking.selectors import disputed_commitment_ids

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_reports_and_assessments_with_one_difference():
    call_command("seed_demo", stdout=None)
    reports = ProgressReport.objects.filter(status=ProgressReport.Status.PUBLISHED)
    _, current = home_plan()
    started = Milestone.objects.filter(commitment__plan=current).exclude(
        completion__in=[Milestone.Completion.NOT_STARTED, Milestone.Completion.WITHDRAWN]
    )
    assert set(reports.values_list("milestone_id", flat=True)) == set(
        started.values_list("pk", flat=True)
    )
    assert all(r.done.startswith("Demostración:") for r in reports)
    assert all(r.completion == r.milestone.completion for r in reports)
    assessments = list(Assessment.objects.select_related("commitment"))
    assert len(assessments) == 3
    from cocrea.plans.selectors import plan_commitments

    plan = reports.first().milestone.commitment.plan
    assert len(disputed_commitment_ids(plan_commitments(plan=plan))) == 1


def test_the_demo_people_cannot_log_in():
    call_command("seed_demo", stdout=None)
    from cocrea.accounts.models import User

    demo = User.objects.filter(username__startswith="demo-")
    tracking_people = {"demo-punto-de-contacto", "demo-funcionaria", "demo-sociedad-civil"}
    assert tracking_people <= set(demo.values_list("username", flat=True))
    assert not any(u.has_usable_password() for u in demo)
