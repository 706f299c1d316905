"""What plans offers every Jinja2 template (through the COCREA_JINJA_GLOBALS setting): plain
values only; the markup is in macros (cocrea/jinja2/includes/macros.html)."""

from cocrea.plans.models import Milestone


def completion_label(value: str) -> str:
    """A completion's name in the active language, from the model's choices (the text of the
    `completion_badge` macro)."""
    return str(Milestone.Completion(value).label)


JINJA_GLOBALS = {"completion_label": completion_label}
