"""Why a control is not offered, and what to do about it: the reasons behind the rules that
every app shares (`plans/rules.py`: signed in, email verified, member of a civil-society
organisation), as a sentence with a link, so that a page shows the reason where the control
would be instead of nothing. Apps add their own reasons (a consultation's phase:
`participation/refusals.py`, `drafting/refusals.py`) after these."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext

from cocrea.plans.rules import has_verified_email, is_civil_society_member


@dataclass(frozen=True)
class Reason:
    text: str
    link: str = ""
    link_text: str = ""


def login_url(next_path: str) -> str:
    """The log-in page, coming back to `next_path` afterwards."""
    return f"{reverse('account_login')}?{urlencode({'next': next_path})}"


def account_reason(user: Any, next_path: str, *, login_text: str) -> Reason | None:
    """Not signed in: log in (and come back here). Signed in without a verified address: verify
    it, with the page that sends the link again. None when neither applies."""
    if not getattr(user, "is_authenticated", False):
        return Reason(login_text, login_url(next_path), gettext("Log in or create an account"))
    if not has_verified_email(user):
        return Reason(
            gettext("Verify your email address to take part: open the link we sent you by email."),
            reverse("account_email"),
            gettext("Send the link again"),
        )
    return None


def membership_reason(user: Any, thing: Any = None) -> Reason | None:
    """Civil society speaks through its organisations: someone who is not an approved member of
    one (of the thing's OGP member) is told to join one (each institution's page has the
    request)."""
    if is_civil_society_member(user, thing):
        return None
    return Reason(
        gettext(
            "Assessments are published on behalf of a civil-society organisation. Join an "
            "organisation: ask for membership on its page, and once it approves you, come back."
        ),
        reverse("plans:institution_list"),
        gettext("Find your organisation"),
    )
