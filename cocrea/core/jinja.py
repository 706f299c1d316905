"""The Jinja2 environment for Cocrea's public pages (see docs/adr/0002).

Translatable text is written `{{ _("...") }}`, plurals `{{ ngettext("%(num)d x", "%(num)d xs",
n)|format(num=n) }}` (old-style gettext: %(name)s placeholders filled by `format`). Our
`makemessages` (core/management/commands/makemessages.py) reads these templates with Babel's
Jinja2 extractor, into the same catalogue as the Python code and the Django templates.
"""

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.module_loading import import_string
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment, StrictUndefined
from jinja2 import Template as JinjaTemplate

from cocrea.core import i18n, words


# Lists call these once per row with values that repeat (the same few addresses and dates), so
# they are memoised per language: reverse() and date formatting were a fifth of a list page.
@lru_cache(maxsize=8192)
def _reverse(name: str, kwargs: tuple[tuple[str, Any], ...], language: str) -> str:
    return reverse(name, kwargs=dict(kwargs) or None)


def url(name: str, **kwargs: Any) -> str:
    return _reverse(name, tuple(sorted(kwargs.items())), i18n.language())


@lru_cache(maxsize=4096)
def _translated(message: str, language: str) -> str:
    return gettext(message)


def translate(message: str) -> str:
    """`_` in templates: a page asks for 60 to 120 strings, and Django's gettext reaches the
    active catalogue through asgiref's `Local` on every call. A message's translation depends
    only on the language, so it is memoised per language like the addresses above."""
    return _translated(message, i18n.language())


@lru_cache(maxsize=8192)
def _date(value: date, format_name: str, language: str) -> str:
    if format_name.endswith("_FORMAT"):
        return formats.date_format(value, format_name)
    return dateformat.format(value, format_name)


def date_filter(value: date | None, format_name: str = "DATE_FORMAT") -> str:
    """A date in the active language: a format setting name (DATE_FORMAT, SHORT_DATE_FORMAT),
    or a format string such as "Y-m-d" for `datetime` attributes."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        # The day in the site's zone (Guatemala), not in UTC. Cocrea never activates a
        # visitor's zone, so this is what timezone.localtime() gives, without its lookup of an
        # activated zone, which raised and caught an exception on every call: 6% of the
        # proposal list, a date a row.
        value = value.astimezone(timezone.get_default_timezone())
    return _date(value, format_name, i18n.language())


def localday(value: datetime) -> date:
    """The day an aware datetime falls on in the site's zone (Guatemala), not in UTC: from
    18:00 in Guatemala, UTC is already on the next day."""
    return value.astimezone(timezone.get_default_timezone()).date()


def truncatewords(value: str, length: int) -> str:
    return Truncator(value).words(length, truncate=" …")


def render_markdown(text: str) -> Any:
    from cocrea.core.markdown import render_markdown as render

    return render(text)


class Template(JinjaTemplate):
    """Notes the active language for the length of a rendering (cocrea.core.i18n)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        previous = i18n.note(get_language())
        try:
            return super().render(*args, **kwargs)
        finally:
            i18n.note(previous)


def environment(**options: Any) -> Environment:
    from django.template.defaultfilters import capfirst, linebreaks_filter, linebreaksbr

    if settings.COCREA_STRICT_TEMPLATES:
        options["undefined"] = StrictUndefined
    env = Environment(**options)  # noqa: S701 - autoescape is on (Django's Jinja2 backend default)
    env.template_class = Template
    env.globals.update(
        _=translate,
        ngettext=ngettext,
        url=url,
        static=static,
        get_language=get_language,
        get_messages=get_messages,
    )
    # Each app offers its own helpers by name in settings, so core imports no domain app.
    for path in settings.COCREA_JINJA_GLOBALS:
        env.globals.update(import_string(path))
    env.filters.update(
        date=date_filter,
        localday=localday,
        linebreaks=linebreaks_filter,
        linebreaksbr=linebreaksbr,
        truncatewords=truncatewords,
        capfirst=capfirst,
        # People's Markdown, sanitised (core/markdown.py): the only way user text becomes markup.
        markdown=render_markdown,
        # Figures in words, in the page's language (core/words.py): "165 KB", "97 días".
        # Jinja's own filesizeformat says "165.0 kB"; ours replaces it for every template.
        filesize=words.filesize,
        filesizeformat=words.filesize,
        days=words.days,
        number=words.number,
    )
    return env
