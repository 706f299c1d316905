from allauth import urls as allauth_urls
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from cocrea.core import views as core_views
from cocrea.opendata.urls import api_patterns

# allauth's pages that anyone reaches without an account: checked by the quality gates like our
# public pages (they carry forms, so the page cache never stores them).
PUBLIC_FORMS = {"account_login", "account_signup", "account_reset_password"}


def _mark_public_forms(patterns: list[URLPattern | URLResolver]) -> None:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _mark_public_forms(entry.url_patterns)
        elif entry.name in PUBLIC_FORMS:
            entry.callback.public_form = True  # type: ignore[attr-defined]


_mark_public_forms(allauth_urls.urlpatterns)

# Spanish is served without a prefix (/planes/...), English under /en/ (/en/planes/...), so the
# language is part of the address: shareable, cacheable, and the same page in both languages.
urlpatterns: list[URLPattern | URLResolver] = [
    path("health/", core_views.health, name="health"),
    path("health/worker/", core_views.health_worker, name="health_worker"),
    *api_patterns,
]

urlpatterns += i18n_patterns(
    path("", include("cocrea.plans.urls")),
    path("", include("cocrea.tracking.urls")),
    path("", include("cocrea.forum.urls")),
    path("", include("cocrea.participation.urls")),
    path("", include("cocrea.drafting.urls")),
    path("", include("cocrea.opendata.urls")),
    path("", include("cocrea.accounts.urls")),
    path("", include("cocrea.audit.urls")),
    path("", include("cocrea.notifications.urls")),
    path("", include("cocrea.search.urls")),
    path("", include("cocrea.explorer.urls")),
    path("cuentas/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler403 = "cocrea.core.views.forbidden"
handler404 = "cocrea.core.views.not_found"
handler500 = "cocrea.core.views.server_error"
# allauth answers its rate limits through this handler too (allauth.core.ratelimit).
handler429 = "cocrea.core.views.too_many_requests"
