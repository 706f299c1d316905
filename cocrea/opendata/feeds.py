"""Atom feeds of what happens to a plan, a commitment, an institution, a consultation, an OGP
member and the whole site: newly
published progress reports, civil society's assessments, answers to proposals and forum
meetings (Django's syndication framework). Each feed reads the same public rows as the API
(opendata/selectors.py), the newest 50 of each kind: a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cocrea.opendata import selectors
from cocrea.participation.models import Consultation
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member

LATEST = 50


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    text: str
    link: str
    when: datetime


def _reports(queryset: QuerySet) -> list[Entry]:
    return [
        Entry(
            key=f"report-{r.public_id}",
            title=_("Progress report: %(commitment)s, milestone %(number)s")
            % {"commitment": r.milestone.commitment.title, "number": r.milestone.number},
            text=f"{r.get_completion_display()} · {r.percent} % · {Truncator(r.done).words(60)}",
            link=reverse("tracking:report", kwargs={"public_id": r.public_id}),
            when=r.published_at,
        )
        for r in queryset.order_by("-published_at")[:LATEST]
    ]


def _assessments(queryset: QuerySet) -> list[Entry]:
    return [
        Entry(
            key=f"assessment-{a.public_id}",
            title=_("Civil society's assessment: %(commitment)s")
            % {"commitment": a.commitment.title},
            text=f"{a.organisation.name}: {a.get_completion_display()} · "
            f"{Truncator(a.reading).words(60)}",
            link=reverse(
                "plans:commitment",
                kwargs={"plan_slug": a.commitment.plan.slug, "slug": a.commitment.slug},
            ),
            when=a.published_at,
        )
        for a in queryset.order_by("-published_at")[:LATEST]
    ]


def _responses(queryset: QuerySet) -> list[Entry]:
    return [
        Entry(
            key=f"response-{r.proposal.public_id}",
            title=_("Proposal answered: %(title)s") % {"title": r.proposal.title},
            text=f"{r.get_kind_display()} · {Truncator(r.reasons).words(60)}",
            link=r.proposal.get_absolute_url(),
            when=r.updated_at,
        )
        for r in queryset.order_by("-updated_at")[:LATEST]
    ]


def _meetings(queryset: QuerySet) -> list[Entry]:
    return [
        Entry(
            key=f"meeting-{m.public_id}",
            title=_("Forum meeting: %(title)s") % {"title": m.title},
            text=f"{m.get_status_display()} · {Truncator(m.agenda).words(60)}",
            link=m.get_absolute_url(),
            when=m.updated_at,
        )
        for m in queryset.order_by("-updated_at")[:LATEST]
    ]


class ActivityFeed(Feed):
    """The feed of one object; subclasses say which rows belong to it."""

    feed_type = Atom1Feed

    def entries(self, obj: Any) -> list[Entry]:
        raise NotImplementedError

    def items(self, obj: Any) -> list[Entry]:
        return sorted(self.entries(obj), key=lambda e: e.when, reverse=True)[:LATEST]

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.text

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_pubdate(self, item: Entry) -> datetime:
        return item.when

    def item_updateddate(self, item: Entry) -> datetime:
        return item.when

    def item_guid(self, item: Entry) -> str:
        return f"urn:cocrea:{item.key}"

    item_guid_is_permalink = False

    def link(self, obj: Any) -> str:
        return str(obj.get_absolute_url())

    def title(self, obj: Any) -> str:
        return str(obj)

    def subtitle(self, obj: Any) -> str:
        return _("Progress reports, assessments, answers to proposals and forum meetings.")


class PlanFeed(ActivityFeed):
    def get_object(self, request: HttpRequest, slug: str) -> ActionPlan:
        return get_object_or_404(ActionPlan, slug=slug)

    def entries(self, obj: ActionPlan) -> list[Entry]:
        return (
            _reports(selectors.progress_reports(plan=obj.slug))
            + _assessments(selectors.assessments(plan=obj.slug))
            + _responses(selectors.responses().filter(proposal__consultation__plan=obj))
            + _meetings(selectors.meetings(plan=obj.slug))
        )


class CommitmentFeed(ActivityFeed):
    def get_object(self, request: HttpRequest, plan_slug: str, slug: str) -> Commitment:
        return get_object_or_404(
            Commitment.objects.select_related("plan"), plan__slug=plan_slug, slug=slug
        )

    def link(self, obj: Commitment) -> str:
        return reverse("plans:commitment", kwargs={"plan_slug": obj.plan.slug, "slug": obj.slug})

    def entries(self, obj: Commitment) -> list[Entry]:
        return (
            _reports(selectors.progress_reports().filter(milestone__commitment=obj))
            + _assessments(selectors.assessments().filter(commitment=obj))
            + _responses(selectors.responses().filter(commitments=obj))
        )


class InstitutionFeed(ActivityFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Institution:
        return get_object_or_404(Institution, slug=slug)

    def entries(self, obj: Institution) -> list[Entry]:
        return _reports(selectors.progress_reports(institution=obj.slug)) + _assessments(
            selectors.assessments().filter(
                Q(organisation=obj) | Q(commitment__lead_institution=obj)
            )
        )


class ConsultationFeed(ActivityFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Consultation:
        return get_object_or_404(selectors.consultations(), slug=slug)

    def entries(self, obj: Consultation) -> list[Entry]:
        return _responses(selectors.responses(consultation=obj.slug)) + _meetings(
            selectors.meetings(plan=obj.plan.slug)
        )


class MemberFeed(ActivityFeed):
    """Everything public of one OGP member: its plans' reports, assessments, answers to its
    consultations' proposals and its forum's meetings; nothing of another member."""

    def get_object(self, request: HttpRequest, slug: str) -> Member:
        return get_object_or_404(Member, slug=slug)

    def link(self, obj: Member) -> str:
        return reverse("opendata:member_feed", kwargs={"slug": obj.slug}).removesuffix(
            "novedades.atom"
        )

    def entries(self, obj: Member) -> list[Entry]:
        return (
            _reports(selectors.progress_reports(member=obj.code))
            + _assessments(selectors.assessments(member=obj.code))
            + _responses(selectors.responses(member=obj.code))
            + _meetings(selectors.meetings(member=obj.code))
        )


class SiteFeed(ActivityFeed):
    """Everything public of every member in this Cocrea."""

    def get_object(self, request: HttpRequest) -> None:
        return None

    def link(self, obj: None) -> str:
        return reverse("plans:home")

    def title(self, obj: None) -> str:
        return str(settings.COCREA_SITE_NAME)

    def entries(self, obj: None) -> list[Entry]:
        return (
            _reports(selectors.progress_reports())
            + _assessments(selectors.assessments())
            + _responses(selectors.responses())
            + _meetings(selectors.meetings())
        )
