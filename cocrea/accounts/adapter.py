"""How allauth behaves on Cocrea (settings.ACCOUNT_ADAPTER).

- Email is queued for the background worker (tasks.py), never sent inside the request: the
  answer to a sign-up, a password reset or a log-in takes the same time whatever the address.
- Failed log-ins are counted per account *and* client address (rate "login_failed", per "key"),
  so someone who knows only an email address can lock it out from their own address, not from
  the owner's; the lockout message offers the password reset. The client address is allauth's:
  REMOTE_ADDR, or X-Forwarded-For from the proxies settings.ALLAUTH_TRUSTED_PROXY_COUNT trusts
  (COCREA_TRUSTED_PROXIES), IPv6 counted by /64.
- Confirming an address that another account confirmed a moment earlier answers with allauth's
  "already confirmed by another account" message instead of a database error.
- Emails name the site (settings.COCREA_SITE_NAME) and its public address (COCREA_SITE_URL),
  never the host a request came in on: without django.contrib.sites, allauth's `current_site`
  would be the request's host ("Hello from 127.0.0.1:8000!")."""

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from cocrea.accounts.tasks import mail_queue


def lockout_message() -> str:
    return format_html(
        gettext(
            "Too many failed log-in attempts to this account from your connection. Try again in"
            ' a few minutes, or <a href="{url}">reset your password</a>.'
        ),
        url=reverse("account_reset_password"),
    )


def email_site() -> SimpleNamespace:
    """What allauth's email templates read as `current_site`: its name and domain."""
    return SimpleNamespace(
        name=settings.COCREA_SITE_NAME,
        domain=urlsplit(settings.COCREA_SITE_URL).netloc or settings.COCREA_SITE_URL,
    )


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": email_site()}
        ctx.update(context)
        mail_queue(self.render_mail(template_prefix, email, ctx))

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.COCREA_SITE_NAME}] {subject}"

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The key of the "login_failed" rate: the account and the client's address."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{get_ip(request)}"

    def validation_error(self, code: str, *args: Any) -> forms.ValidationError:
        if code == "too_many_login_attempts":
            return forms.ValidationError(lockout_message(), code=code)
        error: forms.ValidationError = super().validation_error(code, *args)
        return error

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        try:
            with transaction.atomic():
                return bool(super().confirm_email(request, email_address))
        except IntegrityError:
            # Verified by another account between allauth's check and this save.
            self.add_message(
                request,
                messages.ERROR,
                "account/messages/email_confirmation_failed.txt",
                {"email": email_address.email},
            )
            return False
