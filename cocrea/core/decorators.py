from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_safe

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """A page anyone may read: GET and HEAD only. The mark lets the page cache store it for
    anonymous visitors (cocrea.core.pagecache) and lets the quality gates (query counts,
    accessibility, HTML, weight, headers) find it from the URL configuration."""
    wrapped: Any = require_safe(view)
    wrapped.public_page = True
    return wrapped


def acts(permission: str) -> Callable[[View], View]:
    """Marks a view that changes something with the permission (a `rules` name, or
    "authenticated" for a person acting on their own account) that it enforces on its object.
    The authorization matrix test finds every such view from the URL configuration and fails on
    any view that changes something without this mark."""

    def mark(view: View) -> View:
        marked: Any = view
        marked.permission = permission
        return marked

    return mark
