from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from cocrea.core.pagecache import cache_for_anonymous

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """A page anyone may read: GET and HEAD only, cached for anonymous visitors until the data
    changes, and marked so that the quality gates (query counts, accessibility, HTML, weight,
    headers) find it from the URL configuration."""
    wrapped: Any = require_safe(cache_for_anonymous(view))
    wrapped.public_page = True
    return wrapped
