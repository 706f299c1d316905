"""The cache with REDIS_URL is shared by every process (page cache, allauth's rate limits), and
a Redis that dies is an empty cache, not an error: pages still answer, people still sign in,
and when Redis is back the cache works again (cocrea/core/cache.py). A real redis-server on
loopback, stopped and started again mid-test."""

import logging
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from cocrea.core.pagecache import HEADER
from conftest import make_person
from tests.servers import python_with

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
RETRY_AFTER = 0.3
PASSWORD = "una-clave-larga-de-prueba-1"  # make_person's


@pytest.fixture
def redis_cache(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "cocrea.core.cache.TolerantRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 1.0,
                "RETRY_AFTER": RETRY_AFTER,
            },
        }
    }
    settings.COCREA_PAGE_CACHE = True
    return redis_server


def _another_process(redis_url: str, script: str) -> str:
    """What `script` prints, run in another Python process with the same REDIS_URL."""
    result = python_with(
        "import django; django.setup()\n" + script,
        COCREA_ENVIRONMENT="test",
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="cocrea.settings",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_page_stored_by_one_process_is_served_by_another(client, plan, redis_cache):
    url = plan.get_absolute_url()
    assert client.get(url)[HEADER] == "miss"
    # Another process finds the page this one stored, under the same key, whole.
    found = _another_process(
        redis_cache.url,
        "from django.core.cache import cache\n"
        "redis = cache._cache.get_client()\n"
        "keys = [k.decode().split(':', 2)[2] for k in redis.keys('*page:*')]\n"
        "pages = [cache.get(k) for k in keys]\n"
        "print(len(pages), *[(p.status_code, p['Content-Type']) for p in pages])",
    )
    assert found == "1 (200, 'text/html; charset=utf-8')"
    assert client.get(url)[HEADER] == "hit"


def test_a_rate_limit_used_up_in_one_process_holds_in_another(client, redis_cache, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    used = _another_process(
        redis_cache.url,
        "from django.conf import settings\n"
        "settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, 'login': '3/m/ip'}\n"
        "from allauth.core import ratelimit\n"
        "from django.test import RequestFactory\n"
        "request = RequestFactory().post('/', REMOTE_ADDR='127.0.0.1')\n"
        "print(sum(bool(ratelimit.consume(request, action='login')) for _ in range(5)))",
    )
    assert used == "3"
    response = client.post(
        reverse("account_login"), {"login": "alguien@example.org", "password": "x"}
    )
    assert response.status_code == 429


def test_pages_answer_while_redis_is_down_and_are_cached_again_once_it_is_back(
    client, plan, redis_cache, caplog
):
    url = plan.get_absolute_url()
    assert client.get(url)[HEADER] == "miss"
    assert client.get(url)[HEADER] == "hit"

    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="cocrea.core.cache"):
        down = [client.get(url) for _ in range(3)]
    assert [(r.status_code, r[HEADER]) for r in down] == [(200, "miss")] * 3
    assert plan.title in down[0].content.decode()
    warnings = [r for r in caplog.records if r.name == "cocrea.core.cache"]
    assert len(warnings) == 1 and "working without it" in warnings[0].getMessage()

    redis_cache.start()  # empty, as a restarted Redis without persistence
    time.sleep(RETRY_AFTER + 0.1)
    assert client.get(url)[HEADER] == "miss"
    assert client.get(url)[HEADER] == "hit"
    assert cache.get("nothing-here", "default") == "default"


def test_people_sign_in_while_redis_is_down(client, redis_cache):
    """Rate limits let requests through while Redis is away (fail open): a Redis restart must
    not lock everyone out. The log says when it happened."""
    person = make_person("Ciudadana")
    redis_cache.stop()
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(person.pk)


def test_wrong_passwords_are_answered_not_failed_while_redis_is_down(client, redis_cache):
    person = make_person("Ciudadana")
    redis_cache.stop()
    response = client.post(reverse("account_login"), {"login": person.email, "password": "mala"})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_every_cache_operation_is_a_miss_or_a_no_op_while_redis_is_down(redis_cache):
    cache.set("kept", 1)
    redis_cache.stop()
    assert cache.get("kept") is None
    assert cache.get_many(["kept", "other"]) == {}
    assert cache.add("queued", True) is True  # "it was not there": the caller queues its work
    assert cache.get_or_set("computed", lambda: 7) == 7
    cache.set("a", 1)
    cache.set_many({"a": 1, "b": 2})
    assert cache.delete("a") is False
    cache.delete_many(["a", "b"])
    assert cache.has_key("a") is False
    assert cache.touch("a") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
