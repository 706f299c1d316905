from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cocrea.core.models import WorkerHeartbeat


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """Plain-text liveness check; also the floor the benchmark compares pages with."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def health_worker(request: HttpRequest) -> HttpResponse:
    """Plain-text check of the background worker (`manage.py run_worker`): 200 when a worker has
    recorded its heartbeat within COCREA_WORKER_STALE_SECONDS, 503 otherwise, with the reason. For
    monitoring; `/health/` stays the floor that touches nothing."""
    limit = settings.COCREA_WORKER_STALE_SECONDS
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if seen is None:
        return _plain(
            "no background worker has ever been seen (is `manage.py run_worker` running?)", 503
        )
    age = max(0, round((timezone.now() - seen).total_seconds()))
    if age > limit:
        return _plain(f"background worker not seen for {age} s (limit {limit} s)", 503)
    return _plain(f"ok: background worker seen {age} s ago", 200)


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text + "\n", content_type="text/plain", status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "429.html", status=429)
