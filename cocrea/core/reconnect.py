"""A request that loses its database connection half-way runs once more, on a new connection.

`CONN_HEALTH_CHECKS` (settings) checks a kept connection before a request's first query, so a
connection the server closed while it was idle (a restart, `pg_terminate_backend`) is replaced.
A connection closed while a request is using it fails that request's next query instead: under
the chaos load test (bench/chaos.py) those were the 500s left after the cut (issue 20). This
middleware then closes the lost connections and calls the view once more, when that is safe:

- a GET or HEAD changes nothing;
- any other method only if no change was committed during the request: every change goes
  through a service, which records an audit event, and `core.signals.data_changed` is sent after
  each such commit. A transaction the connection's end interrupted was rolled back by the
  server, so running the view again does the change once. (The one case left open is the
  connection ending during COMMIT itself: the server may have committed and the view runs again,
  as it would if the person sent the form again after an error.)

A public page reading from the read replica (cocrea.core.replica) runs once more on the primary
after any database error (the replica dropped the connection, or cancelled a query that
conflicted with its replay), and the replica is marked down if its connection is gone.

Any other error, or a connection that still works, is left to the 500 page."""

import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

from cocrea.core.replica import replica_failed
from cocrea.core.signals import data_changed

logger = logging.getLogger("cocrea.reconnect")
SAFE = ("GET", "HEAD")
_committed: ContextVar[bool] = ContextVar("cocrea_request_committed", default=False)


def _note_commit(**kwargs: Any) -> None:
    _committed.set(True)


data_changed.connect(_note_commit, dispatch_uid="cocrea.core.reconnect")


class RetryLostConnection:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _committed.set(False)
        try:
            return self.get_response(request)
        finally:
            _committed.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if (
            not isinstance(exception, OperationalError | InterfaceError)
            or (request.method not in SAFE and _committed.get())
            or getattr(request, "_cocrea_retried", False)
            or request.resolver_match is None
        ):
            return None
        on_replica = request.method in SAFE and replica_failed(request, exception)
        lost = [
            connection
            for connection in connections.all(initialized_only=True)
            if connection.connection is not None and not connection.is_usable()
        ]
        if not (lost or on_replica):
            return None
        for connection in lost:
            connection.close()
        logger.warning(
            "Database %s during %s %s (%s); running the view again",
            "replica failed" if on_replica else "connection lost",
            request.method,
            request.path,
            str(exception).strip(),
        )
        request._cocrea_retried = True  # type: ignore[attr-defined]
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
