"""A superuser made on the command line opens the administration in a browser: the site's log-in
(no password-only form of Django's), then the set-up of an authenticator app, then its code."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Page, expect

from cocrea.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "raiz@correo-privado.example"
PASSWORD = "una-clave-bastante-larga-7"


def totp_code(secret: str) -> str:
    import time

    cache.clear()  # each code is good once: this stands for the app's next code
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def submit(page: Page) -> None:
    page.locator("main form button[type=submit]").first.click()


def test_a_superuser_sets_up_two_factors_before_the_administration_opens(
    live_server, page: Page, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="raiz", email=EMAIL, verbosity=0)
    user = User.objects.get(username="raiz")
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    base = live_server.url + "/en"

    page.goto(base + "/admin/")
    expect(page).to_have_url(re.compile(r"/cuentas/login/\?next="))
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    submit(page)

    # The password alone opens no admin page: first an authenticator app, which allauth sets up
    # after asking for the password once more. The page says why.
    expect(page.locator("body")).to_contain_text("The administration asks for two-factor")
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        submit(page)
    expect(page).to_have_url(re.compile(r"/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp_code(secret))
    submit(page)
    expect(page.locator("main")).not_to_contain_text("Incorrect code")

    # Then the code, once in this session, and the administration opens.
    page.goto(base + "/admin/")
    expect(page).to_have_url(re.compile(r"/2fa/reauthenticate/\?next="))
    page.locator("#id_code").fill(totp_code(secret))
    submit(page)
    expect(page).to_have_url(re.compile(r"/en/admin/$"))
    expect(page.locator("h1")).to_contain_text("administration")
