"""A NUL character anywhere in a request's address or form is a 400 that says so (issue 20: on
PostgreSQL it reached queries as a 500). Like a crawler: every public page and every API list with
each parameter the views read set to `%00`, every address with a free-text segment filled with a
NUL, forms sent both ways. On SQLite a NUL did no harm, so each test asserts the 400 and its
message, which no view gives of its own accord: the tests fail without the middleware on either
database."""

import json
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from django.utils import translation
from django.utils.html import escape

from cocrea.core import badinput
from conftest import build_plan
from tests.pages import API_LISTS, plan_samples, public_pages

pytestmark = pytest.mark.django_db

# Every query parameter a view of ours reads (grep request.GET and the filter forms), and one
# no view reads: none of them may carry a NUL to a view.
PARAMETERS = [
    "area",
    "departamento",
    "respuesta",
    "orden",
    "page",
    "estandar",
    "hito",
    "corrige",
    "de",
    "a",
    "institution",
    "completion",
    "agreement",
    "next",
    "cualquiera",
]
API_PARAMETERS = [
    "member",
    "status",
    "plan",
    "commitment",
    "institution",
    "policy_area",
    "completion",
    "due_before",
    "kind",
    "consultation",
    "department",
    "proposal",
    "context_type",
    "updated_since",
    "published_since",
    "since",
    "cursor",
    "page_size",
]


def _in(language: str, message) -> str:
    with translation.override(language):
        return escape(str(message))


def _refused_page(response, *, form: bool = False) -> None:
    """The 400 page, with the reason in Spanish and in English (each in its own section)."""
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    message = badinput.IN_FORM if form else badinput.IN_ADDRESS
    spanish, english = page.split('<section lang="en">')
    assert '<section lang="es">' in spanish and _in("es", message) in spanish
    assert "carácter nulo" in spanish
    assert _in("en", message) in english and "NUL character" in english


def _refused_api(response) -> None:
    assert response.status_code == 400, response.status_code
    assert response["Content-Type"] == "application/json"
    (message,) = json.loads(response.content)["detail"]
    assert "NUL character" in message


@pytest.fixture
def pages(db):
    samples = plan_samples(build_plan(commitments=2))
    return public_pages(samples) + public_pages(samples, lang="en")


def test_a_nul_in_any_parameter_of_any_public_page_is_a_400_in_both_languages(client, pages):
    assert len(pages) > 30
    for page in pages:
        for name in PARAMETERS:
            _refused_page(client.get(f"{page}?{name}=%00"))
        # a NUL in the name, and among good values
        _refused_page(client.get(f"{page}?ar%00ea=x"))
        _refused_page(client.get(f"{page}?orden=recientes&area=a%00b"))


def test_the_proposal_list_of_the_issue(client, pages):
    proposals = next(page for page in pages if page.endswith("/propuestas/"))
    assert client.get(f"{proposals}?area=no-existe").status_code == 200  # ignored, as before
    _refused_page(client.get(f"{proposals}?area=%00"))


def test_a_nul_in_any_parameter_of_the_api_is_a_400_with_a_message(client, db, settings):
    settings.COCREA_API_RATE = "1000000/m"
    for name in API_LISTS:
        for parameter in API_PARAMETERS:
            _refused_api(client.get(f"/api/v1/{name}?{parameter}=%00"))
    _refused_api(client.get("/api/v1/plans?member=%00"))
    _refused_api(client.get("/api/v1/audit-events?context_type=%00"))
    _refused_api(client.get("/api/v1/plans/%00"))


def _segments(patterns, prefix=""):
    """Every URL pattern of ours with a free-text (`str`) segment: (name, arguments) with a NUL
    in each free-text segment and a plausible value in the others."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin",) or entry.app_name == "admin":
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _segments(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = entry.pattern.converters
            if not any(type(c) is StringConverter for c in converters.values()):
                continue
            arguments = {}
            for key, converter in converters.items():
                if isinstance(converter, IntConverter):
                    arguments[key] = "1"
                elif isinstance(converter, SlugConverter):
                    arguments[key] = "x"
                else:
                    arguments[key] = "\x00"
            yield f"{prefix}{entry.name}", arguments


def test_a_nul_in_a_path_segment_is_a_400(client, db):
    addresses = [
        reverse(name, kwargs=kwargs) for name, kwargs in _segments(get_resolver().url_patterns)
    ]
    assert len(addresses) >= 15  # profiles, proposals, reports, drafts, meetings, downloads...
    for address in addresses:
        assert "%00" in address
        response = client.get(address)
        if address.startswith("/api/"):
            _refused_api(response)
        else:
            _refused_page(response)
        # and sent as a form, where the address alone is refused already
        assert client.post(address, {}).status_code == 400


def test_a_nul_in_a_form_is_a_400_both_as_urlencoded_and_as_multipart(client, db):
    login = reverse("account_login")
    _refused_page(client.post(login, {"login": "a\x00b@example.org", "password": "x"}), form=True)
    _refused_page(
        client.post(
            login,
            "login=a%00b%40example.org&password=x",
            content_type="application/x-www-form-urlencoded",
        ),
        form=True,
    )
    fine = client.post(login, {"login": "nadie@example.org", "password": "x"})
    assert fine.status_code == 200  # the form's own error, as before


def test_the_api_answers_for_its_own_forms(client, db):
    """A NUL in a field the API names is its 422 (opendata/tests/test_api_input.py); fields it
    does not name it ignores, as its document says, so the middleware leaves its forms alone."""
    response = client.post(
        "/api/v1/progress-reports/abc/evidence",
        {"title": "a\x00b", "otro\x00": "\x00"},
        HTTP_AUTHORIZATION="Bearer nada",
    )
    assert response.status_code == 401  # the token is checked first, as before


def test_a_cookie_with_a_nul_is_dropped_not_a_500(client, db):
    """Django unquotes `"\\000"` in a cookie to a NUL; as a session key it reached the sessions
    table (a 500 on PostgreSQL). Without it the visitor is simply not signed in."""
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert "\\000" in client.cookies.output()  # sent escaped, as a client would
    response = client.get(reverse("plans:plan_list"))
    assert response.status_code == 200
    assert "sessionid" not in response.wsgi_request.COOKIES
    assert "csrftoken" not in response.wsgi_request.COOKIES  # none was sent
    client.cookies["sessionid"] = "abcdefghijklmnop"
    kept = client.get(reverse("plans:plan_list")).wsgi_request.COOKIES
    assert kept["sessionid"] == "abcdefghijklmnop"  # a good cookie stays


def test_the_400_page_stands_alone_in_every_language(client, db):
    response = client.get("/en/planes/?area=%00")
    _refused_page(response)
    page = response.content.decode()
    assert page.startswith("<!DOCTYPE html>") and "<title>" in page
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_a_quoted_percent_is_not_a_nul(client, db):
    assert client.get(f"/planes/?area={quote('%00')}").status_code == 200


def test_djangos_own_400_uses_the_page_too(client, db):
    """Django answers a request it cannot take (here a host not allowed) with its `bad_request`
    view, which renders 400.html without a reason: the page gives a general one."""
    response = client.get("/planes/", HTTP_HOST="otro-sitio.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cocrea" in page and "<h1>" in page
    assert _in("es", badinput.TITLE) in page and "Solicitud incorrecta" in page
