"""What plans offers every Jinja2 template (through the COCREA_JINJA_GLOBALS setting): plain
values only; the markup is in macros (cocrea/jinja2/includes/macros.html)."""

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from jinja2 import pass_context

from cocrea.core.i18n import language
from cocrea.core.jinja import url
from cocrea.plans.models import Milestone


def completion_label(value: str) -> str:
    """A completion's name in the active language, from the model's choices (the text of the
    `completion_badge` macro). Memoised per language, like the templates' other translations
    (core.jinja): a dashboard shows a badge on each of a plan's hundred or more milestones, and
    the lookup through the choices and the catalogue cost 17 µs each."""
    return _completion_label(value, language())


@lru_cache(maxsize=64)
def _completion_label(value: str, language: str) -> str:
    return str(Milestone.Completion(value).label)


def _hosts_by_slug() -> dict[str, str]:
    """{member slug: its own host} from COCREA_MEMBER_HOSTS (the first host of a member)."""
    by_slug: dict[str, str] = {}
    for host, slug in settings.COCREA_MEMBER_HOSTS.items():
        by_slug.setdefault(slug, host)
    return by_slug


@pass_context
def member_url(context: Any, member: Any) -> str:
    """Where a link to a member leads: its home at its own host (COCREA_MEMBER_HOSTS) when it has
    one, as a path when the page is on that host already; else its page, as a path on the
    site's hosts, or on the site's own address (COCREA_SITE_URL) from another member's host.
    `member` is anything with a `slug`."""
    request = context.get("request")
    current = getattr(request, "member_host", "") if request is not None else ""
    own_host = _hosts_by_slug().get(member.slug) if settings.COCREA_MEMBER_HOSTS else None
    site = urlsplit(settings.COCREA_SITE_URL)
    if own_host:
        home = url("plans:home")
        return home if current == member.slug else f"{site.scheme}://{own_host}{home}"
    path = url("plans:member", slug=member.slug)
    return f"{site.scheme}://{site.netloc}{path}" if current else path


JINJA_GLOBALS = {"completion_label": completion_label, "member_url": member_url}
