"""Charts as SVG drawn on the server: no JavaScript, no chart library, a few kilobytes each.
Every chart is shown with a table of the same numbers (the templates put it beside the chart),
so the SVG is a picture of the table and screen readers read the table."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

WIDTH = 560
LABEL_WIDTH = 200
ROW = 26

# The charts are written with f-strings (a dashboard draws some 150 rows; `Markup.format` per
# row was a third of its time): every piece of text goes through markupsafe's `escape`, the
# numbers and dates are ours, and the joined whole is then markup.


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css: str = ""


def bar_chart(*, bars: list[Bar], label: str, maximum: int | None = None, unit: str = "") -> Markup:
    """Horizontal bars, one per row, with the value written after each bar."""
    top = maximum if maximum is not None else max([b.value for b in bars] + [1])
    span = WIDTH - LABEL_WIDTH - 60
    height = ROW * len(bars) + 8
    unit_text = escape(unit)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(label)}">'
    ]
    for i, bar in enumerate(bars):
        width = round(span * bar.value / top) if top else 0
        short = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"
        value = int(bar.value)
        parts.append(
            f'<g transform="translate(0,{i * ROW + 4})"><title>{escape(bar.label)}: {value}'
            f'{unit_text}</title><text x="{LABEL_WIDTH - 8}" y="17" text-anchor="end" '
            f'class="chart-label">{escape(short)}</text><rect x="{LABEL_WIDTH}" y="4" '
            f'width="{width}" height="18" class="bar {escape(bar.css)}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="17" class="chart-value">{value}'
            f"{unit_text}</text></g>"
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
    left, span, row, axis = 70, WIDTH - 80, 14, 22

    def x(day: date) -> int:
        return left + round(span * (day - first).days / days)

    height = axis + row * len(drawn) + 6
    parts = [
        f'<svg class="chart chart--timeline" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">'
    ]
    # A mark per year, or per few years on a long axis, so the labels never overlap.
    step = max(1, -(-(last.year - first.year) // 8))
    for year in range(first.year + 1, last.year + 1, step):
        tick = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{tick}" x2="{tick}" y1="14" y2="{axis + row * len(drawn)}" class="tick">'
            f'</line><text x="{tick + 3}" y="11" class="chart-label">{year}</text>'
        )
    for i, (name, start, end, css) in enumerate(drawn):
        y = axis + i * row
        parts.append(
            f"<g><title>{escape(name)}: {start} – {end}</title>"
            f'<text x="{left - 6}" y="{y + 9}" text-anchor="end" '
            f'class="chart-label chart-label--small">{escape(name[:10])}</text>'
            f'<rect x="{x(start)}" y="{y}" width="{max(x(end) - x(start), 2)}" height="10" '
            f'class="bar {escape(css)}"></rect></g>'
        )
    now, today_label = x(today), escape(_("today"))
    parts.append(
        f'<line x1="{now}" x2="{now}" y1="14" y2="{height}" class="today"></line>'
        f'<text x="{now + 3}" y="{height - 2}" class="chart-label today-label">'
        f"{today_label}</text></svg>"
    )
    return Markup("".join(parts))  # noqa: S704 - every text escaped above
