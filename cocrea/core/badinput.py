"""Input no page or API operation can take: the NUL character (U+0000, `%00` in an address).

PostgreSQL stores no NUL in text, so a NUL that reached a query raised an error (a 500) wherever
a view passed a parameter on to the database. Rather than rely on every view to check, this
middleware answers any request whose address (path or query string) holds a NUL with a 400 that
says so: a page in both languages, or JSON for the API (`{"detail": [message]}`, like the API's
other refusals). The text fields of a page's form (urlencoded or multipart; not the files) are
checked the same way just before the view, after the body's size is checked (core/bodylimit.py):
CSRF's check, right after, reads the same form, so nothing is read that would not have been. A
cookie with a NUL is dropped rather than refused: the visitor cannot easily mend a cookie, and
without it they are simply not signed in. The API's forms are left to the API: its OpenAPI
document names each field and refuses a NUL in it (a 422), and ignores fields it does not name,
as the document says.

Placed near the top of settings.MIDDLEWARE, after CORS (so other origins can read the API's
refusal) and before the page cache, sessions and everything that could read the database."""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

NUL = "\x00"
API_PREFIX = "/api/"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

TITLE = gettext_lazy("Bad request")
IN_ADDRESS = gettext_lazy(
    "The address contains a NUL character (%00), which Cocrea does not accept. Remove it from "
    "the address and try again."
)
IN_FORM = gettext_lazy(
    "The form you sent contains a NUL character, which Cocrea does not accept. Go back, remove "
    "it from the text and send the form again."
)
# The API answers in English, like its other messages (opendata/api.py).
API_MESSAGE = "A NUL character (U+0000, %00) is not accepted in any parameter, path or form field."


def _holds_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def refusal(request: HttpRequest, message: Any) -> HttpResponse:
    """The 400 answer: JSON under the API, otherwise a page saying `message` in every language
    of the site (the address may not tell which one the visitor reads)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": [API_MESSAGE]}, status=400)
    parts = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            parts.append({"lang": code, "title": str(TITLE), "text": str(message)})
    response = HttpResponse(render_to_string("400.html", {"parts": parts}), status=400)
    # Answered before the CSP and framing middleware: a page with nothing to load needs neither.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    return response


class RefuseNul:
    """A 400 for a NUL in the path, the query string or a form's fields (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        if NUL in request.path or _holds_nul(request.GET.lists()):
            return refusal(request, IN_ADDRESS)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if (
            request.method == "POST"
            and not request.path.startswith(API_PREFIX)
            and request.content_type in FORMS
            and _holds_nul(request.POST.lists())
        ):
            return refusal(request, IN_FORM)
        return None
