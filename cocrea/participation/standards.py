"""OGP's Participation and Co-Creation Standards, checked from Cocrea's own data for one plan.
Each minimum requirement (DOMAIN.md) is computed, given a colour, and shown with the evidence
behind it and a link to it. The thresholds are written in docs/cocreation-standards.md.

Green: the minimum requirement is met. Amber: partly met. Red: not met, or nothing to show it.
"Not yet": the period it is measured over has not begun."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocrea.audit.selectors import public_updates
from cocrea.core import words
from cocrea.forum.models import Meeting
from cocrea.forum.selectors import active_seats, forum_of_member, meetings_held
from cocrea.participation.models import Consultation, Phase, StandardAssessment
from cocrea.participation.selectors import (
    UNANSWERED,
    Figures,
    consultation_figures,
    consultation_of_plan,
    standard_assessments,
)
from cocrea.plans.models import ActionPlan, Commitment

GREEN, AMBER, RED, NOT_YET = "green", "amber", "red", "not_yet"
NOTICE_DAYS = 14  # "at least two weeks' notice" (DOMAIN.md)


@dataclass
class Evidence:
    text: str
    url: str = ""


@dataclass
class Check:
    """One minimum requirement: its colour and what shows it."""

    label: str
    status: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Standard:
    number: int
    title: str
    checks: list[Check]
    assessments: list[StandardAssessment] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The worst of its checks (a standard is met when each requirement is)."""
        order = [RED, AMBER, GREEN, NOT_YET]
        statuses = [check.status for check in self.checks] or [RED]
        return min(statuses, key=order.index)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, 28))


def windows(start: date, end: date, months: int) -> list[tuple[date, date]]:
    """Consecutive windows of `months` from `start`, the last one ending after `end` if `end`
    falls inside it; [first day, first day of the next)."""
    result = []
    current = start
    while current <= end:
        following = _add_months(current, months)
        result.append((current, following))
        current = following
    return result


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min)).astimezone(UTC)


def _count_windows(
    spans: list[tuple[date, date]], days: list[date], today: date, needed: int
) -> tuple[int, int, list[tuple[date, date]]]:
    """(windows met, windows judged, windows missed). A window still running counts only
    once it is met, so the current half-year is never held against the process early."""
    met = judged = 0
    missed = []
    for start, end in spans:
        count = sum(1 for day in days if start <= day < end)
        finished = end <= today
        if count >= needed:
            met += 1
            judged += 1
        elif finished:
            judged += 1
            missed.append((start, end))
    return met, judged, missed


def _ratio_status(met: int, judged: int) -> str:
    if judged == 0:
        return NOT_YET
    if met == judged:
        return GREEN
    return AMBER if met else RED


def _span_text(span: tuple[date, date]) -> str:
    start, end = span
    last = end.toordinal() - 1
    return f"{words.day(start)} – {words.day(date.fromordinal(last))}"


def _cocreation_start(plan: ActionPlan, consultation: Consultation | None) -> date:
    phases = consultation.ordered_phases() if consultation else []
    return phases[0].starts_on if phases else plan.start_date


def _forum_standard(
    plan: ActionPlan, today: date, meetings: list[Meeting], forum: Any, start: date
) -> Standard:
    checks = []
    if forum is None:
        checks.append(Check(_("The forum exists"), RED, [Evidence(_("No forum is recorded."))]))
        return Standard(1, _("A space for dialogue"), checks)
    forum_url = forum.get_absolute_url()
    seats = active_seats(forum, today)
    government = sum(1 for seat in seats if seat.sector == "government")
    others = len(seats) - government
    checks.append(
        Check(
            _("Government and non-government members"),
            GREEN if government and others else RED,
            [
                Evidence(
                    _("%(gov)d government and %(non)d non-government members today.")
                    % {"gov": government, "non": others},
                    forum_url,
                )
            ],
        )
    )
    end = min(today, plan.end_date)
    spans = windows(start, end, 6)
    days = [timezone.localtime(m.starts_at).date() for m in meetings if m.kind == "forum"]
    met, judged, missed = _count_windows(spans, days, today, 1)
    evidence = [
        Evidence(
            ngettext(
                "%(met)d of %(judged)d six-month period with a forum meeting.",
                "%(met)d of %(judged)d six-month periods with a forum meeting.",
                judged,
            )
            % {"met": met, "judged": judged},
            forum_url,
        )
    ]
    evidence += [Evidence(_("No meeting in %(span)s.") % {"span": _span_text(s)}) for s in missed]
    latest = max(
        (m for m in meetings if m.kind == "forum"), key=lambda m: m.starts_at, default=None
    )
    if latest is not None:
        evidence.append(
            Evidence(
                _("Latest meeting: %(title)s, %(day)s.")
                % {"title": latest.title, "day": timezone.localtime(latest.starts_at).date()},
                latest.get_absolute_url(),
            )
        )
    checks.append(Check(_("Meets at least every six months"), _ratio_status(met, judged), evidence))
    checks.append(
        Check(
            _("Its participation rules are public"),
            GREEN if forum.has_public_rules else RED,
            [
                Evidence(
                    _("Rules published.") if forum.has_public_rules else _("No rules published."),
                    forum_url,
                )
            ],
        )
    )
    return Standard(1, _("A space for dialogue"), checks)


