"""Every write to tracking. Each checks the rule on the object, validates, saves inside a
transaction and records its audit event there. Drafts are private events in the chain; a
publication is public and carries the report and the SHA-256 of every file."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.audit.services import Entry, event_record
from cocrea.plans.models import Commitment, Institution, Milestone
from cocrea.plans.rules import allowed, civil_society_organisations
from cocrea.plans.services import milestone_save
from cocrea.tracking.models import Assessment, Evidence, IrmReview, ProgressReport
from cocrea.tracking.uploads import CheckedFile

Link = tuple[str, str]  # (url, title)
_NOT_AUDITED = {"id", "commitment_id", "created_at", "updated_at"}


def _require(permission: str, actor: Any, obj: object) -> None:
    if not allowed(permission, actor, obj):
        raise PermissionDenied


def _evidence_add(
    *,
    owner: ProgressReport | Assessment,
    files: Iterable[CheckedFile],
    links: Iterable[Link],
    stored: list[str],
) -> list[Evidence]:
    added = []
    for checked in files:
        evidence = Evidence(
            title=checked.name,
            file_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        _own(evidence, owner)
        evidence.file.save(f"{evidence.public_id}.{checked.extension}", checked.upload, save=False)
        stored.append(str(evidence.file.name))
        evidence.full_clean()
        evidence.save()
        added.append(evidence)
    for url, title in links:
        evidence = Evidence(url=url, title=title[:200])
        _own(evidence, owner)
        evidence.full_clean()
        evidence.save()
        added.append(evidence)
    return added


def _own(evidence: Evidence, owner: ProgressReport | Assessment) -> None:
    if isinstance(owner, ProgressReport):
        evidence.report = owner
    else:
        evidence.assessment = owner


def _evidence_record(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [
        {"file": e.file_name, "sha256": e.sha256, "size": e.size}
        if e.is_file
        else {"link": e.url, "title": e.title}
        for e in evidence
    ]


def _report_fields(report: ProgressReport) -> dict[str, list[Any]]:
    return {
        "milestone": [None, str(report.milestone)],
        "author": [None, getattr(report.author, "public_name", None)],
        "completion": [None, report.completion],
        "percent": [None, report.percent],
        "done": [None, report.done],
        "facts_date": [None, report.facts_date.isoformat()],
        "corrects": [None, report.corrects.public_id if report.corrects else None],
    }


@contextmanager
def _stored_files() -> Iterator[list[str]]:
    """Files are written to storage before their rows; if the transaction then fails, nothing
    may stay behind, so the names written are removed."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise


def progress_report_create(
    *,
    actor: Any,
    milestone: Milestone,
    completion: str,
    percent: int,
    done: str,
    facts_date: date,
    corrects: ProgressReport | None = None,
    files: Iterable[CheckedFile] = (),
    links: Iterable[Link] = (),
) -> ProgressReport:
    """A draft report on a milestone, by a reporting official of its responsible institution."""
    _require("tracking.report_progress", actor, milestone)
    if corrects is not None and (
        corrects.milestone_id != milestone.pk or corrects.status != ProgressReport.Status.PUBLISHED
    ):
        raise ValidationError(
            {"corrects": _("A correction names a published report of the same milestone.")}
        )
    report = ProgressReport(
        milestone=milestone,
        institution_id=milestone.responsible_institution_id,
        author=actor,
        completion=completion,
        percent=percent,
        done=done,
        facts_date=facts_date,
        corrects=corrects,
    )
    _facts_not_in_future(facts_date)
    with _stored_files() as stored, transaction.atomic():
        report.full_clean()
        report.save()
        evidence = _evidence_add(owner=report, files=files, links=links, stored=stored)
        event_record(
            actor=actor,
            action="progressreport.create",
            target=report,
            changes={**_report_fields(report), "evidence": [None, _evidence_record(evidence)]},
            context=milestone.commitment,
            institution=report.institution.name,
        )
    return report


def _facts_not_in_future(facts_date: date) -> None:
    if facts_date > timezone.localdate():
        raise ValidationError({"facts_date": _("The date of the facts cannot be in the future.")})


