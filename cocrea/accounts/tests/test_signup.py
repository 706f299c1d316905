"""Accounts with django-allauth: sign-up with a public name, email verification through a real
SMTP server on loopback (the request queues the email, the task worker sends it), and the
refusals that must change nothing."""

import re

import pytest
from django.core.management import call_command

from cocrea.accounts.models import User

pytestmark = pytest.mark.django_db
# The worker runs as it does beside the server, on committed data: so these tests commit.
WORKER = pytest.mark.django_db(transaction=True)

SIGNUP = "/en/cuentas/signup/"
LOGIN = "/en/cuentas/login/"
GOOD = {
    "email": "quetzal@correo-privado.example",
    "password1": "una-clave-bastante-larga-7",
    "password2": "una-clave-bastante-larga-7",
    "public_name": "Quetzal",
}


@pytest.fixture
def queued(settings):
    """The production path: the request queues the email in the database (the suite otherwise
    sends it at once, settings.COCREA_MAIL_TASKS); deliver() runs the worker."""
    settings.COCREA_MAIL_TASKS = "default"


def deliver() -> None:
    """What `manage.py db_worker` does beside the server: run the queued tasks (the emails)."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def _body(message) -> str:
    part = message.get_payload(0) if message.is_multipart() else message
    return part.get_payload(decode=True).decode()


@WORKER
def test_sign_up_verify_by_the_emailed_link_and_log_in(client, smtp, queued):
    response = client.post(SIGNUP, GOOD)
    assert response.status_code == 302
    user = User.objects.get(email=GOOD["email"])
    assert user.public_name == "Quetzal"
    assert not client.post(
        LOGIN, {"login": GOOD["email"], "password": GOOD["password1"]}
    ).url.endswith("/mi-espacio/")  # not verified yet: no way in

    assert smtp.messages == []  # queued, not sent inside the request
    deliver()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == GOOD["email"]
    link = re.search(r"https?://testserver(/\S*/confirm-email/\S+/)", _body(message)).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302

    client.logout()
    response = client.post(LOGIN, {"login": GOOD["email"], "password": GOOD["password1"]})
    assert response.status_code == 302
    assert response.url.endswith("/mi-espacio/")
    page = client.get(response.url).content.decode()
    assert "Quetzal" in page


def test_a_weak_password_is_refused_with_a_message(client):
    response = client.post(SIGNUP, {**GOOD, "password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


def test_a_public_name_with_an_email_in_it_is_refused(client):
    response = client.post(SIGNUP, {**GOOD, "public_name": "yo@example.org"})
    assert response.status_code == 200
    assert "A public name cannot contain an email address." in response.content.decode()
    assert not User.objects.exists()


@WORKER
def test_a_taken_email_creates_nothing_and_tells_only_the_owner(client, smtp, queued):
    from allauth.account.models import EmailAddress
    from django.core.cache import cache

    first = client.post(SIGNUP, GOOD)
    deliver()
    EmailAddress.objects.update(verified=True)
    cache.clear()  # a later day: past the limit of one verification email per address
    smtp.messages.clear()
    other = client.__class__()
    response = other.post(SIGNUP, {**GOOD, "public_name": "Otra persona"})
    # The same answer as for a new address (no enumeration), and no second account...
    assert (response.status_code, response.url) == (first.status_code, first.url)
    assert User.objects.count() == 1
    assert User.objects.get().public_name == "Quetzal"
    # ...while the owner of the address is told by email.
    deliver()
    assert len(smtp.messages) == 1
    assert "already" in _body(smtp.messages[0]).lower()


def test_a_wrong_or_expired_verification_link_verifies_nothing(client, smtp):
    from allauth.account.models import EmailAddress

    client.post(SIGNUP, GOOD)
    response = client.get("/en/cuentas/confirm-email/not-a-real-key/")
    assert response.status_code in (200, 404)
    assert "expired or is invalid" in response.content.decode()
    assert client.post("/en/cuentas/confirm-email/not-a-real-key/").status_code in (200, 404)
    assert not EmailAddress.objects.filter(verified=True).exists()
