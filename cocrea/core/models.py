from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class DataVersion(models.Model):
    """One row whose value goes up in every transaction that changes public data (through the
    audit log, which every service writes) and after every migration. Public pages are cached
    under the current value, so a committed change is visible on the very next request, in every
    process, whatever the cache backend."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return str(self.value)


class WorkerHeartbeat(models.Model):
    """The background worker's sign of life (`manage.py run_worker`): one row per running
    worker, its time updated as its loop goes round, read by `/health/worker/`. Operational
    state, like the data version: no audit event, no page-cache bump."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self) -> str:
        return self.worker_id
