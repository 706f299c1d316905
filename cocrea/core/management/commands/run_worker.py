"""`manage.py run_worker`: the background worker (django-tasks-db's), kept going through database
trouble and leaving a heartbeat for `/health/worker/` (issue 20).

django-tasks-db's `db_worker` ends at the first database error outside a task's own code: a
connection the server closed (a restart, `pg_terminate_backend`), PostgreSQL refusing connections
for a moment, SQLite locked past its timeout, or a task whose connection is cut so that its result
cannot be stored. Nothing then runs the queue again. This command runs the same `Worker` in passes
(its batch mode: every task that is ready, then the pass ends). Between passes the worker records
its heartbeat (`core.WorkerHeartbeat`, at most every `COCREA_WORKER_HEARTBEAT_SECONDS`, and after
a task once that span has passed) and sleeps `--interval`. A database error ends only the pass:
the connections are closed, the worker waits (1 s, doubling up to 30 s) and starts a new pass. A
task whose result could not be stored is marked failed, with the error, once the database answers
again, instead of staying "running" for ever.

A worker that dies all the same (killed, out of memory) is restarted from outside: `bin/supervise`
under `make run` and `make serve`, systemd's `Restart=always` in production (docs/deployment.md).
The task it was running would stay "running" for ever: with each heartbeat, a worker puts back in
the queue the tasks left running by a worker that is gone, one of this host whose process no
longer exists, or any not seen for `COCREA_WORKER_STALE_SECONDS` (a worker busy with one long
task does not beat, hence the long limit for other hosts). The task runs again: tasks are written
to be run twice (an export or a fan-out finds nothing left to do; an import checks its status).
"""

import logging
import math
import os
import random
import socket
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import Error, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from cocrea.core.models import WorkerHeartbeat

logger = logging.getLogger("cocrea.worker")
MAX_BACKOFF_SECONDS = 30.0
# A worker's heartbeat row is removed a day after it was last seen (each start adds one).
FORGET_AFTER = timedelta(days=1)


class ResilientWorker(Worker):
    """django-tasks-db's Worker run pass after pass; see the module's docstring."""

    def __init__(self, *, once: bool = False, startup_delay: bool = False, **options: Any) -> None:
        # Each pass is one batch; `once` (the command's --batch) stops after the first clean one.
        super().__init__(batch=True, startup_delay=False, **options)
        self.once = once
        self.initial_delay = startup_delay
        self.started_at = timezone.now()
        self.last_beat = -math.inf
        self.done = 0
        self.cut: tuple[DBTaskResult, Error] | None = None

    def run(self) -> None:
        logger.info("Worker %s started on queues %s", self.worker_id, ",".join(self.queue_names))
        # Each pass would log that it starts and finds no more tasks: the worker says it once.
        library = logging.getLogger("django_tasks_db")
        library.setLevel(max(logging.WARNING, library.getEffectiveLevel()))
        if self.initial_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (spreads workers started together)
        backoff = 0.0
        while self.running:
            try:
                self.recover()
                self.beat()
                super().run()
            except Error as error:
                backoff = min(max(backoff * 2, 1.0), MAX_BACKOFF_SECONDS)
                logger.warning(
                    "Database error in worker %s (%s: %s); trying again in %.0f s",
                    self.worker_id,
                    type(error).__name__,
                    str(error).strip(),
                    backoff,
                )
                close_connections()
                time.sleep(backoff)
                continue
            backoff = 0.0
            if self.once or (self.max_tasks is not None and self.done >= self.max_tasks):
                return
            if self.running:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except Error as error:
            # The task's result could not be stored (the connection went during the task).
            self.cut = (db_task_result, error)
            raise
        finally:
            self.done += 1
        self.beat()

    def recover(self) -> None:
        """Mark failed the task whose result could not be stored, if it is still running."""
        if self.cut is None:
            return
        result, error = self.cut
        if DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).exists():
            result.set_failed(error)
            logger.warning("Task %s marked failed: %s", result.pk, str(error).strip())
        self.cut = None

    def beat(self) -> None:
        if time.monotonic() - self.last_beat < settings.COCREA_WORKER_HEARTBEAT_SECONDS:
            return
        now = timezone.now()
        fields: dict[str, Any] = {"seen_at": now}
        if self.last_beat == -math.inf:  # this process's first: a restarted worker keeps its id
            WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
            fields.update(
                started_at=self.started_at, hostname=socket.gethostname()[:255], pid=os.getpid()
            )
        self.requeue_orphans(now, first=self.last_beat == -math.inf)
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults=fields,
            create_defaults={
                "seen_at": now,
                "started_at": self.started_at,
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )
        self.last_beat = time.monotonic()

    def requeue_orphans(self, now: datetime, *, first: bool) -> None:
        """Tasks left running by a worker that is gone go back to the queue (the docstring);
        on this process's first beat, those its worker id claimed before it started too (a
        worker restarted with the same --worker-id)."""
        host = socket.gethostname()[:255]
        stale = now - timedelta(seconds=settings.COCREA_WORKER_STALE_SECONDS)
        gone = {
            beat.worker_id
            for beat in WorkerHeartbeat.objects.exclude(worker_id=self.worker_id)
            if beat.seen_at < stale or (beat.hostname == host and not process_alive(beat.pid))
        }
        if not gone and not first:
            return
        for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
            last = result.worker_ids[-1] if result.worker_ids else None
            mine_before = (
                first
                and last == self.worker_id
                and result.started_at is not None
                and result.started_at < self.started_at
            )
            if last in gone or mine_before:
                requeued = DBTaskResult.objects.filter(
                    pk=result.pk, status=TaskResultStatus.RUNNING
                ).update(status=TaskResultStatus.READY, started_at=None)
                if requeued:
                    logger.warning(
                        "Task %s (%s) put back in the queue: worker %s ended while running it",
                        result.pk,
                        result.task_path,
                        result.worker_ids[-1],
                    )


def process_alive(pid: int | None) -> bool:
    """Whether a process of this host has that id (a process we may not signal is alive)."""
    if not pid:
        return True  # unknown: only the stale limit decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def close_connections() -> None:
    """Close every connection this thread opened, so the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Error:
            connection.connection = None  # the server is gone; start afresh


class Command(DbWorkerCommand):
    help = "Run the background worker: goes on through database errors, records a heartbeat"

    def handle(self, *, verbosity: int, **options: Any) -> None:
        self.configure_logging(verbosity)
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))
        logger.setLevel(logging.INFO if verbosity else logging.CRITICAL)
        queues = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            once=options["batch"],
            queue_names=queues,
            excluded_queue_names=excluded,
            interval=options["interval"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
