"""Jinja2 helpers of tracking (listed in the COCREA_JINJA_GLOBALS setting): the SVG charts, and
the name of a civil-society completion for the badge macro (tracking/_macros.html)."""

from cocrea.tracking.charts import bar_chart, timeline
from cocrea.tracking.models import Assessment


def assessment_label(value: str) -> str:
    """A completion on the civil-society scale, in the active language."""
    return str(Assessment.Completion(value).label)


JINJA_GLOBALS = {
    "assessment_label": assessment_label,
    "bar_chart": bar_chart,
    "timeline": timeline,
}
