"""Django's Redis cache, for which a Redis that is down, restarting or full is an empty cache,
not an error: pages still answer while Redis is away (REDIS_URL, settings.CACHES).

Every use of the cache here can do without it: the page cache renders the page, the explorer
counts again, the background work queues its task (an `add` answers True, "it was not there";
a task queued twice finds nothing left to do), and rate limits let the request through (allauth
counts in the cache: with nothing counted, nothing is over the limit). That last one is a choice:
for the seconds Redis is away, log-in attempts are not limited, rather than nobody being able to
sign in or submit anything; the warning in the log says when.

After a failure, Redis is left alone for RETRY_AFTER seconds (an option of the cache, 5 by
default), so that a Redis that does not answer costs one timeout per process in that time, not
one per request. django-redis's IGNORE_EXCEPTIONS does the same without the pause; this keeps
Django's own backend, which the project already runs, and adds one small class."""

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class TolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: list[str], *, retry_after: float = 5.0, **options: Any) -> None:
        super().__init__(servers, **options)
        self.retry_after = retry_after
        self.away_until = 0.0
        self.away = False

    def _run(self, call: Callable[[], T], otherwise: Callable[[], T]) -> T:
        if self.away and time.monotonic() < self.away_until:
            return otherwise()
        try:
            result = call()
        except RedisError as error:
            if not self.away:
                logger.warning(
                    "The Redis cache failed (%s): working without it, trying again every %s s.",
                    error,
                    self.retry_after,
                )
            self.away, self.away_until = True, time.monotonic() + self.retry_after
            return otherwise()
        if self.away:
            self.away = False
            logger.warning("The Redis cache answers again.")
        return result

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._run(lambda: RedisCacheClient.add(self, key, value, timeout), lambda: True)

    def get(self, key: Any, default: Any) -> Any:
        return self._run(lambda: RedisCacheClient.get(self, key, default), lambda: default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._run(lambda: RedisCacheClient.set(self, key, value, timeout), lambda: None)

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._run(lambda: RedisCacheClient.touch(self, key, timeout), lambda: False)

    def delete(self, key: Any) -> bool:
        return self._run(lambda: RedisCacheClient.delete(self, key), lambda: False)

    def get_many(self, keys: Iterable[Any]) -> dict[Any, Any]:
        keys = list(keys)
        return self._run(lambda: RedisCacheClient.get_many(self, keys), dict)

    def has_key(self, key: Any) -> bool:
        return self._run(lambda: RedisCacheClient.has_key(self, key), lambda: False)

    def incr(self, key: Any, delta: int) -> Any:
        def missing() -> Any:
            raise ValueError(f"Key '{key}' not found.")

        return self._run(lambda: RedisCacheClient.incr(self, key, delta), missing)

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> None:
        self._run(lambda: RedisCacheClient.set_many(self, data, timeout), lambda: None)

    def delete_many(self, keys: Iterable[Any]) -> None:
        keys = list(keys)
        self._run(lambda: RedisCacheClient.delete_many(self, keys), lambda: None)

    def clear(self) -> bool:
        return self._run(lambda: RedisCacheClient.clear(self), lambda: False)


class TolerantRedisCache(RedisCache):
    """settings.CACHES' backend with REDIS_URL. OPTIONS: RETRY_AFTER (seconds), and what
    Django's RedisCache takes (socket timeouts, which settings sets short)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("RETRY_AFTER", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = TolerantRedisCacheClient
        self._options = {**options, "retry_after": retry_after}
