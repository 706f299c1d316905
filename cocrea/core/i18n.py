"""The active language, read cheaply while a page renders.

Django's `get_language()` goes through asgiref's `Local`, about 1.4 µs a call on the benchmark
machine; a dashboard asked for it some 500 times (every date, address, badge and policy-area
name), a seventh of its time. While a Jinja template renders, the language cannot change under
it, so `cocrea.core.jinja.Template` notes it once at the start and `language()` returns that note;
outside a rendering, it asks Django.
"""

import threading

from django.utils.translation import get_language

_rendering = threading.local()


def language() -> str:
    noted: str | None = getattr(_rendering, "language", None)
    return noted or get_language() or "es"


def note(value: str | None) -> str | None:
    """Note the language of the rendering about to start; returns the previous note, to restore
    when it ends (a template may render another inside it)."""
    previous: str | None = getattr(_rendering, "language", None)
    _rendering.language = value
    return previous
