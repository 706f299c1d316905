"""Jinja2 helpers of the forum (listed in the COCREA_JINJA_GLOBALS setting)."""

from datetime import datetime

from django.utils import formats, timezone


def local_datetime(value: datetime | None, format_name: str = "DATETIME_FORMAT") -> str:
    """An aware date and time shown in the site's time zone (America/Guatemala), in the active
    language; "c" gives the ISO form for `datetime` attributes."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if format_name == "c":
        return local.isoformat(timespec="minutes")
    return formats.date_format(local, format_name)


def local_time(value: datetime | None) -> str:
    return "" if value is None else formats.time_format(timezone.localtime(value), "TIME_FORMAT")


JINJA_GLOBALS = {
    "local_datetime": local_datetime,
    "local_time": local_time,
}
