"""Failed log-ins lock an account only for the client address they came from (issue #20): an
attacker who knows an email address cannot keep its owner out, and the lockout message offers
the password reset. The client address is allauth's (adapter.py): REMOTE_ADDR, or the entry of
X-Forwarded-For added by the proxy settings.ALLAUTH_TRUSTED_PROXY_COUNT trusts."""

import pytest
from django.test import Client

from conftest import make_person

pytestmark = pytest.mark.django_db

LOGIN = "/en/cuentas/login/"
SPANISH_LOGIN = "/cuentas/login/"
PASSWORD = "una-clave-larga-de-prueba-1"  # make_person's
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def owner(db):
    return make_person("Duena")


def _attempt(client: Client, email: str, password: str, address: str, url: str = LOGIN, **headers):
    return client.post(url, {"login": email, "password": password}, REMOTE_ADDR=address, **headers)


def _fail_five_times(email: str, address: str, **headers) -> Client:
    attacker = Client()
    for _ in range(5):
        response = _attempt(attacker, email, "una-clave-equivocada", address, **headers)
        assert response.status_code == 200
        assert "_auth_user_id" not in attacker.session
    return attacker


def test_five_failures_lock_the_account_for_that_address_only(owner):
    attacker = _fail_five_times(owner.email, ATTACKER)
    # From the attacker's address, even the right password is refused now...
    response = _attempt(attacker, owner.email, PASSWORD, ATTACKER)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed log-in attempts to this account from your connection" in page
    assert "_auth_user_id" not in attacker.session
    # ...while the owner, on another address, logs in.
    person = Client()
    response = _attempt(person, owner.email, PASSWORD, OWNER)
    assert response.status_code == 302
    assert response.url.endswith("/mi-espacio/")
    assert person.session["_auth_user_id"] == str(owner.pk)


def test_the_lockout_message_links_to_the_password_reset_in_both_languages(owner):
    attacker = _fail_five_times(owner.email, ATTACKER)
    english = _attempt(attacker, owner.email, PASSWORD, ATTACKER).content.decode()
    assert '<a href="/en/cuentas/password/reset/">reset your password</a>' in english
    spanish = _attempt(attacker, owner.email, PASSWORD, ATTACKER, url=SPANISH_LOGIN)
    page = spanish.content.decode()
    assert '<a href="/cuentas/password/reset/">' in page
    assert "restablezca su contraseña" in page or "reset your password" in page
    # The link leads to the reset form, which answers.
    assert attacker.get("/en/cuentas/password/reset/").status_code == 200


def test_other_accounts_stay_open_from_the_attackers_address(owner):
    other = make_person("Otra Persona")
    attacker = _fail_five_times(owner.email, ATTACKER)
    assert _attempt(attacker, other.email, PASSWORD, ATTACKER).status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(owner, settings):
    """With one trusted proxy (COCREA_TRUSTED_PROXIES=1, or COCREA_BEHIND_PROXY), every request
    arrives from the proxy's address; the client is the last X-Forwarded-For entry."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    # What the attacker writes into the header is ignored: the proxy appends what it saw.
    attacker = _fail_five_times(owner.email, proxy, HTTP_X_FORWARDED_FOR=f"{OWNER}, {ATTACKER}")
    locked = _attempt(
        attacker, owner.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=f"{OWNER}, {ATTACKER}"
    )
    assert "_auth_user_id" not in attacker.session
    assert "Too many failed" in locked.content.decode()
    person = Client()
    response = _attempt(person, owner.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OWNER)
    assert response.status_code == 302
    assert person.session["_auth_user_id"] == str(owner.pk)


def test_the_trusted_proxy_count_follows_the_environment(monkeypatch):
    """COCREA_BEHIND_PROXY alone trusts one proxy; COCREA_TRUSTED_PROXIES says how many."""
    import importlib

    import cocrea.settings

    try:
        monkeypatch.setenv("COCREA_BEHIND_PROXY", "1")
        assert importlib.reload(cocrea.settings).ALLAUTH_TRUSTED_PROXY_COUNT == 1
        monkeypatch.setenv("COCREA_TRUSTED_PROXIES", "2")
        assert importlib.reload(cocrea.settings).ALLAUTH_TRUSTED_PROXY_COUNT == 2
        monkeypatch.delenv("COCREA_BEHIND_PROXY")
        monkeypatch.delenv("COCREA_TRUSTED_PROXIES")
        assert importlib.reload(cocrea.settings).ALLAUTH_TRUSTED_PROXY_COUNT == 0
    finally:
        monkeypatch.undo()
        importlib.reload(cocrea.settings)
