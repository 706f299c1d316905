from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from cocrea.core.replica import reads_from_replica, replica_reads

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """A page anyone may read: GET and HEAD only. The mark lets the page cache store it for
    anonymous visitors (cocrea.core.pagecache) and lets the quality gates (query counts,
    accessibility, HTML, weight, headers) find it from the URL configuration. Its reads go to
    the read replica when there is one, unless the visitor changed something a moment ago or
    the replica is down (cocrea.core.replica)."""

    @wraps(view)
    def reading(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Who is signed in is read first, from the primary: a session written a moment ago
        # (a log-in) may not have reached the replica yet.
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 (the lazy lookup, run here)
        if not reads_from_replica(request):
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