def _information_standard(
    plan: ActionPlan, today: date, start: date, contexts: dict[str, Any]
) -> Standard:
    end = min(today, plan.end_date)
    spans = windows(start, end, 6)
    updates = public_updates(contexts=contexts, windows=[(_aware(a), _aware(b)) for a, b in spans])
    days = []
    for (span_start, _end), count in zip(spans, updates.per_window, strict=True):
        days += [span_start] * min(count, 1)
    met, judged, missed = _count_windows(spans, days, today, 1)
    evidence = [
        Evidence(
            ngettext(
                "The repository was updated in %(met)d of %(judged)d six-month period.",
                "The repository was updated in %(met)d of %(judged)d six-month periods.",
                judged,
            )
            % {"met": met, "judged": judged},
            reverse("audit:log"),
        )
    ]
    evidence += [Evidence(_("No update in %(span)s.") % {"span": _span_text(s)}) for s in missed]
    if updates.latest is not None:
        evidence.append(
            Evidence(
                _("Latest update: %(day)s.") % {"day": timezone.localtime(updates.latest).date()},
                reverse("audit:log"),
            )
        )
    checks = [
        Check(
            _("A public repository, with dated records"),
            GREEN if updates.latest is not None else RED,
            [Evidence(_("Every change is dated in the public log."), reverse("audit:log"))],
        ),
        Check(_("Updated at least twice a year"), _ratio_status(met, judged), evidence),
    ]
    return Standard(2, _("Open, timely information"), checks)


def _inclusive_standard(consultation: Consultation | None, figures: Figures) -> Standard:
    if consultation is None:
        return Standard(
            3,
            _("Inclusive participation"),
            [Check(_("A published timeline"), RED, [Evidence(_("No consultation is published."))])],
        )
    url = consultation.get_absolute_url()
    proposals_phase = consultation.phase_of_kind(Phase.Kind.PROPOSALS)
    published = (
        timezone.localtime(consultation.published_at).date() if consultation.published_at else None
    )
    if proposals_phase is None or published is None:
        notice_status, notice_text = RED, _("No proposal phase was announced.")
    else:
        notice = (proposals_phase.starts_on - published).days
        notice_status = GREEN if notice >= NOTICE_DAYS else AMBER if notice > 0 else RED
        notice_text = _(
            "Timeline published on %(published)s; proposals opened on %(opened)s: "
            "%(days)d days' notice."
        ) % {"published": published, "opened": proposals_phase.starts_on, "days": notice}
    checks = [
        Check(
            _("Timeline and ways to take part published at least two weeks ahead"),
            notice_status,
            [Evidence(notice_text, url)],
        ),
        Check(
            _("A way to send input, online and in person"),
            GREEN if proposals_phase and figures.workshops else AMBER if proposals_phase else RED,
            [
                Evidence(
                    _(
                        "%(proposals)d proposals, %(from_workshops)d of them from %(workshops)d "
                        "workshops with %(people)d participants, from %(departments)d "
                        "departments."
                    )
                    % {
                        "proposals": figures.proposals,
                        "from_workshops": figures.from_workshops,
                        "workshops": figures.workshops,
                        "people": figures.workshop_participants,
                        "departments": figures.departments,
                    },
                    reverse("participation:proposals", kwargs={"slug": consultation.slug}),
                )
            ],
        ),
    ]
    return Standard(3, _("Inclusive participation"), checks)


