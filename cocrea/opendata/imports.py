"""Services of the administration's OGP import (every write of it is here, audited): upload a
commitments file, which is checked in the background (a dry run), then confirm the checked file,
which is imported in the background. The work itself is `ogp_import.import_file`; the tasks are in
tasks.py. Who may: the rule `opendata.import_ogp`.

The file is checked like any upload, from its content: CSV (UTF-8) or XLSX, not empty, not
larger than COCREA_IMPORT_MAX_BYTES. It is kept in the private storage (never served) and deleted
once imported or refused."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cocrea.audit.services import event_record
from cocrea.core.filecheck import file_check
from cocrea.opendata.models import OgpImport
from cocrea.opendata.ogp import Report
from cocrea.plans.rules import allowed

MAX_LISTED = 500  # warnings kept in the stored report; the count is always complete


def _require(actor: Any) -> None:
    """Who may upload at all; each row is then checked against its member (ogp_import)."""
    if not allowed("opendata.upload_ogp", actor):
        raise PermissionDenied


def ogp_file_check(upload: UploadedFile) -> tuple[str, int, str]:
    """(file name, size, SHA-256) of an OGP commitments file; or a ValidationError that says
    what is wrong with it."""
    message = _("The file %(name)s is not a CSV (UTF-8) or XLSX file.")
    try:
        checked = file_check(upload, limit=settings.COCREA_IMPORT_MAX_BYTES, type_message=message)
    except ValidationError as error:
        if error.code != "mismatch":
            raise
        checked = None  # a file of another accepted type (a PDF named .csv, say)
    if checked is None or checked.extension not in {"csv", "xlsx"}:
        name = os.path.basename(upload.name or "").strip()[:200]
        raise ValidationError(message % {"name": name}, code="type")
    return checked.name, checked.size, checked.sha256


def ogp_import_upload(*, actor: Any, upload: UploadedFile) -> OgpImport:
    """Keep the file and queue its check; the report appears on the import's page."""
    from cocrea.opendata.tasks import ogp_import_task

    _require(actor)
    name, size, sha256 = ogp_file_check(upload)
    item = OgpImport(
        file_name=name,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    with transaction.atomic():
        extension = name.rsplit(".", 1)[-1].lower()
        item.file.save(
            f"{timezone.now():%Y%m%d-%H%M%S}-{sha256[:12]}.{extension}", upload, save=False
        )
        stored = str(item.file.name)
        try:
            item.save()
            event_record(
                actor=actor,
                action="ogpimport.upload",
                target=item,
                changes={"file": [None, name], "sha256": [None, sha256], "size": [None, size]},
            )
        except BaseException:
            item.file.storage.delete(stored)
            raise
        transaction.on_commit(lambda: ogp_import_task.enqueue(item.pk, True))
    return item


def ogp_import_confirm(*, actor: Any, item: OgpImport) -> OgpImport:
    """Import a file whose check passed (in the background: the page shows the result)."""
    from cocrea.opendata.tasks import ogp_import_task

    _require(actor)
    with transaction.atomic():
        item = OgpImport.objects.select_for_update().get(pk=item.pk)
        if item.status != OgpImport.Status.CHECKED:
            raise ValidationError(_("Only a file whose check passed can be imported."))
        item.status = OgpImport.Status.IMPORTING
        item.confirmed_by = actor
        item.save(update_fields=["status", "confirmed_by", "updated_at"])
        event_record(
            actor=actor,
            action="ogpimport.confirm",
            target=item,
            changes={"status": [OgpImport.Status.CHECKED, OgpImport.Status.IMPORTING]},
        )
        transaction.on_commit(lambda: ogp_import_task.enqueue(item.pk, False))
    return item


def _stored(report: Report) -> dict[str, Any]:
    return {
        "rows": report.rows,
        "unknown_columns": report.unknown_columns,
        "errors": report.errors,
        "warnings": report.warnings[:MAX_LISTED],
        "warning_count": len(report.warnings),
        "created": report.created,
        "changed": report.changed,
    }


@contextmanager
def _local_copy(item: OgpImport) -> Iterator[Path]:
    """The stored file as a local file with its extension, whatever the storage."""
    suffix = "." + item.file_name.rsplit(".", 1)[-1].lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, item.file.open("rb") as stored:
        for chunk in stored.chunks():
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def ogp_import_run(*, item: OgpImport, dry_run: bool) -> OgpImport:
    """The background step: check (dry run) or import the file and store the report. The
    services the import calls record every change, on behalf of whoever confirmed it."""
    from cocrea.opendata.ogp_import import import_file

    expected = OgpImport.Status.CHECKING if dry_run else OgpImport.Status.IMPORTING
    if item.status != expected:
        return item  # already done (a task run twice)
    actor = item.uploaded_by if dry_run else item.confirmed_by
    try:
        with translation.override(item.language), _local_copy(item) as path:
            report = import_file(path, dry_run=dry_run, actor=actor)
    except Exception as error:
        _finish(item, OgpImport.Status.FAILED, {"failure": str(error)})
        raise
    if not report.ok:
        status = OgpImport.Status.REFUSED
    else:
        status = OgpImport.Status.CHECKED if dry_run else OgpImport.Status.IMPORTED
    return _finish(item, status, _stored(report))


def _finish(item: OgpImport, status: str, report: dict[str, Any]) -> OgpImport:
    now = timezone.now()
    with transaction.atomic():
        item = OgpImport.objects.select_for_update().get(pk=item.pk)
        before = item.status
        item.status = status
        item.report = report
        fields = ["status", "report", "updated_at"]
        if before == OgpImport.Status.CHECKING:
            item.checked_at, fields = now, [*fields, "checked_at"]
        else:
            item.imported_at, fields = now, [*fields, "imported_at"]
        done_with = ""
        if status != OgpImport.Status.CHECKED and item.file:
            # Imported, refused or failed: the file is not needed any more.
            done_with, item.file = item.file.name, None  # type: ignore[assignment]
            fields.append("file")
        item.save(update_fields=fields)
        event_record(
            actor=None,
            action="ogpimport.finish",
            target=item,
            changes={
                "status": [before, status],
                "created": [None, report.get("created", {})],
                "changed": [None, report.get("changed", {})],
                "bad rows": [None, len(report.get("errors", []))],
            },
        )
    if done_with:
        OgpImport._meta.get_field("file").storage.delete(done_with)
    return item
