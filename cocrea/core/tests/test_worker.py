"""The background worker (`manage.py run_worker`) goes on through database trouble that ends
django-tasks-db's own `db_worker` for good (issue 20), and records its heartbeat.

The worker runs in a thread on committed data, against the test database, and each test cuts
that database from under it the way each engine fails: PostgreSQL refuses connections and the
worker's backend is terminated (`pg_terminate_backend`); SQLite is held locked by another
connection (the worker's next transaction fails at once with "database table is locked"). With
`db_worker` the thread ends at that error and the next task is never run."""

import os
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TypeVar

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cocrea.core.management.commands.run_worker import ResilientWorker
from cocrea.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)

T = TypeVar("T")
# A raw connection a task leaves holding SQLite's write lock, released by the test.
HELD: list[sqlite3.Connection] = []


@task()
def echo(value: str) -> str:
    return value


@task()
def cut_my_connection() -> str:
    """Lose the database while running, so the result cannot be stored: PostgreSQL's backend
    of this very connection is terminated; SQLite is left locked by another connection."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    else:
        HELD.append(_lock_sqlite())
    return "done"


def _lock_sqlite() -> sqlite3.Connection:
    other = sqlite3.connect(
        connection.settings_dict["NAME"], uri=True, isolation_level=None, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE core_dataversion SET value = value")
    return other


@contextmanager
def outage() -> Iterator[None]:
    """The database is unavailable to the worker until the block ends."""
    if connection.vendor == "postgresql":
        import psycopg

        from cocrea.core.tests.pg import other_connection

        database = connection.settings_dict
        # PostgreSQL will not close the database a session is using to it: the switch is
        # thrown from a connection to the maintenance database.
        with other_connection("postgres") as other:
            name = psycopg.sql.Identifier(database["NAME"])
            other.execute(psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
            try:
                # Every backend of the database but the test's own (the worker's), waiting
                # until each is gone.
                ours = [
                    each.connection.info.backend_pid
                    for each in connections.all(initialized_only=True)
                    if each.connection is not None
                ]
                other.execute(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> ALL(%s)",
                    [database["NAME"], ours],
                )
                yield
            finally:
                other.execute(
                    psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(name)
                )
    else:
        held = _lock_sqlite()
        try:
            yield
        finally:
            held.rollback()
            held.close()


def _until(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _retry(condition):
            return True
        time.sleep(0.05)
    return False


def _retry(read: Callable[[], T]) -> T:
    """Run `read` from the test's thread. SQLite's shared in-memory test database does not wait
    for a lock (the worker's exclusive transactions) but fails at once, so try again a little."""
    for _ in range(100):
        try:
            return read()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.02)
    return read()


@pytest.fixture
def worker() -> Iterator[ResilientWorker]:
    running = ResilientWorker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0.05,
        backend_name="default",
        max_tasks=None,
        worker_id="test-worker",
    )

    def run() -> None:
        try:
            running.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield running
    _release()
    running.running = False
    thread.join(timeout=40)
    assert not thread.is_alive()


def _release() -> None:
    while HELD:
        held = HELD.pop()
        held.rollback()
        held.close()


def _errors(caplog: pytest.LogCaptureFixture) -> int:
    return sum("Database error in worker" in r.getMessage() for r in caplog.records)


def _done(result_id: str) -> bool:
    return DBTaskResult.objects.filter(id=result_id, status=TaskResultStatus.SUCCESSFUL).exists()


def test_the_worker_goes_on_after_the_database_comes_back(worker, caplog):
    assert _until(lambda: WorkerHeartbeat.objects.filter(worker_id="test-worker").exists())
    with caplog.at_level("WARNING", logger="cocrea.worker"):
        with outage():
            time.sleep(1)  # the worker looks for tasks every 0.05 s: it meets the outage
        result = _retry(lambda: echo.enqueue("after the outage"))
        assert _until(lambda: _done(result.id)), "the worker did not run the next task"
    assert _retry(lambda: DBTaskResult.objects.get(id=result.id)).return_value == "after the outage"
    assert _errors(caplog) >= 1, "the worker never met the outage"
    assert worker.running


