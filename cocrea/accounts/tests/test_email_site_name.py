"""Emails name the site (settings.COCREA_SITE_NAME) and its public address, never the host the
request came in on (issue 21: "¡Hola de parte de 127.0.0.1:8000!"). Sent through a real SMTP
server on loopback, in Spanish, the site's language."""

from email.header import decode_header, make_header

import pytest

from cocrea.accounts.tests.test_signup import GOOD, _body, deliver
from cocrea.accounts.tests.test_signup import queued as queued
from conftest import make_person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(settings):
    settings.COCREA_SITE_NAME = "Cocrea Guatemala"
    settings.COCREA_SITE_URL = "https://cocrea.example.gt"


def _assert_names_the_site(message) -> str:
    body = _body(message).replace("\r\n", "\n")
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject.startswith("[Cocrea Guatemala] "), subject
    assert "¡Hola de parte de Cocrea Guatemala!" in body
    assert "¡Gracias por usar Cocrea Guatemala!\ncocrea.example.gt" in body
    assert "de parte de testserver" not in body and "usar testserver" not in body
    return body


def test_the_sign_up_email_names_the_site_not_the_host(client, smtp, queued, site):
    assert client.post("/cuentas/signup/", GOOD).status_code == 302
    deliver()
    assert len(smtp.messages) == 1
    body = _assert_names_the_site(smtp.messages[0])
    assert "testserver" in body  # the confirmation link still leads back where one signed up
    # allauth's tú, overridden in usted by our catalogue (cocrea/accounts/allauth_messages.py).
    assert "Está recibiendo este correo electrónico" in body and "Estás" not in body


def test_the_password_reset_email_names_the_site(client, smtp, queued, site):
    person = make_person("Quien Olvida")
    response = client.post("/cuentas/password/reset/", {"email": person.email})
    assert response.status_code == 302
    deliver()
    assert len(smtp.messages) == 1
    _assert_names_the_site(smtp.messages[0])
