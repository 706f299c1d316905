"""Every refusal in the site's layout and the visitor's language: the 403, 404, 405, 429 and 500
pages in Spanish and English, the 405 page keeping its Allow header, and the API keeping JSON."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from cocrea.core import views

pytestmark = pytest.mark.django_db

TITLES = {
    403: {"en": "Not allowed", "es": "Acceso no permitido"},
    404: {"en": "Page not found", "es": "Página no encontrada"},
    405: {
        "en": "This address does not take that request",
        "es": "Esta dirección no acepta esa solicitud",
    },
    429: {"en": "Too many attempts", "es": "Demasiados intentos"},
    500: {"en": "Something went wrong", "es": "Algo salió mal"},
}
PREFIX = {"es": "", "en": "/en"}


def _in_layout(html: str, language: str, status: int) -> None:
    assert f'<html lang="{language}">' in html
    assert f"<h1>{TITLES[status][language]}</h1>" in html
    assert 'href="/static/' in html or "site.css" in html  # the site's stylesheet
    assert 'class="brand"' in html  # the site's header
    other = "en" if language == "es" else "es"
    assert TITLES[status][other] not in html


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_404_page(client, language):
    response = client.get(f"{PREFIX[language]}/no-hay-nada-aqui/")
    assert response.status_code == 404
    _in_layout(response.content.decode(), language, 404)


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_405_page_keeps_the_allow_header(client, language):
    response = client.post(f"{PREFIX[language]}/planes/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"].startswith("text/html")
    _in_layout(response.content.decode(), language, 405)
    assert "Nothing was saved" in response.content.decode() or language == "es"


def test_a_form_target_reached_by_get_gets_the_405_page_with_its_methods(client, personas):
    client.force_login(personas["citizen"])
    response = client.get("/en/propuestas/x/apoyar/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    _in_layout(response.content.decode(), "en", 405)


def test_the_api_keeps_its_own_405(client):
    response = client.post("/api/v1/plans")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert 'class="brand"' not in response.content.decode()  # django-ninja's answer, not a page


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(
    ("status", "view", "exception"),
    [
        (403, views.forbidden, PermissionDenied()),
        (404, views.not_found, Http404()),
        (429, views.too_many_requests, None),
        (500, views.server_error, None),
    ],
)
def test_each_error_view_in_both_languages(rf: RequestFactory, status, view, exception, language):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get(f"{PREFIX[language]}/algo/")
    request.user = AnonymousUser()
    request.session = {}
    with translation.override(language):
        response = view(request) if status == 500 else view(request, exception)
        request.LANGUAGE_CODE = language
    assert response.status_code == status
    _in_layout(response.content.decode(), language, status)
