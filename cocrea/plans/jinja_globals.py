"""What plans offers every Jinja2 template (through the COCREA_JINJA_GLOBALS setting): plain
values only; the markup is in macros (cocrea/jinja2/includes/macros.html)."""

from functools import lru_cache

from cocrea.core.i18n import language
from cocrea.plans.models import Milestone


def completion_label(value: str) -> str:
    """A completion's name in the active language, from the model's choices (the text of the
    `completion_badge` macro). Memoised per language, like the templates' other translations
    (core.jinja): a dashboard shows a badge on each of a plan's hundred or more milestones, and
    the lookup through the choices and the catalogue cost 17 µs each."""
    return _completion_label(value, language())


@lru_cache(maxsize=64)
def _completion_label(value: str, language: str) -> str:
    return str(Milestone.Completion(value).label)


JINJA_GLOBALS = {"completion_label": completion_label}
