"""What participation adds to the top of a member's home page (the COCREA_HOME_SECTIONS
setting): the member's consultation open today and what a visitor can do in it until when, with
the main action as its button ("Propose until <date>" in the proposal phase); or, when none is
open, when the next phase opens, or that no consultation is open."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from cocrea.participation.models import Consultation, Phase
from cocrea.plans.models import Member


@dataclass
class Action:
    """The main thing a visitor can do in the open phase: its button's words and address."""

    label: str
    href: str


@dataclass
class HomeConsultation:
    """The consultation the home page leads with: `current` is its phase open today (None when
    only a later phase is ahead), `next_phase` the one after, and `action` what to do now."""

    consultation: Consultation
    current: Phase | None
    next_phase: Phase | None
    action: Action | None
    proposals: str


def _day(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def home_consultation(*, today: date, member: Member | None = None) -> HomeConsultation | None:
    """The published consultation (of `member`'s plans when given) with a phase open today (the
    one whose phase closes first if several), else the one whose next phase opens first; None
    when no published consultation has a phase ahead. Two queries (the consultations, their
    phases), one when none."""
    published = Consultation.objects.filter(published_at__isnull=False)
    if member is not None:
        published = published.filter(plan__member=member)
    consultations = list(
        published.filter(phases__ends_on__gte=today)
        .distinct()
        .select_related("plan", "figures")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts_on")))
        .order_by("pk")
    )
    open_now = [(c, p) for c in consultations if (p := c.phase_on(today)) is not None]
    if open_now:
        consultation, current = min(open_now, key=lambda pair: (pair[1].ends_on, pair[0].pk))
        return HomeConsultation(
            consultation=consultation,
            current=current,
            next_phase=consultation.next_phase(today),
            action=_action(consultation, current),
            proposals=_proposals(consultation),
        )
    ahead = [(c, p) for c in consultations if (p := c.next_phase(today)) is not None]
    if not ahead:
        return None
    consultation, upcoming = min(ahead, key=lambda pair: (pair[1].starts_on, pair[0].pk))
    return HomeConsultation(
        consultation=consultation,
        current=None,
        next_phase=upcoming,
        action=None,
        proposals=_proposals(consultation),
    )


def _action(consultation: Consultation, phase: Phase) -> Action:
    until = _day(phase.ends_on)
    slug = {"slug": consultation.slug}
    if phase.kind == Phase.Kind.PROPOSALS:
        return Action(
            gettext("Propose until %(date)s") % {"date": until},
            reverse("participation:proposal_new", kwargs=slug),
        )
    if phase.kind == Phase.Kind.DELIBERATION:
        return Action(
            gettext("Comment on and support proposals until %(date)s") % {"date": until},
            reverse("participation:proposals", kwargs=slug),
        )
    if phase.kind in (Phase.Kind.DRAFTING, Phase.Kind.VALIDATION):
        return Action(
            gettext("Comment on the draft commitments until %(date)s") % {"date": until},
            reverse("drafting:draft_list", kwargs=slug),
        )
    return Action(gettext("See how the consultation works"), consultation.get_absolute_url())


def _proposals(consultation: Consultation) -> str:
    """ "N proposals so far", from the figures the services keep; empty without them."""
    try:
        count = consultation.figures.proposals
    except ObjectDoesNotExist:
        return ""
    return ngettext("%(count)s proposal so far", "%(count)s proposals so far", count) % {
        "count": count
    }


def home_section(request: HttpRequest, member: Member | None = None) -> SafeString:
    """A member's home (plans.sections.home_sections): that member's consultation."""
    found = home_consultation(today=timezone.localdate(), member=member)
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string("participation/_home.html", {"found": found}, request=request)
    )