def _response_standard(consultation: Consultation | None, figures: Figures) -> Standard:
    if consultation is None or not figures.proposals:
        return Standard(
            4,
            _("Reasoned response"),
            [
                Check(
                    _("Every proposal answered, with reasons"),
                    RED if consultation is None else NOT_YET,
                    [Evidence(_("No proposals yet."))],
                )
            ],
        )
    share = figures.answered_share or 0
    status = GREEN if figures.answered == figures.proposals else AMBER if figures.answered else RED
    evidence = [
        Evidence(
            _("%(answered)d of %(total)d proposals answered (%(share)d%%), each with its reasons.")
            % {"answered": figures.answered, "total": figures.proposals, "share": share},
            consultation.get_absolute_url(),
        )
    ]
    if figures.answered < figures.proposals:
        evidence.append(
            Evidence(
                _("See the proposals without an answer."),
                reverse("participation:proposals", kwargs={"slug": consultation.slug})
                + f"?respuesta={UNANSWERED}",
            )
        )
    if figures.median_days is not None:
        evidence.append(
            Evidence(_("Median time to an answer: %(days)s days.") % {"days": figures.median_days})
        )
    return Standard(
        4,
        _("Reasoned response"),
        [Check(_("Every proposal answered, with reasons"), status, evidence)],
    )


def _implementation_standard(plan: ActionPlan, today: date, meetings: list[Meeting]) -> Standard:
    label = _("At least two meetings a year with civil society on results")
    if today < plan.start_date:
        return Standard(
            5,
            _("Participation in implementation"),
            [Check(label, NOT_YET, [Evidence(_("Implementation has not begun."))])],
        )
    spans = windows(plan.start_date, min(today, plan.end_date), 12)
    held = [m for m in meetings if m.kind == "civil_society"]
    days = [timezone.localtime(m.starts_at).date() for m in held]
    met, judged, missed = _count_windows(spans, days, today, 2)
    evidence = [
        Evidence(
            ngettext(
                "%(met)d of %(judged)d year of implementation with two or more meetings.",
                "%(met)d of %(judged)d years of implementation with two or more meetings.",
                judged,
            )
            % {"met": met, "judged": judged}
        )
    ]
    evidence += [
        Evidence(_("Fewer than two meetings in %(span)s.") % {"span": _span_text(s)})
        for s in missed
    ]
    evidence += [
        Evidence(f"{timezone.localtime(m.starts_at).date()}: {m.title}", m.get_absolute_url())
        for m in sorted(held, key=lambda m: m.starts_at, reverse=True)[:6]
    ]
    return Standard(
        5,
        _("Participation in implementation"),
        [Check(label, _ratio_status(met, judged), evidence)],
    )


@dataclass
class Panel:
    plan: ActionPlan
    consultation: Consultation | None
    figures: Figures
    standards: list[Standard]
    today: date


def standards_panel(*, plan: ActionPlan, today: date | None = None) -> Panel:
    """The five standards for a plan, from a fixed number of queries."""
    today = today or timezone.localdate()
    consultation = consultation_of_plan(plan_id=plan.pk)
    figures = consultation_figures(consultation=consultation) if consultation else Figures()
    start = _cocreation_start(plan, consultation)
    forum = forum_of_member(plan.member)
    meetings = meetings_held(forum, start, min(today, plan.end_date)) if forum else []
    contexts: dict[str, list[str] | QuerySet[Any]] = {
        "plans.actionplan": [str(plan.pk)],
        "plans.commitment": Commitment.objects.filter(plan=plan),
    }
    assessments = standard_assessments(plan_id=plan.pk)
    standards = [
        _forum_standard(plan, today, meetings, forum, start),
        _information_standard(plan, today, start, contexts),
        _inclusive_standard(consultation, figures),
        _response_standard(consultation, figures),
        _implementation_standard(plan, today, meetings),
    ]
    for standard in standards:
        standard.assessments = [a for a in assessments if a.standard == standard.number]
    return Panel(plan, consultation, figures, standards, today)
