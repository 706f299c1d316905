"""Reads for the drafting pages. Each page costs the same number of queries whatever the number
of drafts, versions and comments: related rows come with their query, and the comments of a
draft come in one query, grouped here by section."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cocrea.core.markdown import render_markdown
from cocrea.drafting.models import SECTION_NAMES, SECTIONS, Draft, DraftVersion, SectionComment
from cocrea.drafting.rules import DRAFTING_PHASES
from cocrea.participation.models import Consultation, Phase

_HISTORY_FIELDS = ("id", "draft_id", "number", "title", "change_note", "created_at", "created_by")


def consultation_get(*, slug: str) -> Consultation:
    """A published consultation with its plan and phases (unpublished ones are not public)."""
    return get_object_or_404(
        Consultation.objects.select_related("plan").prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on"))
        ),
        slug=slug,
        published_at__isnull=False,
    )


@dataclass(frozen=True)
class Commenting:
    """Whether a consultation's open drafts take comments today (`is_open`, the rule of
    rules.in_drafting_phase), until when (`until`), and when closed, the day they next open
    (`opens_on`, None when no drafting or validation phase is ahead). A draft is said to be open
    for comment only while this is open."""

    is_open: bool
    until: date | None = None
    opens_on: date | None = None


def draft_commenting(*, consultation: Consultation, today: date) -> Commenting:
    """From the consultation's phases, prefetched by its selectors: no query."""
    if not consultation.is_published:
        return Commenting(is_open=False)
    phase = consultation.phase_on(today)
    if phase is not None and phase.kind in DRAFTING_PHASES:
        return Commenting(is_open=True, until=phase.ends_on)
    ahead = [
        p.starts_on
        for p in consultation.ordered_phases()
        if p.kind in DRAFTING_PHASES and p.starts_on > today
    ]
    return Commenting(is_open=False, opens_on=min(ahead, default=None))


def consultation_drafts(*, consultation: Consultation) -> QuerySet[Draft]:
    return (
        Draft.objects.filter(consultation=consultation)
        .select_related("commitment__plan")
        .annotate(
            version_count=Count("versions", distinct=True),
            comment_count=Count(
                "versions__comments",
                filter=Q(versions__comments__hidden_at__isnull=True),
                distinct=True,
            ),
            last_version=Max("versions__number"),
        )
        .order_by("status", "-updated_at", "pk")
    )


def draft_get(*, public_id: str) -> Draft:
    """The draft of a published consultation, with what its pages and rules read."""
    return get_object_or_404(
        Draft.objects.select_related(
            "consultation__plan",
            "commitment__plan",
            "approved_version",
            "approved_by",
            "approval_meeting__forum",
        ).prefetch_related(Prefetch("consultation__phases", queryset=Phase.objects.all())),
        public_id=public_id,
        consultation__published_at__isnull=False,
    )


def draft_history(*, draft: Draft) -> list[DraftVersion]:
    """Every version, oldest first, without their texts (the history lists them)."""
    return list(
        DraftVersion.objects.filter(draft=draft)
        .select_related("created_by")
        .only(*_HISTORY_FIELDS, "created_by__public_name")
        .order_by("number")
    )


def version_get(*, draft: Draft, number: int | None = None) -> DraftVersion:
    """One version of the draft in full; the latest when `number` is None."""
    versions = DraftVersion.objects.filter(draft=draft).select_related(
        "lead_institution", "created_by"
    )
    version = (
        versions.order_by("-number").first()
        if number is None
        else versions.filter(number=number).first()
    )
    if version is None:
        raise Http404
    version.draft = draft
    return version


def versions_by_number(*, draft: Draft, numbers: list[int]) -> dict[int, DraftVersion]:
    found = DraftVersion.objects.filter(draft=draft, number__in=numbers).select_related(
        "lead_institution"
    )
    return {version.number: version for version in found}


@dataclass
class Section:
    name: str
    label: str
    comments: list[SectionComment] = field(default_factory=list)


def sections_with_comments(*, draft: Draft, version: DraftVersion | None = None) -> list[Section]:
    """The template's sections in order, each with its comments (of every version, or of
    `version` only), rendered from Markdown once here."""
    comments = SectionComment.objects.filter(version__draft=draft).select_related(
        "author", "version"
    )
    if version is not None:
        comments = comments.filter(version=version)
    by_name = {name: Section(name, str(label)) for name, label in SECTIONS}
    for comment in comments.order_by("created_at", "pk"):
        comment.html = render_markdown(comment.body)  # type: ignore[attr-defined]
        if comment.section in by_name:
            by_name[comment.section].comments.append(comment)
    return [by_name[name] for name in SECTION_NAMES]


def meetings_for(*, draft: Draft) -> Any:
    """The forum's sessions a draft's approval can name (those about its plan, or none)."""
    from cocrea.forum.models import Meeting

    return (
        Meeting.objects.filter(kind=Meeting.Kind.FORUM)
        .filter(Q(plan=draft.consultation.plan) | Q(plan__isnull=True))
        .order_by("-starts_at")
    )