def test_a_task_whose_result_cannot_be_stored_is_marked_failed_and_the_worker_goes_on(
    worker, caplog
):
    with caplog.at_level("WARNING", logger="cocrea.worker"):
        cut = _retry(cut_my_connection.enqueue)
        assert _until(lambda: not DBTaskResult.objects.filter(id=cut.id, status="READY").exists())
        time.sleep(1)  # the task loses the database; storing its result fails
        _release()
        result = _retry(lambda: echo.enqueue("after the cut"))
        assert _until(lambda: _done(result.id)), "the worker did not run the next task"
    assert _errors(caplog) >= 1, "the task did not lose the database"
    failed = _retry(lambda: DBTaskResult.objects.get(id=cut.id))
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path.startswith("django.db.utils.")
    assert failed.finished_at is not None


def test_the_command_runs_the_queue_and_records_its_heartbeat():
    result = echo.enqueue("from the command")
    call_command(
        "run_worker",
        batch=True,
        startup_delay=False,
        reload=False,
        verbosity=0,
        worker_id="command-worker",
    )
    assert _done(result.id)
    beat = WorkerHeartbeat.objects.get(worker_id="command-worker")
    assert beat.seen_at >= beat.started_at
    assert beat.pid is not None


def test_heartbeats_of_workers_gone_for_a_day_are_forgotten():
    long_ago = timezone.now() - timedelta(days=2)
    WorkerHeartbeat.objects.create(worker_id="gone", started_at=long_ago, seen_at=long_ago)
    call_command("run_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert not WorkerHeartbeat.objects.filter(worker_id="gone").exists()
    assert WorkerHeartbeat.objects.count() == 1


def test_a_restarted_worker_with_the_same_id_records_its_new_process():
    earlier = timezone.now() - timedelta(minutes=1)
    WorkerHeartbeat.objects.create(worker_id="same", pid=1, started_at=earlier, seen_at=earlier)
    call_command(
        "run_worker", batch=True, startup_delay=False, reload=False, verbosity=0, worker_id="same"
    )
    beat = WorkerHeartbeat.objects.get(worker_id="same")
    assert beat.pid == os.getpid()
    assert beat.started_at > earlier
    assert beat.seen_at > earlier


def _running(worker_id: str, started: timedelta = timedelta(minutes=1)) -> str:
    """A task left "running" by `worker_id`, claimed `started` ago."""
    result = echo.enqueue("left running")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started,
        worker_ids=[worker_id],
    )
    return result.id


def _dead_pid() -> int:
    """The id of a process of this host that has ended (and been reaped)."""
    child = subprocess.Popen(["true"])  # noqa: S607 - a coreutils no-op
    child.wait()
    return child.pid


def _beat(worker_id: str, *, host: str, pid: int | None, seen: timedelta) -> None:
    at = timezone.now() - seen
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname=host, pid=pid, started_at=at, seen_at=at
    )


def _run_once(worker_id: str = "") -> None:
    options = {"worker_id": worker_id} if worker_id else {}
    call_command(
        "run_worker", batch=True, startup_delay=False, reload=False, verbosity=1, **options
    )


def test_a_task_left_running_by_a_killed_worker_of_this_host_runs_again(caplog):
    _beat("killed", host=socket.gethostname(), pid=_dead_pid(), seen=timedelta(seconds=5))
    orphan = _running("killed")
    with caplog.at_level("WARNING", "cocrea.worker"):
        _run_once()
    assert _done(orphan)
    assert DBTaskResult.objects.get(pk=orphan).return_value == "left running"
    assert any("worker killed ended while running it" in r.getMessage() for r in caplog.records)


def test_a_task_of_a_worker_that_is_alive_or_elsewhere_and_recent_is_left_to_it():
    _beat("alive-here", host=socket.gethostname(), pid=os.getpid(), seen=timedelta(seconds=5))
    _beat("elsewhere", host="another-host", pid=_dead_pid(), seen=timedelta(seconds=60))
    here, there = _running("alive-here"), _running("elsewhere")
    _run_once()
    statuses = DBTaskResult.objects.filter(pk__in=[here, there]).values_list("status", flat=True)
    assert set(statuses) == {TaskResultStatus.RUNNING}


def test_a_task_of_a_worker_elsewhere_not_seen_for_the_stale_limit_runs_again(settings):
    settings.COCREA_WORKER_STALE_SECONDS = 300
    _beat("silent", host="another-host", pid=1, seen=timedelta(seconds=301))
    orphan = _running("silent", started=timedelta(minutes=10))
    _run_once()
    assert _done(orphan)


def test_a_worker_restarted_with_the_same_id_runs_again_what_it_left_running():
    _beat("same-id", host=socket.gethostname(), pid=os.getpid(), seen=timedelta(seconds=5))
    orphan = _running("same-id")
    _run_once("same-id")
    assert _done(orphan)
