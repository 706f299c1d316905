"""The sentence under a notification's title, worded in the reader's language from the facts
kept with it (the page, the emails and the digests all say it the same way)."""

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocrea.notifications.models import Kind
from cocrea.participation.models import Phase


def _day(value: str) -> str:
    return date_format(date.fromisoformat(value), "DATE_FORMAT")


def describe(notification: Any) -> str:
    """What the notification says beyond its kind and title; empty when nothing more."""
    facts: dict[str, Any] = notification.facts or {}
    try:
        if notification.kind == Kind.MEETING and "starts_at" in facts:
            when = timezone.localtime(datetime.fromisoformat(facts["starts_at"]))
            days = int(facts["notice_days"])
            return ngettext(
                "On %(when)s, announced %(days)d day before.",
                "On %(when)s, announced %(days)d days before.",
                days,
            ) % {"when": date_format(when, "DATETIME_FORMAT"), "days": days}
        if notification.kind == Kind.PHASE and "phase" in facts:
            return _("%(phase)s: opens on %(starts)s and closes on %(ends)s.") % {
                "phase": Phase.Kind(facts["phase"]).label,
                "starts": _day(facts["starts_on"]),
                "ends": _day(facts["ends_on"]),
            }
        if notification.kind == Kind.CLOSING and "phase" in facts:
            return _("%(phase)s: closes on %(ends)s.") % {
                "phase": Phase.Kind(facts["phase"]).label,
                "ends": _day(facts["ends_on"]),
            }
    except (KeyError, TypeError, ValueError):  # facts of an older shape: say nothing more
        return ""
    return ""
