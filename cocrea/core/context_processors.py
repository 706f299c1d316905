from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info, override


@lru_cache(maxsize=8192)
def _path_in(
    language: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> str | None:
    with override(language):
        try:
            return reverse(name, args=args, kwargs=dict(kwargs))
        except NoReverseMatch:
            return None


def _page_in(request: HttpRequest, language: str) -> str:
    """The current page in another language. The view's URL pattern is already known, so it is
    reversed in that language (memoised, like the templates' addresses) instead of resolving the
    path again as Django's translate_url does: that was a tenth of a short page. Error pages
    and unnamed patterns fall back to translate_url."""
    match = request.resolver_match
    full_path = request.get_full_path()
    if match is not None and match.url_name:
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        path = _path_in(language, name, tuple(match.args), tuple(sorted(match.kwargs.items())))
        if path is not None:
            query = urlsplit(full_path).query
            return f"{path}?{query}" if query else path
    return translate_url(full_path, language)


def site(request: HttpRequest) -> dict[str, object]:
    """The site name and, for the language switch, the current page in every other language:
    worked out when a template first reads it, so the parts of a page rendered on their own
    (commitment sections) don't pay for it again."""
    current = get_language()

    def alternates() -> list[dict[str, str]]:
        return [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": _page_in(request, code),
            }
            for code, _name in settings.LANGUAGES
            if code != current
        ]

    return {
        "site_name": settings.COCREA_SITE_NAME,
        "language_alternates": SimpleLazyObject(alternates),
    }
