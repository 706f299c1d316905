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
