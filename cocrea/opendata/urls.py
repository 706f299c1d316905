from django.urls import URLPattern, URLResolver, include, path

from cocrea.opendata import feeds, views
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
    path("datos-abiertos/", views.opendata, name="index"),
    path("instituciones/<slug:slug>/tokens/", views.tokens, name="tokens"),
    path("datos-abiertos/descargas/<str:filename>", views.download, name="download"),
    path("datos-abiertos/api/", views.api_docs, name="api_docs"),
    path("planes/<slug:slug>/novedades.atom", feeds.PlanFeed(), name="plan_feed"),
    path("planes/<slug:slug>/documento/", views.plan_document, name="plan_document"),
    path("planes/<slug:slug>/documento.pdf", views.plan_document_pdf, name="plan_document_pdf"),
    path("planes/<slug:slug>/autoevaluacion/", views.self_assessment, name="self_assessment"),
    path(
        "planes/<slug:slug>/autoevaluacion.pdf",
        views.self_assessment_pdf,
        name="self_assessment_pdf",
    ),
    path(
        "planes/<slug:plan_slug>/compromisos/<slug:slug>/novedades.atom",
        feeds.CommitmentFeed(),
        name="commitment_feed",
    ),
    path(
        "instituciones/<slug:slug>/novedades.atom",
        feeds.InstitutionFeed(),
        name="institution_feed",
    ),
    path(
        "consultas/<slug:slug>/novedades.atom", feeds.ConsultationFeed(), name="consultation_feed"
    ),
    path("miembros/<slug:slug>/novedades.atom", feeds.MemberFeed(), name="member_feed"),
    path("novedades.atom", feeds.SiteFeed(), name="feed"),
]

# The API itself, outside it: one address whatever the language.
_patterns, _app, _namespace = api_urls()
api_patterns = [path("api/v1/", include((_patterns, _app), namespace=_namespace))]
