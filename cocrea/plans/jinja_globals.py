"""Jinja2 helpers for the pieces of markup in every row of the lists: functions rather than
includes, because an include per row cost more than the rest of the row (benchmark)."""

from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from cocrea.core.i18n import language
from cocrea.plans.models import Milestone


def progress_bar(value: int | None, name: str = "") -> SafeString:
    if value is None:
        return format_html('<span class="muted">{}</span>', gettext("No progress figure"))
    label = gettext("Progress")
    if name:
        label = f"{label}: {name}"
    return format_html(
        '<span class="progress"><progress value="{0}" max="100" aria-label="{1}">{0} %</progress>'
        " <span>{0} %</span></span>",
        value,
        label,
    )


def completion_badge(value: str | None) -> SafeString:
    return _completion_badge(value, language())


@lru_cache(maxsize=64)
def _completion_badge(value: str | None, language: str) -> SafeString:
    if not value:
        return format_html('<span class="badge">{}</span>', gettext("No milestones"))
    return format_html(
        '<span class="badge badge--{}">{}</span>', value, Milestone.Completion(value).label
    )


JINJA_GLOBALS = {"progress_bar": progress_bar, "completion_badge": completion_badge}
