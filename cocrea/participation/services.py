"""Every write to a consultation. Each checks the rule on its object, validates, saves inside a
transaction and records its audit event there.

What people write (proposals, comments) is chained in the audit log by its SHA-256, not its
text: a moderator may hide a text for carrying someone's personal data, and the public log must
not keep publishing it. Responses, workshops, timelines and moderation decisions are public in
full."""

import hashlib
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.audit.services import event_record
from cocrea.participation.events import comment_added, proposal_answered, proposal_created
from cocrea.participation.models import (
    Comment,
    Consultation,
    ConsultationFigures,
    Flag,
    Phase,
    Proposal,
    Response,
    StandardAssessment,
    Support,
    Workshop,
)
from cocrea.participation.selectors import figures_count
from cocrea.plans.models import ActionPlan, Commitment, Institution, Membership, PolicyArea
from cocrea.plans.rules import allowed, civil_society_organisations


def _require(permission: str, actor: Any, obj: object) -> None:
    if not allowed(permission, actor, obj):
        raise PermissionDenied


def _digest(*texts: str) -> str:
    return hashlib.sha256("\n\n".join(texts).encode()).hexdigest()


def consultation_figures_refresh(*, consultation: Consultation) -> None:
    """Count the consultation's figures again and keep them (models.ConsultationFigures).

    Called inside the writer's transaction after its audit event: the event's data-version
    update row-locks the version, so on PostgreSQL a second writer counts only once the first
    has committed, and sees its rows; on SQLite writers take turns anyway. The seeders call it
    after their bulk writes."""
    figures = figures_count(consultation=consultation)
    ConsultationFigures.objects.update_or_create(
        consultation=consultation, defaults=asdict(figures)
    )


def consultation_save(*, actor: Any, consultation: Consultation) -> Consultation:
    """Create or change a consultation (the timeline's text, its slug)."""
    _require("participation.manage_consultation", actor, consultation)
    created = consultation.pk is None
    with transaction.atomic():
        consultation.full_clean()
        consultation.save()
        event_record(
            actor=actor,
            action="consultation.create" if created else "consultation.update",
            target=consultation,
            changes={"title": [None, consultation.title], "slug": [None, consultation.slug]},
            public=consultation.is_published,
            context=consultation.plan,
        )
    return consultation


def phase_save(*, actor: Any, phase: Phase) -> Phase:
    """Set a phase's dates. Once the timeline is public, each change is a public event, so a
    date moved late stays visible in the history."""
    _require("participation.manage_consultation", actor, phase.consultation)
    created = phase.pk is None
    with transaction.atomic():
        phase.full_clean()
        phase.save()
        event_record(
            actor=actor,
            action="phase.create" if created else "phase.update",
            target=phase,
            changes={
                "kind": [None, phase.kind],
                "starts_on": [None, phase.starts_on.isoformat()],
                "ends_on": [None, phase.ends_on.isoformat()],
            },
            public=phase.consultation.is_published,
            context=phase.consultation.plan,
        )
    return phase


def consultation_publish(*, actor: Any, consultation: Consultation) -> Consultation:
    """Publish the timeline. It needs a proposal phase, and its date of publication is what the
    co-creation standards panel compares with the opening of proposals."""
    _require("participation.manage_consultation", actor, consultation)
    if consultation.is_published:
        raise ValidationError(_("The timeline is already public."))
    if not consultation.phases.filter(kind=Phase.Kind.PROPOSALS).exists():
        raise ValidationError(_("A consultation needs a proposal phase before it is published."))
    with transaction.atomic():
        consultation.published_at = timezone.now()
        consultation.save(update_fields=["published_at", "updated_at"])
        event_record(
            actor=actor,
            action="consultation.publish",
            target=consultation,
            changes={
                "phases": [
                    None,
                    [
                        [phase.kind, phase.starts_on.isoformat(), phase.ends_on.isoformat()]
                        for phase in consultation.ordered_phases()
                    ],
                ]
            },
            public=True,
            context=consultation.plan,
        )
    return consultation


