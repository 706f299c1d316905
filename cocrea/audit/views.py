from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cocrea.audit import selectors
from cocrea.core.decorators import public_page


@public_page
def log(request: HttpRequest) -> HttpResponse:
    """The head of the chain, how to verify it, and the latest public events."""
    return render(
        request,
        "audit/log.html",
        {"head": selectors.log_head(), "events": selectors.latest_public(20)},
    )


# Not a `@public_page`: a file, not an HTML page, and streamed, so never stored by the page cache.
@require_safe
def log_download(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        selectors.log_lines(), content_type="application/x-ndjson; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="audit-log.jsonl"'
    return response
