"""The administration opens only to staff who set up an authenticator app and passed it in this
session: superusers too, those made with `createsuperuser` too. Django's own password-only log-in
form is gone; `/admin/login/` leads to the site's log-in and its second factor."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib import admin
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, reverse

from cocrea.accounts.models import User
from conftest import make_person, sign_in_with_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "una-clave-larga-de-prueba-1"  # make_person's
ADMIN_LOGIN = "/admin/login/"


def _admin_urls() -> list[tuple[str, str]]:
    """Every address of the administration, each path parameter filled in: Django's pages and
    ours (the OGP import's confirmation too), whatever models are registered."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif entry.name not in {"login", "view_on_site"}:
                route = re.sub(r"<int:\w+>", "1", route)
                route = re.sub(r"<(?:path|str|slug):\w+>", "1", route)
                found.append((entry.name or route, "/admin/" + route.lstrip("^").rstrip("$")))

    walk(admin.site.get_urls(), "")
    return found


ADMIN_URLS = _admin_urls()


def _code(user: User) -> str:
    """The code the person's authenticator app shows now. Each code is good once; clearing the
    cache of used codes stands for waiting for the next one."""
    cache.clear()
    secret = TOTP(Authenticator.objects.get(user=user, type="totp")).instance.data["secret"]
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _next_of(response) -> tuple[str, str]:
    location = urlsplit(response["Location"])
    return location.path, parse_qs(location.query).get("next", [""])[0]


def test_the_crawl_finds_the_administration_of_every_app():
    names = {name for name, _ in ADMIN_URLS}
    for expected in (
        "index",
        "accounts_user_changelist",
        "accounts_user_change",
        "plans_commitment_add",
        "audit_auditevent_changelist",
        "opendata_ogpimport_changelist",
        "logout",
    ):
        assert expected in names
    assert len(ADMIN_URLS) > 100


@pytest.mark.parametrize(
    "state", ["anonymous", "staff_without_app", "superuser_without_app", "password_only"]
)
def test_every_admin_page_is_refused_without_two_factors(client, state):
    person = None
    if state == "staff_without_app":
        person = make_person("Personal", is_staff=True)
    elif state == "superuser_without_app":
        person = make_person("Super", is_staff=True, is_superuser=True)
    elif state == "password_only":  # an authenticator, but this session skipped it
        person = make_person("Super Con App", mfa=True, is_staff=True, is_superuser=True)
    if person:
        client.force_login(person)
    for name, url in ADMIN_URLS:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (state, name, url, response.status_code)
            # Django's admin sends a refused log-out to its index, which sends it on to log in.
            expected = "/admin/" if name == "logout" else ADMIN_LOGIN
            assert _next_of(response)[0] == expected, (state, name, url)
            assert b"correo-privado" not in response.content


def test_with_both_factors_the_same_pages_open(client):
    person = make_person("Super Con App", mfa=True, is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, person)
    opened = 0
    for name, url in ADMIN_URLS:
        if name.endswith("_changelist") or name in {"index", "app_list"}:
            response = client.get(url)
            assert response.status_code in (200, 302, 404), (name, url)
            opened += response.status_code == 200
    assert opened > 20
    assert "correo-privado" in client.get("/admin/accounts/user/").content.decode()


def test_the_admin_log_in_has_no_password_form_of_its_own(client):
    person = make_person("Super", mfa=True, is_staff=True, is_superuser=True)
    response = client.get(ADMIN_LOGIN, {"next": "/admin/plans/"})
    assert _next_of(response) == (reverse("account_login"), "/admin/plans/")
    posted = client.post(ADMIN_LOGIN, {"username": person.username, "password": PASSWORD})
    assert _next_of(posted)[0] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    # A foreign address in `next` is dropped, not followed after the log-in.
    assert _next_of(client.get(ADMIN_LOGIN, {"next": "https://example.com/"}))[1] == "/admin/"


def test_each_account_is_sent_to_its_next_step(client):
    citizen = make_person("Ciudadana")
    client.force_login(citizen)
    refused = client.get(ADMIN_LOGIN)
    assert refused.status_code == 403
    assert "<h1>" in refused.content.decode() and "Forbidden" not in refused.content.decode()

    staff = make_person("Personal", is_staff=True)
    client.force_login(staff)
    assert _next_of(client.get(ADMIN_LOGIN, {"next": "/admin/plans/"})) == (
        reverse("mfa_activate_totp"),
        "/admin/plans/",
    )

    TOTP.activate(staff, generate_totp_secret())
    assert _next_of(client.get(ADMIN_LOGIN, {"next": "/admin/plans/"})) == (
        reverse("mfa_reauthenticate"),
        "/admin/plans/",
    )
    # An account that stopped being staff is refused, its authenticator notwithstanding.
    User.objects.filter(pk=staff.pk).update(is_staff=False)
    assert client.get(ADMIN_LOGIN).status_code == 403


def test_a_superuser_from_the_command_line_sets_up_two_factors_before_the_admin(
    client, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser",
        interactive=False,
        username="raiz",
        email="raiz@correo-privado.example",
        verbosity=0,
    )
    user = User.objects.get(username="raiz")

    # The password alone: the site asks to confirm the address first (mandatory verification).
    login = {"login": user.email, "password": PASSWORD}
    client.post(reverse("account_login"), login)
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body)
    assert link
    client.post(urlsplit(link.group(0)).path)
    assert EmailAddress.objects.filter(user=user, verified=True).exists()

    # Signed in with the password: the administration sends it to set up an authenticator.
    client.post(reverse("account_login"), login)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert _next_of(client.get("/admin/"))[0] == ADMIN_LOGIN
    step = client.get(ADMIN_LOGIN, {"next": "/admin/"})
    assert _next_of(step)[0] == reverse("mfa_activate_totp")
    # allauth asks for the password again before an authenticator is added.
    asked = client.get(reverse("mfa_activate_totp"))
    assert _next_of(asked) == (reverse("account_reauthenticate"), reverse("mfa_activate_totp"))
    client.post(asked["Location"], {"password": PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    secret = setup.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    # Set up, it proves the code once in this session, then the administration opens.
    step = client.get(ADMIN_LOGIN, {"next": "/admin/"})
    assert _next_of(step) == (reverse("mfa_reauthenticate"), "/admin/")
    done = client.post(
        reverse("mfa_reauthenticate") + "?next=/admin/",
        {"code": _code(user)},
    )
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    # Next time, the log-in itself asks for the code; with it, the administration opens.
    client.logout()
    client.post(reverse("account_login"), login)
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": _code(user)})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_keeps_the_administration_closed(client):
    person = make_person("Super", mfa=True, is_staff=True, is_superuser=True)
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    assert _next_of(client.get("/admin/"))[0] == ADMIN_LOGIN
