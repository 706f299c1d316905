"""The sign-up form (settings.ACCOUNT_FORMS["signup"]): allauth's, answering the same, after the
same work, whether or not the address already has an account.

- Same work: a taken address goes through the whole sign-up too (the password hashed by
  set_password, the account, its public name and audit event, its address), inside a
  transaction that is then rolled back; then each path queues one email (adapter.send_mail). So
  the time of the answer tells nothing (issue #20: 730 ms against 93 ms before).
- Races: allauth checks the address when the form is cleaned, outside any transaction. Here the
  account is created inside one transaction that first takes a lock on the address (PostgreSQL:
  an advisory lock; SQLite: every transaction takes the write lock when it begins) and checks
  again. A parallel sign-up with the same address therefore answers as a taken address does
  (no second account, no error page); two addresses that derive the same username collide on
  the username's unique index, and the later one simply tries again with a new username."""

import hashlib

from allauth.account import app_settings
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.utils import filter_users_by_email
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponseBase


class _TakenError(Exception):
    """The address has an account: the sign-up just made is rolled back."""


def _lock_address(email: str) -> None:
    """Until the transaction ends, no other sign-up with this address gets past this point."""
    if connection.vendor == "postgresql":
        digest = hashlib.sha256(f"cocrea.signup:{email.lower()}".encode()).digest()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], signed=True)]
            )


class SignupForm(AllauthSignupForm):
    account_already_exists: bool  # set by allauth when the form is cleaned

    def try_save(
        self, request: HttpRequest
    ) -> tuple[AbstractBaseUser | None, HttpResponseBase | None]:
        honeypot = app_settings.SIGNUP_FORM_HONEYPOT_FIELD
        if honeypot and self.cleaned_data.get(honeypot):
            return super().try_save(request)  # allauth's pretended answer to a robot
        email = self.cleaned_data.get("email") or ""
        for attempt in range(2):  # a second try only after a username collision
            try:
                with transaction.atomic():
                    _lock_address(email)
                    found = bool(filter_users_by_email(email))
                    taken = self.account_already_exists or found
                    # The whole sign-up, password hash included, for a taken address too...
                    self.account_already_exists = False
                    user = self.save(request)
                    if taken:
                        raise _TakenError  # ...whose account is then rolled back.
                return user, None
            except _TakenError:
                self.account_already_exists = True
                break
            except IntegrityError:
                if attempt or filter_users_by_email(email):
                    self.account_already_exists = True
                    break
        user, response = super().try_save(request)  # allauth's answer for a taken address
        return user, response
