"""A person signs up, gets the email, verifies, logs in, sets up two-factor authentication, logs
out, and logs in again with a code from the authenticator app."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "quetzal@correo-privado.example"
PASSWORD = "una-clave-bastante-larga-7"


def totp_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sign_up_verify_log_in_set_up_two_factor_and_log_in_with_a_code(live_server, page: Page):
    base = live_server.url + "/en"
    page.goto(base + "/cuentas/signup/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_public_name").fill("Quetzal")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Verify Your Email Address")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + link)
    page.locator("main form button[type=submit]").click()

    page.goto(base + "/cuentas/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/mi-espacio/$"))
    expect(page.locator("h1")).to_have_text("My space")

    page.goto(base + "/cuentas/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password again before MFA set-up
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).not_to_contain_text("Incorrect code")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.goto(base + "/cuentas/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/2fa/authenticate/$"))
    page.locator("#id_code").fill("000000" if totp_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("main")).to_contain_text("Incorrect code")
    page.locator("#id_code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/mi-espacio/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
