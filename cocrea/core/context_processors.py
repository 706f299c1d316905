from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info


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
                "url": translate_url(request.get_full_path(), code),
            }
            for code, _name in settings.LANGUAGES
            if code != current
        ]

    return {
        "site_name": settings.COCREA_SITE_NAME,
        "language_alternates": SimpleLazyObject(alternates),
    }
