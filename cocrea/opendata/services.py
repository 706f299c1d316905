"""Writes of the opendata app: API tokens (created and revoked by the institution's
coordinator), and progress-report drafts and their evidence files sent with a token. Every write
is audited; a token's use is an event of its own."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.audit.services import event_record
from cocrea.opendata.models import (
    PREFIX_LENGTH,
    ApiToken,
    OgpHeader,
    OgpRecord,
    new_token,
    token_hash,
)
from cocrea.plans.models import Institution, Milestone
from cocrea.plans.rules import allowed
from cocrea.tracking.models import Evidence, ProgressReport
from cocrea.tracking.services import progress_report_create, progress_report_update
from cocrea.tracking.uploads import evidence_file_check


def api_token_create(*, actor: Any, institution: Institution, name: str) -> tuple[ApiToken, str]:
    """A new token for the institution; the plain token is returned once and never stored."""
    if not allowed("opendata.manage_tokens", actor, institution):
        raise PermissionDenied
    plain = new_token()
    token = ApiToken(
        institution=institution,
        name=name.strip(),
        prefix=plain[: PREFIX_LENGTH + 7],
        hashed=token_hash(plain),
        created_by=actor,
    )
    with transaction.atomic():
        token.full_clean()
        token.save()
        event_record(
            actor=actor,
            action="apitoken.create",
            target=token,
            changes={"name": [None, token.name], "prefix": [None, token.prefix]},
            public=False,
            context=institution,
            institution=institution.name,
        )
    return token, plain


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if not allowed("opendata.manage_tokens", actor, token):
        raise PermissionDenied
    if not token.is_active:
        raise ValidationError(_("This token is already revoked."))
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        event_record(
            actor=actor,
            action="apitoken.revoke",
            target=token,
            changes={"prefix": [None, token.prefix]},
            public=False,
            context=token.institution,
            institution=token.institution.name,
        )
    return token


def api_token_find(plain: str) -> ApiToken | None:
    """The active token with this value, if any (compared by hash)."""
    return (
        ApiToken.objects.select_related("institution", "created_by")
        .filter(hashed=token_hash(plain), revoked_at__isnull=True)
        .first()
    )


def report_draft_submit(
    *,
    token: ApiToken,
    milestone: Milestone,
    completion: str,
    percent: int,
    done: str,
    facts_date: date,
    links: list[tuple[str, str]],
) -> ProgressReport:
    """A progress-report draft from an institution's system: only on a milestone its institution
    is responsible for, and only while the token's creator may still report for it (the
    tracking rule decides, as on the page)."""
    if milestone.responsible_institution_id != token.institution_id:
        raise PermissionDenied
    with transaction.atomic():
        report = progress_report_create(
            actor=token.created_by,
            milestone=milestone,
            completion=completion,
            percent=percent,
            done=done,
            facts_date=facts_date,
            links=links,
        )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        event_record(
            actor=token.created_by,
            action="apitoken.use",
            target=token,
            changes={"report": [None, report.public_id], "prefix": [None, token.prefix]},
            public=False,
            context=token.institution,
            institution=token.institution.name,
        )
    return report


def report_evidence_add(
    *, token: ApiToken, report: ProgressReport, upload: UploadedFile, title: str = ""
) -> Evidence:
    """A file as evidence of a report draft from an institution's system: only on a report of
    its institution, only while the report is a draft or returned and the token's creator may
    still edit it (tracking's rule, as on the page), and only a file that passes the evidence
    check. The file is added through tracking's own update, which records it with its SHA-256;
    `title`, if given, then replaces the file name as the evidence's title. A refusal, or any
    failure on the way, leaves no row, no stored file and no event."""
    if report.institution_id != token.institution_id:
        raise PermissionDenied
    if not allowed("tracking.edit_report", token.created_by, report):
        raise PermissionDenied  # before reading the file: a 403 says more than a bad file
    checked = evidence_file_check(upload)
    stored = ""
    try:
        with transaction.atomic():
            # Locked first, so the evidence this call adds is the only one new after `before`.
            report = ProgressReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
            before = set(report.evidence.values_list("pk", flat=True))
            report = progress_report_update(
                actor=token.created_by,
                report=report,
                completion=report.completion,
                percent=report.percent,
                done=report.done,
                facts_date=report.facts_date,
                files=[checked],
            )
            evidence = report.evidence.exclude(pk__in=before).get()
            stored = str(evidence.file.name)
            title = title.strip()
            if title and title != evidence.title:
                evidence.title = title
                evidence.full_clean()
                evidence.save(update_fields=["title", "updated_at"])
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
            event_record(
                actor=token.created_by,
                action="apitoken.use",
                target=token,
                changes={
                    "report": [None, report.public_id],
                    "evidence": [None, evidence.public_id],
                    "sha256": [None, evidence.sha256],
                    "prefix": [None, token.prefix],
                },
                public=False,
                context=token.institution,
                institution=token.institution.name,
            )
    except BaseException:
        # tracking removes the file if its own update fails; after it, the file is ours to remove.
        if stored:
            default_storage.delete(stored)
        raise
    return evidence


def ogp_records_save(*, records: list[OgpRecord], columns: list[str]) -> None:
    """Keep the rows of an OGP file as it published them (`OgpRecord`), new ones created and
    the others updated in bulk, all under the file's header. Part of an import's transaction;
    not an event of its own: the log records what the import changed in the repository, and
    these are OGP's published cells, not a change Cocrea makes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("OGP rows are kept inside the import's transaction.")
    if not records:
        return
    digest = OgpHeader.digest_of(columns)
    header, _created = OgpHeader.objects.get_or_create(digest=digest, defaults={"columns": columns})
    now = timezone.now()
    for record in records:
        record.header, record.imported_at = header, now
    kept = [r for r in records if r.pk is not None]
    OgpRecord.objects.bulk_create([r for r in records if r.pk is None], batch_size=500)
    OgpRecord.objects.bulk_update(
        kept, ["header", "cells", "modelled", "imported_at"], batch_size=500
    )
