"""Whole-page cache for anonymous visitors, keyed on the data version (cocrea.core.versioning).

A cached page is served while nothing has changed; the first committed change moves the version
on, so the next request renders afresh, in every process. Old entries are never read again and
expire on their own.

It is a middleware near the top of the stack, so a hit skips sessions, authentication, templates
and even compression: what is stored is the finished response, headers included. Only views marked
`@public_page` are stored, only for requests without a session cookie (anonymous visitors, so
what is stored is always the anonymous version of a page, whose `Vary: Cookie` stays for other
caches), and never a response that is not a plain 200, that sets a cookie, or that used the CSRF
token. The language is
part of the path (i18n_patterns), and compressed and plain responses, and each host's pages
(cocrea.core.memberhost), are kept apart. With a read replica, the version is read from the
database the page is read from (`_version`), so a page is never stored under a version newer
than what it shows.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from cocrea.core.memberhost import request_host
from cocrea.core.replica import reads_from_replica, replica_failed, replica_reads
from cocrea.core.versioning import data_version_get

HEADER = "X-Cocrea-Cache"


def _key(request: HttpRequest, version: int) -> str:
    gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    # The host is part of the key: a member served at its own host (COCREA_MEMBER_HOSTS) has
    # its own home at "/", and links between members differ by host.
    raw = f"{version}|{int(gzip)}|{request_host(request)}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _anonymous_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _public_path(request: HttpRequest) -> bool:
    """Whether the address is a public page, resolved in its own language (the language prefix
    is part of the path), so other addresses skip the cache without touching the database."""
    path = request.path_info
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return False
    return bool(getattr(match.func, "public_page", False))


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and getattr(match.func, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
    )


def _version(request: HttpRequest) -> int:
    """The data version of the database the page will be read from: a replica behind the
    primary renders an older page, which must not be stored under the primary's newer version
    (it would be served until the next change). Read from the replica, a stored page is at
    least as new as its key; the replica's visitors then never ask the primary at all."""
    if reads_from_replica(request):
        try:
            with replica_reads():
                return data_version_get()
        except (OperationalError, InterfaceError) as error:
            replica_failed(request, error)
    return data_version_get()


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (settings.COCREA_PAGE_CACHE and _anonymous_read(request) and _public_path(request)):
            return self.get_response(request)
        key = _key(request, _version(request))
        cached: HttpResponse | None = cache.get(key)
        if cached is not None:
            cached[HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _storable(request, response):
            response[HEADER] = "miss"
            cache.set(key, response, settings.COCREA_PAGE_CACHE_SECONDS)
        return response
