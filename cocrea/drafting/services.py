"""Every write to drafting. Each checks the rule on the object, validates with `full_clean()`,
saves inside a transaction and records its public audit event there: drafting happens in
public, so the log carries every version's text; comments by the hash of their text, since a
moderator may hide one."""

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocrea.audit.services import event_record
from cocrea.drafting.models import (
    COMMITMENT_FIELDS,
    SECTION_NAMES,
    Draft,
    DraftVersion,
    SectionComment,
)
from cocrea.participation.models import Consultation
from cocrea.plans.models import Commitment, Milestone, next_whole_number
from cocrea.plans.rules import allowed
from cocrea.plans.services import commitment_save, milestone_save

# The fields of a version that a writer fills (everything but the bookkeeping).
VERSION_FIELDS = [
    f.name
    for f in DraftVersion._meta.concrete_fields
    if f.name not in {"id", "draft", "number", "created_by", "created_at"}
]


def _require(permission: str, actor: Any, obj: object) -> None:
    if not allowed(permission, actor, obj):
        raise PermissionDenied


def _version_record(version: DraftVersion) -> dict[str, list[Any]]:
    """Every field of a new version, as audit changes ([None, value])."""
    changes: dict[str, list[Any]] = {"number": [None, version.number]}
    for name in VERSION_FIELDS:
        value = getattr(version, name)
        if name == "lead_institution":
            value = value.name if value else None
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        changes[name] = [None, value]
    return changes


def _version_save(*, actor: Any, draft: Draft, fields: dict[str, Any]) -> DraftVersion:
    """The write of a new version, after its rule (the demo calls it outside the phase)."""
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a version: {sorted(unknown)}")
    last = DraftVersion.objects.filter(draft=draft).aggregate(last=Max("number"))["last"] or 0
    version = DraftVersion(draft=draft, number=last + 1, created_by=actor, **fields)
    version.full_clean()
    version.save()
    event_record(
        actor=actor,
        action="draftversion.create",
        target=version,
        changes=_version_record(version),
        public=True,
        context=draft,
    )
    return version


def draft_create(
    *, actor: Any, consultation: Consultation, title: str, version: dict[str, Any]
) -> Draft:
    """A new draft of the consultation, published for comment at once with its version 1.
    `version`: the template's fields (VERSION_FIELDS)."""
    _require("drafting.create_draft", actor, consultation)
    return _draft_save(actor=actor, consultation=consultation, title=title, version=version)


def _draft_save(
    *, actor: Any, consultation: Consultation, title: str, version: dict[str, Any]
) -> Draft:
    """The write of `draft_create`, after its rule (the demo calls it outside the phase)."""
    draft = Draft(consultation=consultation, title=title.strip(), created_by=actor)
    with transaction.atomic():
        draft.full_clean()
        draft.save()
        event_record(
            actor=actor,
            action="draft.create",
            target=draft,
            changes={"title": [None, draft.title], "consultation": [None, str(consultation)]},
            public=True,
            context=draft,
        )
        fields = {"change_note": _("First version."), **version}
        _version_save(actor=actor, draft=draft, fields=fields)
    return draft


def draft_version_add(*, actor: Any, draft: Draft, version: dict[str, Any]) -> DraftVersion:
    """A new version of an open draft; the earlier ones stay as they were."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().select_related("consultation").get(pk=draft.pk)
        _require("drafting.add_version", actor, draft)
        return _version_save(actor=actor, draft=draft, fields=version)


def section_comment_add(*, actor: Any, draft: Draft, section: str, body: str) -> SectionComment:
    """A comment on one section of the draft's latest version."""
    _require("drafting.comment", actor, draft)
    return _comment_save(actor=actor, draft=draft, section=section, body=body)


def _comment_save(*, actor: Any, draft: Draft, section: str, body: str) -> SectionComment:
    """The write of `section_comment_add`, after its rule (the demo calls it outside the
    phase)."""
    if section not in SECTION_NAMES:
        raise ValidationError({"section": _("Choose a section of the template.")})
    with transaction.atomic():
        version = DraftVersion.objects.filter(draft=draft).order_by("-number").first()
        if version is None:
            raise ValidationError(_("This draft has no version to comment on."))
        comment = SectionComment(version=version, section=section, author=actor, body=body)
        comment.full_clean()
        comment.save()
        event_record(
            actor=actor,
            action="sectioncomment.create",
            target=comment,
            changes={
                "version": [None, version.number],
                "section": [None, section],
                # The text's hash, not the text: a moderator may hide it (someone's personal
                # data, abuse) and the public log must not keep publishing it.
                "body_sha256": [None, hashlib.sha256(body.encode()).hexdigest()],
            },
            public=True,
            context=draft,
        )
    return comment


