"""The data version: what the page cache keys on. See `DataVersion`."""

from django.db.models import F

from cocrea.core.models import DataVersion


def data_version_bump() -> None:
    """Called inside the writer's transaction: the row lock orders concurrent writers, and the
    new value becomes visible exactly when the change does, at commit."""
    if DataVersion.objects.filter(pk=1).update(value=F("value") + 1) == 0:
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def data_version_get() -> int:
    """Read on every cached page: one query of one row and column."""
    value = DataVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0