def _check_organisation(actor: Any, organisation: Institution | None) -> None:
    if organisation is None:
        return
    if not Membership.objects.filter(
        user=actor, institution=organisation, status=Membership.Status.APPROVED
    ).exists():
        raise ValidationError(
            {"organisation": _("You can only propose on behalf of an organisation you belong to.")}
        )


def proposal_create(
    *,
    actor: Any,
    consultation: Consultation,
    title: str,
    problem: str,
    proposal: str,
    policy_area: PolicyArea | None = None,
    department: str = "",
    municipality: str = "",
    organisation: Institution | None = None,
    workshop: Workshop | None = None,
    follow: bool = False,
) -> Proposal:
    """A proposal from the actor during the proposal phase; or, by the point of contact,
    input gathered at an in-person workshop (recorded afterwards, so any phase). `follow`: the
    author asked to follow it (announced with `proposal_created`)."""
    if workshop is not None:
        if workshop.consultation_id != consultation.pk:
            raise ValidationError({"workshop": _("That workshop belongs to another consultation.")})
        _require("participation.record_workshop", actor, consultation)
    else:
        _require("participation.propose", actor, consultation)
    _check_organisation(actor, organisation)
    item = Proposal(
        consultation=consultation,
        author=actor,
        organisation=organisation,
        workshop=workshop,
        title=title.strip(),
        problem=problem.strip(),
        proposal=proposal.strip(),
        policy_area=policy_area,
        department=department,
        municipality=municipality.strip(),
    )
    with transaction.atomic():
        item.full_clean()
        item.save()
        event_record(
            actor=actor,
            action="proposal.create",
            target=item,
            changes={
                "public_id": [None, item.public_id],
                "text_sha256": [None, _digest(item.title, item.problem, item.proposal)],
                "workshop": [None, workshop.public_id if workshop else None],
                "organisation": [None, organisation.name if organisation else None],
            },
            public=True,
            context=consultation.plan,
            institution=organisation.name if organisation else "",
        )
        consultation_figures_refresh(consultation=consultation)
        transaction.on_commit(
            lambda: proposal_created.send(
                sender=Proposal, proposal=item, actor=actor, follow=follow
            )
        )
    return item


def support_add(*, actor: Any, proposal: Proposal) -> Support:
    """One support per person, kept by a database constraint (two parallel clicks make one)."""
    _require("participation.support", actor, proposal)
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, user=actor)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            event_record(
                actor=actor,
                action="proposal.support",
                target=proposal,
                changes={},
                public=False,
                context=proposal.consultation.plan,
            )
            consultation_figures_refresh(consultation=proposal.consultation)
    except IntegrityError:
        raise ValidationError(_("You already support this proposal.")) from None
    return support


def comment_add(
    *,
    actor: Any,
    proposal: Proposal,
    body: str,
    parent: Comment | None = None,
    follow: bool = False,
) -> Comment:
    """A comment, or a reply. A reply to a reply joins the thread of its top-level comment.
    `follow`: the author asked to follow the proposal (announced with `comment_added`)."""
    _require("participation.comment", actor, proposal)
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ValidationError(_("You can only reply to a comment on the same proposal."))
        if parent.is_hidden:
            raise ValidationError(_("This comment was hidden by a moderator."))
        parent = parent.parent or parent
    comment = Comment(proposal=proposal, parent=parent, author=actor, body=body.strip())
    with transaction.atomic():
        comment.full_clean()
        comment.save()
        Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
        event_record(
            actor=actor,
            action="comment.create",
            target=comment,
            changes={
                "proposal": [None, proposal.public_id],
                "in_reply_to": [None, parent.public_id if parent else None],
                "text_sha256": [None, _digest(comment.body)],
            },
            public=True,
            context=proposal.consultation.plan,
        )
        consultation_figures_refresh(consultation=proposal.consultation)
        transaction.on_commit(
            lambda: comment_added.send(
                sender=Comment, comment=comment, proposal=proposal, actor=actor, follow=follow
            )
        )
    return comment


