"""Web requests and lost database connections (issue 20): a kept connection the server closed is
replaced before a request uses it (CONN_HEALTH_CHECKS), and a request whose connection is closed
half-way runs once more on a new one (cocrea.core.reconnect), unless it already committed a
change.

PostgreSQL ends a connection with pg_terminate_backend, as it did to gunicorn's workers. SQLite
has no server that could close one; there the setting is checked, and that a database error on a
connection that still works is never hidden by running the view again."""

import pytest
from django.db import OperationalError, close_old_connections, connection, connections
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

from cocrea.core.models import WorkerHeartbeat
from cocrea.core.reconnect import RetryLostConnection
from cocrea.core.signals import data_changed
from cocrea.core.tests.pg import other_connection

pytestmark = pytest.mark.django_db(transaction=True)
POSTGRESQL = "postgresql"


def _terminate_this_connection() -> int:
    pid = connection.connection.info.backend_pid
    with other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits until gone
    return int(pid)


def _counting_view(calls: list[int]):
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(WorkerHeartbeat.objects.count())  # a query: it needs a working connection
        return HttpResponse("run again")

    return view


def _request(make, view):
    request = make("/somewhere/")
    request.resolver_match = ResolverMatch(view, (), {})
    return request


def test_a_request_after_the_database_closed_its_connection_reconnects():
    for alias in connections:
        assert connections[alias].settings_dict["CONN_HEALTH_CHECKS"] is True, alias
    assert WorkerHeartbeat.objects.count() == 0  # the connection is open and kept
    if connection.vendor == POSTGRESQL:
        before = _terminate_this_connection()
        close_old_connections()  # what Django does as every request starts
        assert WorkerHeartbeat.objects.count() == 0
        assert connection.connection.info.backend_pid != before


def test_a_read_whose_connection_was_closed_half_way_runs_again(client, settings):
    assert WorkerHeartbeat.objects.count() == 0  # the connection is open, checked, kept
    if connection.vendor == POSTGRESQL:
        # The test client skips the check at the request's start: the view's query is the first
        # to find the connection gone, as a query half-way through a request would.
        before = _terminate_this_connection()
        response = client.get("/health/worker/")
        assert response.status_code == 503
        assert "no background worker has ever been seen" in response.content.decode()
        assert connection.connection.info.backend_pid != before
    else:
        assert "cocrea.core.reconnect.RetryLostConnection" in settings.MIDDLEWARE


@pytest.mark.parametrize("method", ["post", "get"])
def test_a_request_that_committed_nothing_runs_again_on_a_new_connection(rf, method):
    calls: list[int] = []
    request = _request(getattr(rf, method), _counting_view(calls))
    answers = []

    def view_then_lost(request: HttpRequest) -> HttpResponse:
        # A database error on a connection that works is not a lost connection.
        answers.append(middleware.process_exception(request, OperationalError("an error")))
        if connection.vendor == POSTGRESQL:
            _terminate_this_connection()
            answers.append(middleware.process_exception(request, OperationalError("lost")))
            _terminate_this_connection()
            answers.append(middleware.process_exception(request, OperationalError("lost again")))
        return HttpResponse(status=500)

    assert WorkerHeartbeat.objects.count() == 0
    middleware = RetryLostConnection(view_then_lost)
    middleware(request)
    if connection.vendor == POSTGRESQL:
        first, again, once_only = answers
        assert first is None
        assert again is not None
        assert again.content == b"run again"
        assert once_only is None
        assert calls == [0]
        connection.close()
    else:
        assert answers == [None]
        assert calls == []


def test_a_write_that_committed_a_change_is_not_run_again(rf):
    calls: list[int] = []
    request = _request(rf.post, _counting_view(calls))
    answers = []

    def view_then_lost(request: HttpRequest) -> HttpResponse:
        data_changed.send(sender=WorkerHeartbeat)  # a service committed a change
        if connection.vendor == POSTGRESQL:
            _terminate_this_connection()
        answers.append(middleware.process_exception(request, OperationalError("connection lost")))
        return HttpResponse(status=500)

    assert WorkerHeartbeat.objects.count() == 0
    middleware = RetryLostConnection(view_then_lost)
    assert middleware(request).status_code == 500
    assert answers == [None]
    assert calls == []
    connection.close()


def test_other_errors_are_not_hidden(rf):
    calls: list[int] = []
    request = _request(rf.get, _counting_view(calls))
    assert WorkerHeartbeat.objects.count() == 0
    if connection.vendor == POSTGRESQL:
        _terminate_this_connection()
    assert RetryLostConnection(HttpResponse).process_exception(request, ValueError("no")) is None
    assert calls == []
    connection.close()