def progress_report_update(
    *,
    actor: Any,
    report: ProgressReport,
    completion: str,
    percent: int,
    done: str,
    facts_date: date,
    files: Iterable[CheckedFile] = (),
    links: Iterable[Link] = (),
) -> ProgressReport:
    """Change a draft or a returned report. A submitted or published report cannot change."""
    with _stored_files() as stored, transaction.atomic():
        report = ProgressReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        _require("tracking.edit_report", actor, report)
        before = {
            "completion": report.completion,
            "percent": report.percent,
            "done": report.done,
            "facts_date": report.facts_date.isoformat(),
        }
        report.completion = completion
        report.percent = percent
        report.done = done
        report.facts_date = facts_date
        _facts_not_in_future(facts_date)
        report.full_clean()
        report.save()
        after = {
            "completion": completion,
            "percent": percent,
            "done": done,
            "facts_date": facts_date.isoformat(),
        }
        changes: dict[str, list[Any]] = {
            name: [before[name], after[name]] for name in after if before[name] != after[name]
        }
        evidence = _evidence_add(owner=report, files=files, links=links, stored=stored)
        if evidence:
            changes["evidence"] = [None, _evidence_record(evidence)]
        event_record(
            actor=actor,
            action="progressreport.update",
            target=report,
            changes=changes,
            context=report.milestone.commitment,
            institution=report.institution.name,
        )
    return report


def progress_report_submit(*, actor: Any, report: ProgressReport) -> ProgressReport:
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        _require("tracking.submit_report", actor, report)
        before = report.status
        report.status = ProgressReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.return_reason = ""
        report.save()
        event_record(
            actor=actor,
            action="progressreport.submit",
            target=report,
            changes={"status": [before, report.status]},
            context=report.milestone.commitment,
            institution=report.institution.name,
        )
    return report


