"""The demo's people can log in where the demo is for trying things (development, where
`COCREA_DEMO_PASSWORD` has a default), and nowhere else: the point of contact with the password
and the authenticator's code reaches the desk as `make run` leaves it."""

import io
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from cocrea.accounts import demo
from cocrea.accounts.models import User

pytestmark = pytest.mark.django_db

EMAIL = "demo-punto-de-contacto@demo.invalid"


def _log_in(client, password):
    return client.post(reverse("account_login"), {"login": EMAIL, "password": password})


def test_the_demo_accounts_open_only_when_the_setting_says_so(client, settings):
    settings.COCREA_DEMO_PASSWORD = ""  # as in production: closed
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo log-ins" not in out.getvalue()
    contact = User.objects.get(email=EMAIL)
    assert not contact.has_usable_password()
    refused = _log_in(client, "demo-cocrea-2026")
    assert refused.status_code == 200 and "_auth_user_id" not in client.session

    settings.COCREA_DEMO_PASSWORD = "una-clave-de-demostracion"
    out = io.StringIO()
    demo.seed(out)
    assert EMAIL in out.getvalue() and "demo_code" in out.getvalue()
    response = _log_in(client, "una-clave-de-demostracion")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    code = demo.current_code(settings.COCREA_DEMO_TOTP_SECRET, time.time())
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    # No staff flag, no superuser: the role opens the desk.
    contact.refresh_from_db()
    assert not contact.is_staff and not contact.is_superuser
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert reverse("admin:plans_actionplan_changelist") in index.content.decode()

    # Loading again changes nothing: the same secret is kept, the password still works.
    secrets = list(contact.authenticator_set.values_list("id", flat=True))
    demo.seed(io.StringIO())
    assert list(contact.authenticator_set.values_list("id", flat=True)) == secrets


def test_demo_code_refuses_when_the_accounts_are_closed(settings):
    from django.core.management.base import CommandError

    settings.COCREA_DEMO_PASSWORD = ""
    with pytest.raises(CommandError, match="closed"):
        call_command("demo_code", stdout=io.StringIO())
    settings.COCREA_DEMO_PASSWORD = "abierta"
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    assert out.getvalue().split()[0].isdigit() and len(out.getvalue().split()[0]) == 6


def test_the_local_members_point_of_contact_logs_in_and_reaches_the_desk(client, settings):
    """The OGP Local member's own point of contact (issue 25): the role in that member only."""
    settings.COCREA_DEMO_PASSWORD = "una-clave-de-demostracion"
    call_command("seed_demo", stdout=io.StringIO())
    local = "demo-punto-de-contacto-local@demo.invalid"
    response = client.post(
        reverse("account_login"), {"login": local, "password": "una-clave-de-demostracion"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    code = demo.current_code(settings.COCREA_DEMO_TOTP_SECRET, time.time())
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    contact = User.objects.get(email=local)
    members = set(contact.role_grants.values_list("member__code", flat=True))
    assert members == {"GTM-DEMO"}
    assert client.get(reverse("admin:index")).status_code == 200
