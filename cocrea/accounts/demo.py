"""Demo accounts one can log in with, on a development machine only.

The demo's people (the point of contact, an official, a civil-society member: the apps' demo
modules create them, with no usable password) get a known password and, where the rules ask for
two factors, an authenticator with a known secret, so that after `make run` each kind of user can
do their job. `manage.py demo_code` prints the authenticator's current code. Off unless
`COCREA_DEMO_PASSWORD` is set, which it is by default only in development: a production site
that loads the demo keeps its accounts closed."""

from typing import Any, TextIO

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.db import transaction

from cocrea.accounts.models import User

# The accounts the demo opens, in the order the README lists them, and whether each has an
# authenticator (the rules ask for one of staff: publishing, answering, deciding).
LOGINS = (
    ("demo-punto-de-contacto", True),
    ("demo-funcionaria", True),
    ("demo-sociedad-civil", False),
    ("demo-punto-de-contacto-local", True),  # the OGP Local member's (plans' demo_local)
)


def _email(username: str) -> str:
    return f"{username}@demo.invalid"


def open_accounts(*, password: str, secret: str) -> list[User]:
    """Give the demo's accounts the password and, for those with a second factor, the secret;
    safe to run again (an account already set up is left as it is)."""
    opened = []
    with transaction.atomic():
        for username, second_factor in LOGINS:
            user = User.objects.filter(username=username, email=_email(username)).first()
            if user is None:
                continue
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            if second_factor:
                totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
                current = totp.first()
                if current is None or decrypt(current.data["secret"]) != secret:
                    totp.delete()
                    TOTP.activate(user, secret)
            opened.append(user)
    return opened


def seed(stdout: TextIO, **_: Any) -> None:
    """The last demo seeder (COCREA_DEMO_SEEDERS): open the accounts when the setting says so."""
    password = settings.COCREA_DEMO_PASSWORD
    if not password:
        return
    opened = open_accounts(password=password, secret=settings.COCREA_DEMO_TOTP_SECRET)
    stdout.write("Demo log-ins (development only), password " + password + ":")
    for user in opened:
        stdout.write(f"  {user.email}  ({user.public_name})")
    stdout.write("  The code asked after the password: .venv/bin/python manage.py demo_code")


def current_code(secret: str, at: float) -> str:
    """The authenticator's code at the time `at` (seconds since the epoch)."""
    return format_hotp_value(hotp_value(secret, int(at) // 30))
