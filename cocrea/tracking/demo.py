"""Demonstration tracking data for `manage.py seed_demo` (listed in COCREA_DEMO_SEEDERS): on the
current plan, three demonstration people (an official, the point of contact and a civil-society
member, who can log in only on a development machine: accounts/demo.py) report, publish and
assess through the services, so the pages show both views, a difference and a history, and one
report waits for the point of contact. Every text says it is a demonstration; no IRM
findings are invented. Safe to run again: it does nothing once its reports exist."""

from datetime import date, datetime, time, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils import timezone

from cocrea.accounts.models import RoleGrant, User
from cocrea.accounts.services import role_grant
from cocrea.plans import selectors as plan_selectors
from cocrea.plans import services as plan_services
from cocrea.plans.models import Institution, Membership, Milestone
from cocrea.tracking import services
from cocrea.tracking.models import ProgressReport

PERCENT = {"not_started": 0, "limited": 30, "substantial": 70, "complete": 100}
DISAGREE = {
    "not_started": "limited",
    "limited": "not_started",
    "substantial": "limited",
    "complete": "substantial",
}
EVIDENCE = ("https://www.opengovpartnership.org/members/guatemala/", "Guatemala en la OGP")
NOTE = "Demostración:"


def _person(username: str, public_name: str) -> User:
    """A demonstration account with a verified address and no usable password."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, email=f"{username}@demo.invalid", public_name=public_name
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _member(user: User, institution: Institution, role: str, decider: User) -> None:
    if Membership.objects.filter(user=user, institution=institution).exists():
        return
    membership = plan_services.membership_request(actor=user, institution=institution, role=role)
    plan_services.membership_decide(actor=decider, membership=membership, approve=True)


def _backdate(report: ProgressReport, facts: date) -> None:
    """The report as if written on its facts' day and published a week later, never later than
    now (rows only: the audit log keeps the day the demo was loaded)."""
    now = timezone.now()
    written = min(timezone.make_aware(datetime.combine(facts, time(9))), now)
    published = min(written + timedelta(days=7), now)
    ProgressReport.objects.filter(pk=report.pk).update(
        created_at=written, submitted_at=written, published_at=published
    )


def seed(stdout: Any, today: date | None = None) -> None:
    today = today or timezone.localdate()
    _, plan = plan_selectors.home_plan()
    cso = (
        Institution.objects.filter(member_id=plan.member_id, kind=Institution.Kind.CIVIL_SOCIETY)
        .order_by("name")
        .first()
        if plan is not None
        else None
    )
    if plan is None or cso is None:
        return
    if ProgressReport.objects.filter(done__startswith=NOTE).exists():
        return
    milestones = [
        m
        for m in Milestone.objects.filter(commitment__plan=plan)
        .select_related("commitment", "responsible_institution")
        .order_by("end_date", "commitment__number_sort", "number")
        if m.completion in PERCENT and m.completion != Milestone.Completion.NOT_STARTED
    ]
    assessed = sorted(
        (m for m in milestones if m.number == 1), key=lambda m: m.commitment.number_sort
    )[:3]
    with transaction.atomic():
        contact = _person("demo-punto-de-contacto", "Punto de contacto (demostración)")
        role_grant(
            actor=None, user=contact, role=RoleGrant.Role.POINT_OF_CONTACT, member=plan.member
        )
        if not Authenticator.objects.filter(user=contact).exists():
            TOTP.activate(contact, generate_totp_secret())  # the rules ask staff for 2FA
        official = _person("demo-funcionaria", "Funcionaria (demostración)")
        citizen = _person("demo-sociedad-civil", f"{cso.short_name} (demostración)")
        _member(citizen, cso, Membership.Role.MEMBER, contact)
        for milestone in milestones:
            _member(official, milestone.responsible_institution, "reporting_official", contact)
            facts = min(today, milestone.end_date or today)
            report = services.progress_report_create(
                actor=official,
                milestone=milestone,
                completion=milestone.completion,  # as seeded, so seed_demo stays idempotent
                percent=PERCENT[milestone.completion],
                done=f"{NOTE} informe de avance escrito para la demostración, no tomado de la "
                "realidad.",
                facts_date=facts,
                links=[EVIDENCE],
            )
            services.progress_report_submit(actor=official, report=report)
            services.progress_report_publish(actor=contact, report=report)
            _backdate(report, facts)
        for index, milestone in enumerate(assessed):
            services.assessment_publish(
                actor=citizen,
                commitment=milestone.commitment,
                milestone=milestone,
                organisation=cso,
                # the first one disagrees, so the demo shows a difference; the others agree
                completion=DISAGREE[milestone.completion] if index == 0 else milestone.completion,
                reading=f"{NOTE} lectura de la sociedad civil escrita para la demostración.",
                links=[EVIDENCE],
            )
        waiting = _report_awaiting_publication(plan, official, contact, today)
    stdout.write(
        f"Demo tracking: {len(milestones)} reports published, {len(assessed)} assessed, "
        f"{waiting} awaiting the point of contact."
    )


def _report_awaiting_publication(plan: Any, official: User, contact: User, today: date) -> int:
    """One report sent by the official and not yet published: the point of contact's work for
    the day (issue 21). On the not-started milestone whose deadline comes first."""
    milestone = (
        Milestone.objects.filter(
            commitment__plan=plan,
            completion=Milestone.Completion.NOT_STARTED,
            end_date__gte=today,
        )
        .select_related("responsible_institution")
        .order_by("end_date", "commitment__number_sort", "number")
        .first()
    )
    if milestone is None:
        return 0
    _member(official, milestone.responsible_institution, "reporting_official", contact)
    report = services.progress_report_create(
        actor=official,
        milestone=milestone,
        completion=Milestone.Completion.LIMITED,
        percent=PERCENT["limited"],
        done=f"{NOTE} primeros pasos del hito, escritos para la demostración; esperan que el "
        "punto de contacto los publique.",
        facts_date=today,
        links=[EVIDENCE],
    )
    services.progress_report_submit(actor=official, report=report)
    return 1