def _check_response(
    proposal: Proposal, kind: str, commitments: list[Commitment], merged_into: Proposal | None
) -> None:
    errors: dict[str, str] = {}
    if kind in Response.INTO_COMMITMENTS:
        if not commitments:
            errors["commitments"] = _("Name the commitments the proposal was adopted into.")
        elif any(c.plan_id != proposal.consultation.plan_id for c in commitments):
            errors["commitments"] = _("A proposal is adopted into commitments of its own plan.")
    elif commitments:
        errors["commitments"] = _("Only an adopted proposal names commitments.")
    if kind == Response.Kind.MERGED:
        if merged_into is None:
            errors["merged_into"] = _("Name the proposal it was merged into.")
        elif merged_into.pk == proposal.pk:
            errors["merged_into"] = _("A proposal cannot be merged into itself.")
        elif merged_into.consultation_id != proposal.consultation_id:
            errors["merged_into"] = _("A proposal is merged into one of the same consultation.")
    elif merged_into is not None:
        errors["merged_into"] = _("Only a merged proposal names another proposal.")
    if errors:
        raise ValidationError(errors)


def response_save(
    *,
    actor: Any,
    proposal: Proposal,
    kind: str,
    reasons: str,
    commitments: Iterable[Commitment] = (),
    merged_into: Proposal | None = None,
) -> Response:
    """The point of contact's public answer, always with its reasons. Changing an answer keeps
    the date of the first one (what the median days to an answer counts) and is a public event
    with the change. The proposer is told after the commit."""
    _require("participation.respond", actor, proposal)
    commitments = list(commitments)
    _check_response(proposal, kind, commitments, merged_into)
    response = Response.objects.filter(proposal=proposal).first()
    before = {"kind": response.kind, "reasons": response.reasons} if response else {"kind": None}
    if response is None:
        response = Response(proposal=proposal, answered_at=timezone.now())
    response.kind = kind
    response.reasons = reasons.strip()
    response.merged_into = merged_into
    response.author = actor
    # Two answers sent at once (a double click, two tabs) both find no answer above; the
    # second then meets the first in the one-answer-per-proposal constraint (issue #20).
    try:
        with transaction.atomic():
            response.full_clean()
            response.save()
            response.commitments.set(commitments)
            event_record(
                actor=actor,
                action="response.save",
                target=response,
                changes={
                    "proposal": [None, proposal.public_id],
                    "kind": [before["kind"], kind],
                    "reasons": [before.get("reasons"), response.reasons],
                    "commitments": [None, [str(c) for c in commitments]],
                    "merged_into": [None, merged_into.public_id if merged_into else None],
                },
                public=True,
                context=proposal.consultation.plan,
            )
            consultation_figures_refresh(consultation=proposal.consultation)
            transaction.on_commit(
                lambda: proposal_answered.send(sender=Response, response=response)
            )
    except IntegrityError:
        raise ValidationError(
            _(
                "Another answer to this proposal was saved a moment ago. Look at it and change"
                " it if needed."
            )
        ) from None
    return response


def workshop_record(*, actor: Any, workshop: Workshop) -> Workshop:
    """An in-person workshop of the consultation: where, when, how many took part."""
    _require("participation.record_workshop", actor, workshop.consultation)
    workshop.recorded_by = actor
    if workshop.held_on and workshop.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A workshop is recorded once it has been held.")})
    with transaction.atomic():
        workshop.full_clean()
        workshop.save()
        event_record(
            actor=actor,
            action="workshop.record",
            target=workshop,
            changes={
                "title": [None, workshop.title],
                "held_on": [None, workshop.held_on.isoformat()],
                "place": [None, workshop.place],
                "department": [None, workshop.department],
                "participants": [None, workshop.participants],
            },
            public=True,
            context=workshop.consultation.plan,
        )
        consultation_figures_refresh(consultation=workshop.consultation)
    return workshop


