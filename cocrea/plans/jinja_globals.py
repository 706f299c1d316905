"""Jinja2 helpers for the pieces of markup in every row of the lists: functions rather than
includes, because an include per row cost more than the rest of the row (benchmark)."""

import html
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from cocrea.core.i18n import language
from cocrea.core.jinja import date_filter, translate, url
from cocrea.plans.models import Milestone


def progress_bar(value: int | None, name: str = "") -> SafeString:
    """A commitment's progress as a bar and its figure; called once per row of every list, so
    built with an f-string and translations memoised per language (format_html and gettext were
    most of its time)."""
    if value is None:
        missing = escape(translate(gettext_noop("No progress figure")))
        return mark_safe(f'<span class="muted">{missing}</span>')  # noqa: S308 - escaped
    label = translate(gettext_noop("Progress"))
    if name:
        label = f"{label}: {name}"
    percent = int(value)
    return mark_safe(  # noqa: S308 - the label is escaped, the figure a whole number
        f'<span class="progress"><progress value="{percent}" max="100" '
        f'aria-label="{escape(label)}">{percent} %</progress> <span>{percent} %</span></span>'
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


# Rows of the long milestone tables, built here rather than in the template: a table of fifty
# to a hundred milestones called a helper per cell (address, dates, badge), and in a template
# each call went through Jinja's call machinery, a fifth of the page (benchmark, ADR 4). Every
# piece of text goes through `escape`; numbers, dates, addresses and badges are ours. The table
# heads stay in the templates; tracking's dashboards build their rows the same way.


def escape(text: object) -> str:
    return html.escape(str(text))


def overdue_mark() -> str:
    overdue = escape(gettext("Overdue"))
    return f' <strong class="overdue">{overdue}</strong>'


def end_cell(day: date | None) -> str:
    """A milestone's end date as a <time>, short, in the active language."""
    return "" if day is None else _end_cell(day, language())


@lru_cache(maxsize=4096)
def _end_cell(day: date, language: str) -> str:
    return f'<time datetime="{date_filter(day, "Y-m-d")}">{short_date(day)}</time>'


def short_date(day: date) -> str:
    """A date in the active language's short format, escaped; memoised like the dates of the
    templates, for the tables that show a hundred of them."""
    return _short_date(day, language())


@lru_cache(maxsize=4096)
def _short_date(day: date, language: str) -> str:
    return escape(date_filter(day, "SHORT_DATE_FORMAT"))


def institution_milestone_rows(rows: Iterable[Any]) -> SafeString:
    """The institution page's milestones: description, commitment (plan.number and title,
    linked), end with its overdue mark, completion."""
    overdue = overdue_mark()
    parts = []
    for m in rows:
        link = url("plans:commitment", plan_slug=m.commitment__plan__slug, slug=m.commitment__slug)
        row_class = ' class="row-overdue"' if m.overdue else ""
        parts.append(
            f"<tr{row_class}><td>{escape(m.description)}</td>"
            f'<td><a href="{escape(link)}">{m.commitment__plan__number}.{m.commitment__number} '
            f"{escape(m.commitment__title)}</a></td>"
            f"<td>{end_cell(m.end_date)}{overdue if m.overdue else ''}</td>"
            f"<td>{completion_badge(m.completion)}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


JINJA_GLOBALS = {
    "progress_bar": progress_bar,
    "completion_badge": completion_badge,
    "institution_milestone_rows": institution_milestone_rows,
}
