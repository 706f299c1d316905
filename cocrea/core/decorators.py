from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from cocrea.core.replica import replica_reads

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """A page anyone may read: GET and HEAD only. The mark lets the page cache store it for
    anonymous visitors (cocrea.core.pagecache) and lets the quality gates (query counts,
    accessibility, HTML, weight, headers) find it from the URL configuration. Visitors who are
    not signed in read it from the read replica when there is one (cocrea.core.replica)."""

    @wraps(view)
    def reading(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Whether someone is signed in is read first, from the primary: a session written a
        # moment ago may not have reached the replica yet.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    wrapped: Any = require_safe(reading)
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
