"""`/health/worker/`: 200 while the background worker's heartbeat is fresh, 503 with the reason in
plain text when it is stale or no worker was ever seen. `/health/` stays the floor that reads
nothing (issue 20)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cocrea.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _beat(seconds_ago: float, worker_id: str = "w1") -> None:
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=seen, seen_at=seen)


def test_a_fresh_heartbeat_is_healthy(client, settings):
    settings.COCREA_WORKER_STALE_SECONDS = 300
    _beat(400, "an old worker")
    _beat(20)
    response = client.get("/health/worker/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode().startswith("ok: background worker seen 2")
    assert "no-cache" in response["Cache-Control"]


def test_a_stale_heartbeat_is_503_with_how_long(client, settings):
    settings.COCREA_WORKER_STALE_SECONDS = 300
    _beat(301)
    response = client.get("/health/worker/")
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == "background worker not seen for 301 s (limit 300 s)\n"


def test_no_worker_ever_seen_is_503_and_says_so(client):
    response = client.get("/health/worker/")
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain"
    assert "no background worker has ever been seen" in response.content.decode()


def test_the_worker_check_refuses_writes(client):
    assert client.post("/health/worker/").status_code == 405


def test_the_floor_does_not_read_the_heartbeat(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/health/").status_code == 200
