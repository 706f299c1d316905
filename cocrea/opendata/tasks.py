"""Background work of open data (django-tasks, run by `manage.py run_worker`): the bulk export
and the administration's OGP imports (imports.py).

After a change, the bulk files are exported again: `export_soon` receives `core.signals
.data_changed` (sent after every committed change) and enqueues one export to run
COCREA_OPENDATA_EXPORT_DELAY seconds later, so the changes of those seconds are exported together
rather than one export per change. The cache remembers that one is queued (`cache.add` is atomic:
with a shared cache, one per span across every worker)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

from cocrea.opendata import imports
from cocrea.opendata.export import export_published
from cocrea.opendata.models import OgpImport

QUEUED = "opendata:export-queued"
TASK = "cocrea.opendata.tasks.opendata_export"


@task(takes_context=True)
def opendata_export(context: TaskContext) -> str:
    """Export every public table into COCREA_OPENDATA_ROOT; the zip's name is the result, or
    nothing when another export started after this one was queued: that one read every change
    this one was queued for. Several are queued in one span only while the cache is away (its
    `add` then answers "queue it", cocrea/core/cache.py): they cost one export, not one each."""
    mine = context.task_result
    if (
        DBTaskResult.objects.filter(task_path=TASK, started_at__gt=mine.enqueued_at)
        .exclude(pk=mine.id)
        .exists()
    ):
        return ""
    return export_published().name


def export_soon(**kwargs: Any) -> None:
    delay = settings.COCREA_OPENDATA_EXPORT_DELAY
    if not cache.add(QUEUED, True, timeout=max(delay, 1)):
        return
    opendata_export.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()


@task()
def ogp_import_task(import_id: int, dry_run: bool) -> str:
    """Check (dry run) or import an uploaded OGP file; its new status is the result."""
    item = OgpImport.objects.select_related("uploaded_by", "confirmed_by").get(pk=import_id)
    return str(imports.ogp_import_run(item=item, dry_run=dry_run).status)