def progress_report_return(*, actor: Any, report: ProgressReport, reason: str) -> ProgressReport:
    """The point of contact sends a submitted report back to its institution, saying why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        _require("tracking.return_report", actor, report)
        report.status = ProgressReport.Status.RETURNED
        report.return_reason = reason[:2000]
        report.save()
        event_record(
            actor=actor,
            action="progressreport.return",
            target=report,
            changes={"status": ["submitted", "returned"], "return_reason": [None, reason]},
            context=report.milestone.commitment,
        )
    return report


def progress_report_publish(*, actor: Any, report: ProgressReport) -> ProgressReport:
    """Publish a submitted report: from now on it is public and never changes. The milestone's
    official completion becomes that of its latest published report (by date of the facts)."""
    with transaction.atomic():
        report = (
            ProgressReport.objects.select_for_update(of=("self",))
            .select_related("milestone__commitment", "institution", "corrects")
            .get(pk=report.pk)
        )
        _require("tracking.publish_report", actor, report)
        report.status = ProgressReport.Status.PUBLISHED
        report.published_at = timezone.now()
        report.published_by = actor
        report.save()
        changes = _report_fields(report)
        changes["status"] = ["submitted", "published"]
        changes["evidence"] = [None, _evidence_record(report.evidence.all())]
        event_record(
            actor=actor,
            action="progressreport.publish",
            target=report,
            changes=changes,
            public=True,
            context=report.milestone.commitment,
            institution=report.institution.name,
        )
        milestone = report.milestone
        latest = (
            ProgressReport.objects.filter(
                milestone=milestone, status=ProgressReport.Status.PUBLISHED
            )
            .order_by("-facts_date", "-published_at", "-pk")
            .first()
        )
        if latest is not None and milestone.completion != latest.completion:
            milestone.completion = latest.completion
            milestone_save(actor=actor, milestone=milestone)
    return report


def assessment_publish(
    *,
    actor: Any,
    commitment: Commitment,
    organisation: Institution,
    completion: str,
    reading: str,
    milestone: Milestone | None = None,
    files: Iterable[CheckedFile] = (),
    links: Iterable[Link] = (),
) -> Assessment:
    """Civil society's reading of a commitment (or one of its milestones), published at once in
    the name of an organisation the author belongs to."""
    _require("tracking.assess", actor, commitment)
    if organisation.pk not in {o.pk for o in civil_society_organisations(actor, commitment)}:
        raise PermissionDenied
    if milestone is not None and milestone.commitment_id != commitment.pk:
        raise ValidationError({"milestone": _("Choose a milestone of this commitment.")})
    assessment = Assessment(
        commitment=commitment,
        milestone=milestone,
        organisation=organisation,
        author=actor,
        completion=completion,
        reading=reading,
        published_at=timezone.now(),
    )
    with _stored_files() as stored, transaction.atomic():
        assessment.full_clean()
        assessment.save()
        evidence = _evidence_add(owner=assessment, files=files, links=links, stored=stored)
        event_record(
            actor=actor,
            action="assessment.publish",
            target=assessment,
            changes={
                "milestone": [None, str(milestone) if milestone else None],
                "completion": [None, completion],
                "reading": [None, reading],
                "evidence": [None, _evidence_record(evidence)],
            },
            public=True,
            context=commitment,
            institution=organisation.name,
        )
    return assessment


def irm_review_save(*, actor: Any, commitment: Commitment, review: IrmReview) -> IrmReview:
    """Record or correct the IRM's findings on a commitment (the point of contact). The event
    is public and carries every finding changed, so earlier values stay in the history."""
    _require("tracking.record_irm_review", actor, commitment)
    return irm_review_import(actor=actor, commitment=commitment, review=review)


def irm_review_import(*, actor: Any, commitment: Commitment, review: IrmReview) -> IrmReview:
    """The write of irm_review_save without its rule, for an import run by an administrator
    from the command line (opendata's OGP importer): the same validation and public event,
    and nothing recorded when nothing changed."""
    review.commitment = commitment
    fields = [f.attname for f in IrmReview._meta.concrete_fields if f.attname not in _NOT_AUDITED]
    with transaction.atomic():
        stored = IrmReview.objects.select_for_update().filter(commitment=commitment).first()
        before = {name: getattr(stored, name) for name in fields} if stored else None
        if stored is not None:
            for name in fields:
                setattr(stored, name, getattr(review, name))
            review = stored
        review.full_clean()
        changes = {
            name: [before[name] if before else None, getattr(review, name)]
            for name in fields
            if before is None or before[name] != getattr(review, name)
        }
        if before is not None and not changes:
            return review
        review.save()
        event_record(
            actor=actor,
            action=f"irmreview.{'create' if before is None else 'update'}",
            target=review,
            changes=changes,
            public=True,
            context=commitment,
        )
    return review


def irm_reviews_import(*, actor: Any, reviews: list[IrmReview], events: list[Entry]) -> None:
    """The IRM's findings of a bulk import (opendata's OGP importer), validated by its caller:
    new ones created and changed ones updated in bulk, with the public event irm_review_import
    records for each. What changed is compared with the rows as they are now, in this
    transaction; a review with no change writes nothing. The events are appended to `events`,
    for the caller to record last in the same transaction (`plans.services.repository_import`
    says why)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An import is written inside the transaction that records it.")
    fields = [f.attname for f in IrmReview._meta.concrete_fields if f.attname not in _NOT_AUDITED]
    with transaction.atomic():
        new = [review for review in reviews if review.pk is None]
        IrmReview.objects.bulk_create(new, batch_size=500)
        entries = [_irm_entry(actor, review, None, fields) for review in new]
        old = [review for review in reviews if review.pk is not None]
        stored: dict[int, IrmReview] = {}
        ids = [review.pk for review in old]
        for start in range(0, len(ids), 500):
            query = IrmReview.objects.filter(pk__in=ids[start : start + 500])
            if transaction.get_connection().features.has_select_for_update:
                query = query.select_for_update()
            stored.update((review.pk, review) for review in query)
        changed, now = [], timezone.now()
        for review in old:
            before = stored.get(review.pk)
            if before is None:  # deleted meanwhile: nothing to update
                continue
            entry = _irm_entry(actor, review, {n: getattr(before, n) for n in fields}, fields)
            if entry.changes:
                review.updated_at = now
                changed.append(review)
                entries.append(entry)
        IrmReview.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=500)
    events += entries


def _irm_entry(
    actor: Any, review: IrmReview, before: dict[str, Any] | None, fields: list[str]
) -> Entry:
    changes = {
        name: [before[name] if before else None, getattr(review, name)]
        for name in fields
        if before is None or before[name] != getattr(review, name)
    }
    return Entry(
        actor=actor,
        action=f"irmreview.{'create' if before is None else 'update'}",
        target=review,
        changes=changes,
        public=True,
        context=review.commitment,
    )
