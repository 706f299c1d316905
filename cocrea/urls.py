from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from cocrea.core import views as core_views

# Spanish is served without a prefix (/planes/...), English under /en/ (/en/planes/...), so the
# language is part of the address: shareable, cacheable, and the same page in both languages.
urlpatterns: list[URLPattern | URLResolver] = [
    path("health/", core_views.health, name="health"),
]

urlpatterns += i18n_patterns(
    path("", include("cocrea.plans.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler404 = "cocrea.core.views.not_found"
handler500 = "cocrea.core.views.server_error"
