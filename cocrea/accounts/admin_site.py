"""The administration behind two factors. Django's admin has a log-in form of its own that asks
for a password only; here it has none: `/admin/login/` sends people to the site's log-in (with
its second factor), an account that may use the administration but has no authenticator app is
sent to set one up, and one whose session did not pass the second factor is asked for a code.
Whoever reaches an admin page is staff or the point of contact, with an authenticator
(`accounts.use_admin`, the rule) in a session that passed it. Superusers included, those made
with `createsuperuser` too. The point of contact sees only what their role is granted
(`desk_permissions` in the apps' rules) and every save goes through the services."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def passed_second_factor(request: HttpRequest) -> bool:
    """Whether this session's log-in (or a later re-authentication) used the second factor."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def may_use_admin(request: HttpRequest) -> bool:
    import rules

    return bool(rules.has_perm("accounts.use_admin", request.user)) and passed_second_factor(
        request
    )


class AdminSite(admin.AdminSite):
    # Named after the site, not "Django administration": the point of contact works here.
    @property
    def site_header(self) -> str:  # type: ignore[override]
        return _("%(site)s: administration") % {"site": settings.COCREA_SITE_NAME}

    @property
    def site_title(self) -> str:  # type: ignore[override]
        return self.site_header

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def password_change(  # type: ignore[override]  # a redirect, not the admin's form
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """One place to change a password: the site's own (allauth's), which also signs the
        change in the account's security notices, not the admin's second form."""
        return redirect("account_change_password")

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """No password-only door: the next step towards the administration, or a refusal."""
        import rules

        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        target = target or reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return _to("account_login", target)
        if not _may_enter(user):
            raise PermissionDenied
        if not rules.has_perm("accounts.use_admin", user):
            messages.info(
                request,
                _(
                    "The administration asks for two-factor authentication. Set up an "
                    "authenticator app to continue."
                ),
            )
            return _to("mfa_activate_totp", target)
        if not passed_second_factor(request):
            return _to("mfa_reauthenticate", target)
        return redirect(target)


def _may_enter(user: Any) -> bool:
    """Staff, or the point of contact, whose role opens the desk (accounts/rules.py)."""
    from cocrea.accounts.rules import is_point_of_contact_somewhere, is_staff_member

    return bool(is_staff_member(user) or is_point_of_contact_somewhere(user))


def _to(name: str, target: str) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: target})}")


class CocreaAdminConfig(AdminConfig):
    """Django's admin app, with the site above as `admin.site`."""

    default_site = "cocrea.accounts.admin_site.AdminSite"
