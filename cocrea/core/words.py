"""Figures as people say them, in the active language: sizes ("165 KB"), durations ("97 días")
and plain numbers ("1,5"), with Django's number formatting (decimal separator of the language).
The Jinja filters of the same names (`core/jinja.py`) call these, and so does any Python that
writes a sentence (the audit history, `audit/display.py`)."""

from datetime import date, datetime
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

_KB = 1024
_UNITS = ((_KB**3, "GB"), (_KB**2, "MB"), (_KB, "KB"))


def number(value: Any, decimals: int = 1) -> str:
    """A number with at most `decimals` decimals, none when it is whole: 97.0 is "97", 2.25 is
    "2,3" in Spanish. Text that is not a number is returned as it is."""
    if value is None or value == "":
        return ""
    try:
        float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(floatformat(value, -decimals))


def filesize(value: Any) -> str:
    """A size in bytes as "820 bytes", "165 KB", "2,4 MB": kilobytes whole (a decimal there says
    nothing to a reader), one decimal below ten megabytes or gigabytes."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    for factor, unit in _UNITS:
        if size >= factor:
            amount = size / factor
            figure = number(amount, 1 if unit != "KB" and amount < 10 else 0)
            return {
                "GB": gettext("%(size)s GB"),
                "MB": gettext("%(size)s MB"),
                "KB": gettext("%(size)s KB"),
            }[unit] % {"size": figure}
    return ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": size}


def days(value: Any) -> str:
    """A duration in days: "1 día", "97 días", "2,5 días" (a median can fall between two)."""
    if value is None or value == "":
        return ""
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return str(value)
    figure = number(amount, 1)
    count = int(amount) if amount == int(amount) else 2  # "1,5 días" is plural
    return ngettext("%(num)s day", "%(num)s days", count) % {"num": figure}


def day(value: date | datetime | str | None) -> str:
    """A date in words ("3 de diciembre de 2026"), from a date, an aware datetime (its day in the
    site's zone) or an ISO text; anything else is returned as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text) if len(text) <= 10 else _parse(text)
        except ValueError:
            return text
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def moment(value: datetime | str | None) -> str:
    """A date and time in words, in the site's zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = _parse(text)
        except ValueError:
            return text
    if value.tzinfo is not None:
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
