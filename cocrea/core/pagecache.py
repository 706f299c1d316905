"""Whole-page cache for anonymous visitors, keyed on the data version (cocrea.core.versioning).

A cached page is served while nothing has changed; the first committed change moves the version
on, so the next request renders afresh. Old entries are never read again and expire on their own.
Signed-in visitors, unsafe methods, error pages and responses that set cookies or used the CSRF
token are never cached.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from cocrea.core.versioning import data_version_get

HEADER = "X-Cocrea-Cache"


def _key(request: HttpRequest, version: int) -> str:
    raw = f"{version}|{get_language()}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.COCREA_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
    )


def cache_for_anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request, data_version_get())
        response: HttpResponse | None = cache.get(key)
        if response is not None:
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _cacheable_response(request, response):
            render = getattr(response, "render", None)
            if callable(render):
                render()
            cache.set(key, response, settings.COCREA_PAGE_CACHE_SECONDS)
            response[HEADER] = "miss"
        return response

    return wrapper
