"""Request bodies refused from their declared size, before any of them is read. Django bounds
the fields of a form (DATA_UPLOAD_MAX_MEMORY_SIZE) but not the files in a multipart body: a
100 MB body sent to a form that takes no file would be read whole (and its file skipped,
core/uploads.py) before the form refused it. Here every request's body is held to its view's
limit from its Content-Length, and a larger one gets the 413 page without a byte of it read.

- A view that takes files is named in COCREA_UPLOAD_VIEWS (URL name -> the setting with its
  file limit): its body may hold that file and DATA_UPLOAD_MAX_MEMORY_SIZE of fields and
  multipart framing, and the upload handler stops each file at that view's own limit.
- Every other view's body may hold DATA_UPLOAD_MAX_MEMORY_SIZE.
- A body sent without Content-Length (chunked) is read up to its limit and one byte more: past
  it, 413; within it, the view reads it as if its length had been declared. (Django would
  otherwise read nothing of it, and the server in front would drain it all.)

It runs in process_view, once the URL is resolved, and its process_view is the first in
MIDDLEWARE (the NUL check's and CSRF's read the form). The web server in front holds bodies to
the largest limit too (nginx's client_max_body_size, docs/deployment.md), so most oversized
bodies never reach the application."""

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def body_limit(request: HttpRequest) -> tuple[int | None, int | None]:
    """(the largest body the request's view takes, the largest file it takes), in bytes; None
    where there is no limit (DATA_UPLOAD_MAX_MEMORY_SIZE set to None) or no file is taken."""
    fields: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    match = request.resolver_match
    setting = settings.COCREA_UPLOAD_VIEWS.get(match.view_name) if match else None
    if setting is None:
        return fields, None
    files: int = getattr(settings, setting)
    return (files + fields if fields is not None else None), files


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _refused(request: HttpRequest, limit: int) -> HttpResponse:
    """The 413 answer: JSON for the API, the 413 page for everything else."""
    message = _(
        "What you sent is larger than %(limit)s, the most this page takes. Nothing of it was "
        "saved. Go back and send a smaller file, or a link to it."
    ) % {"limit": filesizeformat(limit)}
    match = request.resolver_match
    if match is not None and match.namespace == "api":
        return JsonResponse({"detail": [message]}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class BodyLimitMiddleware:
    """First of the middleware with a process_view: it must see the body before anyone reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        limit, file_limit = body_limit(request)
        if file_limit is not None:
            request.upload_limit = file_limit  # type: ignore[attr-defined]  # core/uploads.py
        if limit is None:
            return None
        length = _declared_length(request)
        if length is not None:
            return _refused(request, limit) if length > limit else None
        if "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return None
        body = request.META["wsgi.input"].read(limit + 1) if "wsgi.input" in request.META else b""
        if len(body) > limit:
            return _refused(request, limit)
        request.META["CONTENT_LENGTH"] = str(len(body))
        request._stream = LimitedStream(io.BytesIO(body), len(body))  # type: ignore[assignment]
        return None