def flag_add(*, actor: Any, target: Proposal | Comment, reason: str, note: str = "") -> Flag:
    _require("participation.flag", actor, target)
    flag = Flag(user=actor, reason=reason, note=note.strip())
    if isinstance(target, Proposal):
        flag.proposal = target
    else:
        flag.comment = target
    try:
        with transaction.atomic():
            flag.full_clean()
            flag.save()
            event_record(
                actor=actor,
                action="content.flag",
                target=target,
                changes={"reason": [None, reason]},
                public=False,
                context=_plan_of(target),
            )
    except IntegrityError:
        raise ValidationError(_("You have already flagged this.")) from None
    return flag


def _plan_of(target: Proposal | Comment) -> ActionPlan:
    proposal = target if isinstance(target, Proposal) else target.proposal
    return proposal.consultation.plan


def content_hide(*, actor: Any, target: Proposal | Comment, reason: str, note: str = "") -> None:
    """A moderator hides a proposal or comment with a public reason; its flags are resolved."""
    _require("participation.moderate", actor, target)
    if reason not in target.HideReason.values:
        raise ValidationError({"reason": _("Choose the reason for hiding it.")})
    if target.is_hidden:
        raise ValidationError(_("It is already hidden."))
    now = timezone.now()
    with transaction.atomic():
        target.hidden_at = now
        target.hidden_reason = reason
        target.hidden_note = note.strip()[:300]
        target.full_clean()
        target.save(update_fields=["hidden_at", "hidden_reason", "hidden_note", "updated_at"])
        target.flags.filter(resolved_at__isnull=True).update(resolved_at=now)
        event_record(
            actor=actor,
            action="content.hide",
            target=target,
            changes={"reason": [None, reason], "note": [None, target.hidden_note]},
            public=True,
            context=_plan_of(target),
        )


def content_restore(*, actor: Any, target: Proposal | Comment) -> None:
    _require("participation.moderate", actor, target)
    if not target.is_hidden:
        raise ValidationError(_("It is not hidden."))
    with transaction.atomic():
        target.hidden_at = None
        target.hidden_reason = ""
        target.hidden_note = ""
        target.save(update_fields=["hidden_at", "hidden_reason", "hidden_note", "updated_at"])
        event_record(
            actor=actor, action="content.restore", target=target, public=True,
            context=_plan_of(target),
        )  # fmt: skip


def flags_dismiss(*, actor: Any, target: Proposal | Comment) -> int:
    """The moderator looked and keeps the content: its open flags are closed."""
    _require("participation.moderate", actor, target)
    with transaction.atomic():
        count = target.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        event_record(
            actor=actor,
            action="content.keep",
            target=target,
            changes={"flags": [None, count]},
            public=True,
            context=_plan_of(target),
        )
    return count


def standard_assess(
    *,
    actor: Any,
    plan: ActionPlan,
    standard: int,
    organisation: Institution,
    rating: str,
    reading: str,
    evidence_url: str = "",
) -> StandardAssessment:
    """A civil-society organisation's published reading of one co-creation standard."""
    _require("participation.assess_standard", actor, plan)
    if organisation not in civil_society_organisations(actor, plan):
        raise ValidationError(
            {
                "organisation": _(
                    "You can only publish for a civil-society organisation you belong to."
                )
            }
        )
    assessment = StandardAssessment(
        plan=plan,
        standard=standard,
        organisation=organisation,
        author=actor,
        rating=rating,
        reading=reading.strip(),
        evidence_url=evidence_url.strip(),
        published_at=timezone.now(),
    )
    with transaction.atomic():
        assessment.full_clean()
        assessment.save()
        event_record(
            actor=actor,
            action="standard.assess",
            target=assessment,
            changes={
                "standard": [None, standard],
                "rating": [None, rating],
                "reading": [None, assessment.reading],
                "evidence_url": [None, assessment.evidence_url],
            },
            public=True,
            context=plan,
            institution=organisation.name,
        )
    return assessment
