"""Demonstration follows for `manage.py seed_demo` (listed in COCREA_DEMO_SEEDERS, after the apps
whose demos publish reports, assessments, answers and meetings): the demo's civil-society member
follows the current plan, and the demo's official follows their institution, both since before
the demo's events, and the fan-out runs, so each logs in to news they can act on. Safe to run
again: a follow already there is kept, and the fan-out tells nothing twice."""

from datetime import timedelta
from typing import Any, TextIO

from cocrea.accounts.models import User
from cocrea.audit.models import AuditEvent
from cocrea.notifications.models import Follow
from cocrea.notifications.services import fan_out, follow_add
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.models import Institution, Membership


def seed(stdout: TextIO, **_: Any) -> None:
    _member, plan = plan_selectors.home_plan()
    citizen = User.objects.filter(username="demo-sociedad-civil").first()
    official = User.objects.filter(username="demo-funcionaria").first()
    follows = []
    if plan is not None and citizen is not None:
        follows.append(follow_add(actor=citizen, target=plan))
    if official is not None:
        membership = Membership.objects.filter(user=official).select_related("institution").first()
        institution: Institution | None = membership.institution if membership else None
        if institution is not None:
            follows.append(follow_add(actor=official, target=institution))
    first = AuditEvent.objects.order_by("id").values_list("created_at", flat=True).first()
    if first is not None and follows:
        # Following since before the demo's story began, so it is told to them.
        Follow.objects.filter(pk__in=[f.pk for f in follows]).update(
            created_at=first - timedelta(minutes=1)
        )
    told = fan_out()
    stdout.write(f"Notifications: {len(follows)} demo follows, {told} notifications.")
