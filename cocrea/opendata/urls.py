from django.urls import URLPattern, URLResolver, include, path

from cocrea.opendata import views
from cocrea.opendata.api import api
from cocrea.opendata.conditional import conditional

app_name = "opendata"


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URL patterns, each view answering conditional requests."""
    patterns, app, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = conditional(pattern.callback)
    return patterns, app, namespace


# Pages, inside the language prefix (cocrea/urls.py).
urlpatterns = [
    path("datos-abiertos/api/", views.api_docs, name="api_docs"),
]

# The API itself, outside it: one address whatever the language.
_patterns, _app, _namespace = api_urls()
api_patterns = [path("api/v1/", include((_patterns, _app), namespace=_namespace))]
