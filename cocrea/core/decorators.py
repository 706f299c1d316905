from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_safe

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """A page anyone may read: GET and HEAD only, and marked so that the quality checks (query
    counts, and the gates that walk every public page) find it from the URL configuration."""
    wrapped: Any = require_safe(view)
    wrapped.public_page = True
    return wrapped
