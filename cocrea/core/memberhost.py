"""OGP members served at a host name of their own (COCREA_MEMBER_HOSTS: host -> member slug).

The middleware notes on the request which member's host it came to (`request.member_host`: the
member's slug, or "" on the site's own hosts); the home view shows that member's home, and other
addresses work as on any host. Core knows slugs only: what a slug names is the plans app's."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port


def request_host(request: HttpRequest) -> str:
    """The request's host name without its port, lower case; "" when Django refuses it."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    return split_domain_port(host)[0]


def member_slug_for(request: HttpRequest) -> str:
    return settings.COCREA_MEMBER_HOSTS.get(request_host(request), "")


class MemberHostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.member_host = (  # type: ignore[attr-defined]
            member_slug_for(request) if settings.COCREA_MEMBER_HOSTS else ""
        )
        return self.get_response(request)
