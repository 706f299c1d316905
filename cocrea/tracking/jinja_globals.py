"""Jinja2 helpers of tracking (listed in the COCREA_JINJA_GLOBALS setting)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString

from cocrea.tracking.charts import bar_chart, timeline
from cocrea.tracking.models import Assessment
from cocrea.tracking.tables import milestone_rows, timeline_rows


def assessment_badge(value: str) -> SafeString:
    """A completion on the civil-society scale, which adds "no evidence available"."""
    return format_html(
        '<span class="badge badge--{}">{}</span>', value, Assessment.Completion(value).label
    )


JINJA_GLOBALS = {
    "assessment_badge": assessment_badge,
    "bar_chart": bar_chart,
    "timeline": timeline,
    "milestone_rows": milestone_rows,
    "timeline_rows": timeline_rows,
}
