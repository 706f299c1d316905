"""Charts as SVG drawn on the server: no JavaScript, no chart library, a few kilobytes each.
Every chart is shown with a table of the same numbers (the templates put it beside the chart),
so the SVG is a picture of the table and screen readers read the table."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

# Drawn for a phone: 320 units wide, shown between 320 and 352 px wide (site.css), so that a unit
# is about a pixel on a 360 px screen and the 14-unit text (13 in the timeline) stays at least
# 12 px there. Labels go above their bars, where a long name has the whole width.
WIDTH = 320
ROW = 40
LABEL_CHARS = 40
VALUE_ROOM = 48

# The charts are written with f-strings (a dashboard draws some 150 rows; `Markup.format` per
# row was a third of its time): every piece of text goes through markupsafe's `escape`, the
# numbers and dates are ours, and the joined whole is then markup.


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css: str = ""


def bar_chart(*, bars: list[Bar], label: str, maximum: int | None = None, unit: str = "") -> Markup:
    """Horizontal bars, one per row, each under its label, with the value written after it."""
    top = maximum if maximum is not None else max([b.value for b in bars] + [1])
    span = WIDTH - VALUE_ROOM
    height = ROW * len(bars) + 4
    unit_text = escape(unit)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(label)}">'
    ]
    for i, bar in enumerate(bars):
        width = round(span * bar.value / top) if top else 0
        short = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[: LABEL_CHARS - 1] + "…"
        value = int(bar.value)
        parts.append(
            f'<g transform="translate(0,{i * ROW})"><title>{escape(bar.label)}: {value}'
            f'{unit_text}</title><text x="0" y="15" class="chart-label">{escape(short)}</text>'
            f'<rect x="0" y="20" width="{width}" height="14" class="bar {escape(bar.css)}"></rect>'
            f'<text x="{width + 5}" y="32" class="chart-value">{value}{unit_text}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text escaped above


@dataclass(frozen=True)
class Span:
    label: str
    start: date | None
    end: date | None
    css: str = ""


def timeline(*, spans: list[Span], label: str, today: date) -> Markup:
    """One bar per milestone from its start to its end date, on a shared time axis with the
    years marked and today as a vertical line. A milestone without a start is drawn as a
    two-week mark before its end; one without an end is left out of the picture (not of the
    table)."""
    drawn = [
        (s.label, s.start or s.end - timedelta(days=14), s.end, s.css)
        for s in spans
        if s.end is not None
    ]
    if not drawn:
        return Markup("")
    first = min([start for _label, start, _end, _css in drawn] + [today]) - timedelta(days=15)
    last = max([end for _label, _start, end, _css in drawn] + [today]) + timedelta(days=15)
    days = max((last - first).days, 1)
    left, span, row, axis = 48, WIDTH - 56, 18, 22

    def x(day: date) -> int:
        return left + round(span * (day - first).days / days)

    height = axis + row * len(drawn) + 18
    parts = [
        f'<svg class="chart chart--timeline" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">'
    ]
    # A mark per year, or per few years on a long axis, so the labels never overlap.
    step = max(1, -(-(last.year - first.year) // 5))
    for year in range(first.year + 1, last.year + 1, step):
        tick = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{tick}" x2="{tick}" y1="14" y2="{axis + row * len(drawn)}" class="tick">'
            f'</line><text x="{tick + 3}" y="13" class="chart-label">{year}</text>'
        )
    for i, (name, start, end, css) in enumerate(drawn):
        y = axis + i * row
        parts.append(
            f"<g><title>{escape(name)}: {start} – {end}</title>"
            f'<text x="{left - 6}" y="{y + 12}" text-anchor="end" '
            f'class="chart-label chart-label--small">{escape(name[:6])}</text>'
            f'<rect x="{x(start)}" y="{y + 2}" width="{max(x(end) - x(start), 2)}" height="12" '
            f'class="bar {escape(css)}"></rect></g>'
        )
    now, today_label = x(today), escape(_("today"))
    # The word "today" beside its line, on the side with room for it.
    anchor = f'x="{now + 3}"' if now < WIDTH - 60 else f'x="{now - 3}" text-anchor="end"'
    parts.append(
        f'<line x1="{now}" x2="{now}" y1="14" y2="{height}" class="today"></line>'
        f'<text {anchor} y="{height - 2}" class="chart-label today-label">'
        f"{today_label}</text></svg>"
    )
    return Markup("".join(parts))  # noqa: S704 - every text escaped above
