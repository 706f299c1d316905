"""Reads of public pages from a read replica, when one is configured (`DATABASE_REPLICA_URL`).

Where reads go (ADR 11):

- `public_page` views run their reads inside `replica_reads()`: that is the mass of the traffic
  at a national consultation's peak, and what they read may lag the primary by the replica's
  delay. Signed-in people too, unless they changed something a moment ago.
- Read your writes: a request that changed something (a POST or other unsafe method answered
  below 400, a committed change, a log-in or log-out) gets a signed cookie that sends its
  browser's reads to the primary for `COCREA_REPLICA_STICKY_SECONDS`. A cookie needs no shared
  state, so it holds whichever app server the next request reaches.
- The replica down (it refuses or drops connections) or further behind than
  `COCREA_REPLICA_MAX_LAG_SECONDS`: reads go to the primary, and this process does not try the
  replica again for `COCREA_REPLICA_RETRY_SECONDS`. A public page whose replica connection broke
  half-way runs once more on the primary (cocrea.core.reconnect).
- The decision is taken once per request (`reads_from_replica`) and kept on it, so the page
  cache reads the data version from the same database the page is rendered from
  (cocrea.core.pagecache).

Writes always go to the primary ("default"), and so do the reads of everything else (forms, my
space, the administration, the API's writes), and the session and user of every request.
"""

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import DatabaseError, InterfaceError, OperationalError, connections, models
from django.http import HttpRequest, HttpResponse

from cocrea.core.signals import data_changed

REPLICA = "replica"
STICKY_COOKIE = "cocrea_primary"
_SALT = "cocrea.core.replica.read-your-writes"
SAFE = ("GET", "HEAD")
# How often a process asks the replica how far behind it is, at most.
LAG_CHECK_SECONDS = 5.0
# The replica's delay: none on a server that is not a replica (the tests' mirror) or while it
# has replayed all it received (an idle primary sends nothing, so the time of the last replayed
# change says nothing then), else the time since the last change it replayed; NULL (unknown,
# taken as behind) if it has WAL to replay and has replayed no change yet. After an idle spell
# the first change's delay reads as the whole spell (measured: 46 s for 6 s behind) until it is
# replayed: the error sends reads to the primary, never to a replica further behind.
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)

logger = logging.getLogger("cocrea.replica")
_public_read: ContextVar[bool] = ContextVar("cocrea_replica_reads", default=False)
_changed: ContextVar[bool] = ContextVar("cocrea_request_changed", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads go to the replica when one is configured."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class ReplicaRouter:
    """Django's database router: the replica for reads inside `replica_reads()`, the primary
    for everything else. Only the primary is migrated; the replica follows it by replication."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if settings.COCREA_REPLICA_READS and _public_read.get():
            return REPLICA
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        # Both aliases hold the same data: an object read from the replica may be related to
        # one read from the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


class ReplicaHealth:
    """What this process knows of the replica: down (until when it is tried again) or too far
    behind (until the next look). One per process: every request of a worker shares it."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.down = False
        self.retry_at = 0.0
        self.behind = False
        self.lag_checked_at = -LAG_CHECK_SECONDS

    def failed(self, error: Exception) -> None:
        if not self.down:
            logger.warning(
                "Read replica unavailable (%s); reading from the primary, trying it again "
                "every %s s",
                str(error).strip(),
                settings.COCREA_REPLICA_RETRY_SECONDS,
            )
        self.down = True
        self.retry_at = time.monotonic() + settings.COCREA_REPLICA_RETRY_SECONDS
        with contextlib.suppress(DatabaseError):
            connections[REPLICA].close()

    def available(self) -> bool:
        now = time.monotonic()
        if self.down and now < self.retry_at:
            return False
        connection = connections[REPLICA]
        try:
            # What Django does before a request's first query on a kept connection, done here
            # so a replica that went away is found before the page, not half-way through it.
            connection.close_if_health_check_failed()
            connection.ensure_connection()
            if now - self.lag_checked_at >= LAG_CHECK_SECONDS:
                self._check_lag(now)
        except (OperationalError, InterfaceError) as error:
            self.failed(error)
            return False
        if self.down:
            logger.warning("Read replica available again")
            self.down = False
        return not self.behind

    def _check_lag(self, now: float) -> None:
        self.lag_checked_at = now
        limit = settings.COCREA_REPLICA_MAX_LAG_SECONDS
        if limit <= 0 or connections[REPLICA].vendor != "postgresql":
            self.behind = False
            return
        lag = replica_lag_seconds()
        behind = lag is None or lag > limit
        if behind and not self.behind:
            logger.warning(
                "Read replica %s s behind the primary (over %s s); reading from the primary",
                "?" if lag is None else round(lag),
                limit,
            )
        self.behind = behind


replica_health = ReplicaHealth()


def replica_lag_seconds() -> float | None:
    """How far the replica is behind the primary, in seconds (PostgreSQL, see LAG_SQL); None if
    it cannot tell (changes waiting, none replayed yet)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else float(row[0])


def wrote_recently(request: HttpRequest) -> bool:
    """Whether this browser changed something in the last COCREA_REPLICA_STICKY_SECONDS: a
    forged, altered or expired mark counts for nothing."""
    mark = request.get_signed_cookie(
        STICKY_COOKIE,
        default=None,
        salt=_SALT,
        max_age=settings.COCREA_REPLICA_STICKY_SECONDS,
    )
    return mark is not None


def reads_from_replica(request: HttpRequest) -> bool:
    """Whether this request's public reads go to the replica, decided once and kept."""
    decided: bool | None = getattr(request, "_cocrea_replica", None)
    if decided is None:
        decided = (
            settings.COCREA_REPLICA_READS
            and not wrote_recently(request)
            and replica_health.available()
        )
        request._cocrea_replica = decided  # type: ignore[attr-defined]
    return decided


def replica_failed(request: HttpRequest, error: Exception) -> bool:
    """A database error in a request reading from the replica: the rest of the request reads
    from the primary, and the replica is marked down if its connection is gone. True if the
    request was reading from the replica (and may run again on the primary)."""
    if not getattr(request, "_cocrea_replica", False):
        return False
    request._cocrea_replica = False  # type: ignore[attr-defined]
    connection = connections[REPLICA]
    if connection.connection is None or not connection.is_usable():
        replica_health.failed(error)
    return True


def _note_change(**kwargs: Any) -> None:
    _changed.set(True)


data_changed.connect(_note_change, dispatch_uid="cocrea.core.replica")
user_logged_in.connect(_note_change, dispatch_uid="cocrea.core.replica.in")
user_logged_out.connect(_note_change, dispatch_uid="cocrea.core.replica.out")


class ReadYourWrites:
    """Marks the browser of a request that changed something, so its next reads, for
    COCREA_REPLICA_STICKY_SECONDS, go to the primary (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _changed.set(False)
        try:
            response = self.get_response(request)
            changed = _changed.get()
        finally:
            _changed.reset(token)
        if settings.COCREA_REPLICA_READS and (
            changed or (request.method not in SAFE and response.status_code < 400)
        ):
            response.set_signed_cookie(
                STICKY_COOKIE,
                "1",
                salt=_SALT,
                max_age=settings.COCREA_REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
