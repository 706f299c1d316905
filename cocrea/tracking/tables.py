"""The rows of the dashboards' milestone tables, built in Python like the charts beside them
(charts.py) and like the institution page's (plans/jinja_globals.py, which says why)."""

from collections.abc import Iterable
from types import SimpleNamespace

from django.utils.safestring import SafeString, mark_safe

from cocrea.core.jinja import url
from cocrea.plans.jinja_globals import (
    completion_badge,
    end_cell,
    escape,
    overdue_mark,
    short_date,
)


def _shorten(text: str, length: int = 120) -> str:
    """Cut at a word before `length`, as Jinja's `truncate` did, allowing five characters more
    before cutting at all."""
    if len(text) <= length + 5:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"


def milestone_rows(rows: Iterable[SimpleNamespace]) -> SafeString:
    """Number (linking to its commitment), description, responsible, end and completion."""
    overdue = overdue_mark()
    parts = []
    for m in rows:
        link = url("plans:commitment", plan_slug=m.commitment__plan__slug, slug=m.commitment__slug)
        responsible = m.responsible_institution__acronym or m.responsible_institution__name
        parts.append(
            f'<tr><td><a href="{escape(link)}">{escape(m.code)}</a></td>'
            f"<td>{escape(_shorten(m.description))}</td>"
            f"<td>{escape(responsible)}</td>"
            f"<td>{end_cell(m.end_date)}{overdue if m.overdue else ''}</td>"
            f"<td>{completion_badge(m.completion)}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


def timeline_rows(rows: Iterable[SimpleNamespace]) -> SafeString:
    """Number, start, end and completion: the timeline chart as a table."""
    overdue = overdue_mark()
    parts = []
    for m in rows:
        start = short_date(m.start_date) if m.start_date else "—"
        end = short_date(m.end_date) if m.end_date else "—"
        parts.append(
            f"<tr><td>{escape(m.code)}</td><td>{start}</td><td>{end}</td>"
            f"<td>{completion_badge(m.completion)}{overdue if m.overdue else ''}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above