def section_comment_hide(
    *, actor: Any, comment: SectionComment, reason: str, note: str = ""
) -> SectionComment:
    """A moderator hides a comment; the reason is public, the text stays for its author."""
    if reason not in SectionComment.HideReason.values:
        raise ValidationError({"hidden_reason": _("Choose why the comment is hidden.")})
    with transaction.atomic():
        comment = (
            SectionComment.objects.select_for_update(of=("self",))
            .select_related("version__draft")
            .get(pk=comment.pk)
        )
        _require("drafting.hide_comment", actor, comment)
        comment.hidden_at = timezone.now()
        comment.hidden_reason = reason
        comment.hidden_note = note.strip()[:300]
        comment.full_clean()
        comment.save()
        event_record(
            actor=actor,
            action="sectioncomment.hide",
            target=comment,
            changes={
                "hidden_reason": [None, reason],
                "hidden_note": [None, comment.hidden_note],
            },
            public=True,
            context=comment.version.draft,
        )
    return comment


def _free_slug(plan_id: int, title: str) -> str:
    base = slugify(title)[:100].strip("-") or "compromiso"
    taken = set(
        Commitment.objects.filter(plan_id=plan_id, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def draft_approve(*, actor: Any, draft: Draft, version: DraftVersion, meeting: Any = None) -> Draft:
    """Record the forum's approval of one version: it becomes a commitment of the consultation's
    plan (the next free number: one past the plan's largest whole number, 3.2.5 and 1.6A aside;
    a slug of its own; the version's fields and milestones) and the draft links to it. A draft
    is approved once."""
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update().select_related("consultation__plan").get(pk=draft.pk)
        )
        if draft.status == Draft.Status.APPROVED:
            raise ValidationError(_("This draft is already approved."))
        _require("drafting.approve", actor, draft)
        if version.draft_id != draft.pk:
            raise ValidationError({"version": _("Choose a version of this draft.")})
        if version.lead_institution_id is None:
            raise ValidationError(
                {"version": _("The version needs a lead institution to become a commitment.")}
            )
        plan = draft.consultation.plan
        numbers = Commitment.objects.filter(plan=plan).values_list("number", flat=True)
        commitment = Commitment(
            plan=plan,
            number=next_whole_number(numbers),
            slug=_free_slug(plan.pk, version.title),
            **{name: getattr(version, name) for name in COMMITMENT_FIELDS},
        )
        commitment = commitment_save(actor=actor, commitment=commitment)
        for number, line in enumerate(version.milestone_lines(), start=1):
            milestone_save(
                actor=actor,
                milestone=Milestone(
                    commitment=commitment,
                    number=number,
                    description=line,
                    responsible_institution_id=version.lead_institution_id,
                ),
            )
        draft.status = Draft.Status.APPROVED
        draft.approved_version = version
        draft.approved_at = timezone.now()
        draft.approved_by = actor
        draft.commitment = commitment
        if meeting is not None:
            draft.approval_meeting = meeting
        draft.full_clean()
        draft.save()
        event_record(
            actor=actor,
            action="draft.approve",
            target=draft,
            changes={
                "status": [Draft.Status.OPEN.value, draft.status],
                "approved_version": [None, version.number],
                "commitment": [None, str(commitment)],
                "approval_meeting": [None, str(meeting) if meeting else None],
            },
            public=True,
            context=draft,
        )
    return draft


def draft_withdraw(*, actor: Any, draft: Draft, reason: str) -> Draft:
    """The point of contact withdraws an open draft, saying why; it stays public."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"withdrawn_reason": _("Say why the draft is withdrawn.")})
    with transaction.atomic():
        draft = Draft.objects.select_for_update().select_related("consultation").get(pk=draft.pk)
        _require("drafting.withdraw", actor, draft)
        draft.status = Draft.Status.WITHDRAWN
        draft.withdrawn_at = timezone.now()
        draft.withdrawn_reason = reason
        draft.full_clean()
        draft.save()
        event_record(
            actor=actor,
            action="draft.withdraw",
            target=draft,
            changes={
                "status": [Draft.Status.OPEN.value, draft.status],
                "withdrawn_reason": [None, reason],
            },
            public=True,
            context=draft,
        )
    return draft
