"""A test-only URL configuration: the real site plus one deliberately broken public page, to show
that every gate finds a new page by itself and fails on it."""

from csp.decorators import csp_exempt
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cocrea.core.decorators import public_page
from cocrea.urls import handler404, handler500
from cocrea.urls import urlpatterns as site_patterns

BROKEN_HTML = """<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>Roto</title></head>
<body><main><h1>Página rota</h1>
<img src="/static/nada.png">
<p>Un párrafo <div>con un bloque dentro</div></p>
<table><tr><td>sin cerrar
<div class="wide">{padding}</div>
</main></body></html>"""


@public_page
@csp_exempt()
def broken(request: HttpRequest) -> HttpResponse:
    # 150 KB of text that does not compress well, in a line no phone can wrap.
    import random

    rng = random.Random(1)  # noqa: S311
    padding = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(150_000))
    response = HttpResponse(BROKEN_HTML.replace("{padding}", padding))
    del response["Referrer-Policy"]
    return response


urlpatterns = [
    *site_patterns,
    *i18n_patterns(path("roto/", broken, name="broken"), prefix_default_language=False),
]
__all__ = ["handler404", "handler500", "urlpatterns"]
