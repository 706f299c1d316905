"""A method a page does not take (a POST to a page that only reads, a GET to a form's action)
gets our 405 page, in the site's layout and the visitor's language, instead of Django's empty
answer: `require_http_methods` and `@public_page` return a bare `HttpResponseNotAllowed`. The
`Allow` header is kept. The API (`/api/`) and the health checks keep their own answers."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

_OWN_ANSWERS = ("/api/", "/health/")


class NotAllowedPage:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponseNotAllowed)
            and not response.content
            and not request.path_info.startswith(_OWN_ANSWERS)
        ):
            allow = response["Allow"]
            page = render(request, "405.html", status=405)
            page["Allow"] = allow
            return page
        return response
