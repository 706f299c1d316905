"""The chaos load test (issue 20): two minutes of mixed anonymous and signed-in reads and writes
against gunicorn on PostgreSQL with a Redis cache, during which a gunicorn worker is killed, every
database connection of the app is terminated and the background worker is killed. It asserts no
5xx, no lost write, a background worker still working, and a clean audit log. Run it with
`make chaos` (PostgreSQL's DATABASE_URL required; `CHAOS_ARGS="--help"` for the options).

Loopback only, bounded in time. Steps: build the database as the benchmark does (bench/run.py's
`prepare`, small scale: the demo and a consultation open for proposals), add signed-in
participants, start a Redis server, gunicorn (3 sync workers) and the background worker under
bin/supervise, then run the load with client threads (requests). Timeline, as a share of
--seconds: at 1/4 SIGKILL one gunicorn worker; at 1/2 `pg_terminate_backend` on every backend of
the app's database but the script's own (the web workers' and the background worker's); a few
seconds later a task is queued and must be run by the same worker process, which survived the
cut; at 3/4 SIGKILL the background worker (bin/supervise starts it again). After the load: a last
task must be run, `/health/worker/` must answer 200, every comment answered as accepted must be in
the database (and every support), and `manage.py verify_audit_log` must pass. Prints the request
counts per kind and status; exits non-zero on any failed check.
"""

import argparse
import collections
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, SMALL, environment, free_port, manage, prepare, start_server, stop_server

PYTHON = sys.executable
PASSWORD = "chaos-only-password-9c1f"  # noqa: S105 (local throwaway accounts)
WEB_WORKERS = 3
USERS = 6
WORKER_ID = "chaos-worker"
# Signed-in participants PREFIX-0, PREFIX-1... (created or reset), and the open consultation's
# proposals, printed.
SETUP = """
from allauth.account.models import EmailAddress
from cocrea.accounts.models import User
from cocrea.participation.models import Proposal
for i in range({users}):
    name = f"{prefix}-{{i}}"
    user = User.objects.filter(username=name).first() or User.objects.create_user(
        username=name, email=f"{{name}}@chaos.invalid", public_name=f"{prefix} {{i}}"
    )
    user.set_password({password!r})
    user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={{"verified": True, "primary": True}}
    )
ids = Proposal.objects.filter(consultation__slug="scale-consulta", hidden_at__isnull=True)
print(" ".join(ids.order_by("pk").values_list("public_id", flat=True)[:40]))
"""
ENQUEUE = "from cocrea.opendata.tasks import opendata_export\nprint(opendata_export.enqueue().id)\n"


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: collections.Counter[tuple[str, str]] = collections.Counter()
        self.comments: list[str] = []  # bodies answered as accepted
        self.supports: list[tuple[str, str]] = []  # (username, proposal) answered as accepted
        self.server_errors: list[str] = []
        # When each answer came (time.monotonic()), whether it failed (a 5xx or no answer) and
        # when its request was sent: the topology run counts failures per fault, tells the
        # requests in flight when a server died from those sent after, and finds the longest
        # time with no success.
        self.answers: list[tuple[float, bool, float]] = []

    def count(self, kind: str, status: str, detail: str = "") -> None:
        """Counts the answer to this thread's last `_request`."""
        failed = status.startswith(("5", "conn-error"))
        now = time.monotonic()
        with self.lock:
            self.counts[kind, status] += 1
            self.answers.append((now, failed, getattr(_sent, "at", now)))
            if status.startswith("5"):
                self.server_errors.append(f"{kind} {status} {detail}")


def _status(response: requests.Response | None, error: Exception | None) -> str:
    if error is not None:
        return f"conn-error ({type(error).__name__})"
    return str(response.status_code) if response is not None else "?"


_sent = threading.local()  # when this thread's last request was sent


def _request(
    session: requests.Session, method: str, url: str, **kwargs: Any
) -> tuple[requests.Response | None, Exception | None]:
    _sent.at = time.monotonic()
    try:
        return session.request(method, url, timeout=30, allow_redirects=False, **kwargs), None
    except requests.RequestException as error:
        return None, error


Sessions = Callable[[], requests.Session]


def anonymous(
    base: str,
    proposals: list[str],
    stop: threading.Event,
    stats: Stats,
    open_session: Sessions = requests.Session,
) -> None:
    pages = [
        "/",
        "/planes/",
        "/consultas/scale-consulta/",
        "/consultas/scale-consulta/propuestas/",
        "/registro-publico/",
    ]
    with open_session() as session:
        while not stop.is_set():
            path = random.choice([*pages, f"/propuestas/{random.choice(proposals)}/"])  # noqa: S311
            response, error = _request(session, "GET", base + path)
            stats.count("anonymous read", _status(response, error), path)


def _login(session: requests.Session, base: str, username: str) -> None:
    page = session.get(f"{base}/cuentas/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the log-in page")
    response = session.post(
        f"{base}/cuentas/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "login": f"{username}@chaos.invalid",
            "password": PASSWORD,
        },
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"log-in of {username} answered {response.status_code}")


def signed_in(
    base: str,
    username: str,
    proposals: list[str],
    stop: threading.Event,
    stats: Stats,
    open_session: Sessions = requests.Session,
) -> None:
    """Reads as a signed-in person, and a write every 3.5 s: under the submission rate limit
    (20 a minute per person, counted over a sliding minute), alternating a comment and a
    support."""
    with open_session() as session:
        _login(session, base, username)
        to_support = random.sample(proposals, len(proposals))
        next_write, writes = time.monotonic() + random.random() * 3, 0  # noqa: S311
        while not stop.is_set():
            proposal = random.choice(proposals)  # noqa: S311
            if time.monotonic() < next_write:
                path = random.choice(  # noqa: S311
                    [f"/propuestas/{proposal}/", "/mi-espacio/", "/consultas/scale-consulta/"]
                )
                response, error = _request(session, "GET", base + path)
                stats.count("signed-in read", _status(response, error), path)
                continue
            next_write, writes = time.monotonic() + 3.5, writes + 1
            token = session.cookies.get("csrftoken", "")
            if writes % 2 or not to_support:
                body = f"Chaos comment {username} {writes} {random.getrandbits(48):x}"
                response, error = _request(
                    session,
                    "POST",
                    f"{base}/propuestas/{proposal}/comentar/",
                    data={"csrfmiddlewaretoken": token, "body": body},
                )
                accepted = (
                    response is not None
                    and response.status_code == 302
                    and response.headers.get("Location", "").endswith("#comentarios")
                )
                if accepted:
                    with stats.lock:
                        stats.comments.append(body)
                stats.count("comment", _status(response, error), proposal)
            else:
                target = to_support.pop()
                response, error = _request(
                    session,
                    "POST",
                    f"{base}/propuestas/{target}/apoyar/",
                    data={"csrfmiddlewaretoken": token},
                )
                if response is not None and response.status_code == 302:
                    with stats.lock:
                        stats.supports.append((username, target))
                stats.count("support", _status(response, error), target)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def terminate_backends(database_url: str) -> int:
    with psycopg.connect(database_url, autocommit=True) as own:
        row = own.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(row[0]) if row else 0


def task_done(env: dict[str, str], database_url: str, seconds: float) -> tuple[bool, str]:
    """Queue an export and wait for the worker to run it; its status and the worker's id."""
    task_id = manage(env, "shell", "-c", ENQUEUE).strip().splitlines()[-1]
    deadline = time.monotonic() + seconds
    status = "?"
    with psycopg.connect(database_url, autocommit=True) as own:
        while time.monotonic() < deadline:
            row = own.execute(
                "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s",
                [task_id],
            ).fetchone()
            status = str(row[0]) if row else "missing"
            if status in ("SUCCESSFUL", "FAILED"):
                by = row[1] if row else []
                return status == "SUCCESSFUL" and by == [WORKER_ID], f"{status} by {by}"
            time.sleep(0.5)
    return False, f"still {status} after {seconds:.0f} s"


def start_redis() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [*("redis-server", "--port", str(port), "--bind", "127.0.0.1"), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("redis-server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120, help="length of the load")
    parser.add_argument("--anonymous", type=int, default=6, help="anonymous client threads")
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/chaos.py needs DATABASE_URL naming a PostgreSQL database")
    opendata = tempfile.mkdtemp(prefix="cocrea-chaos-")
    redis, redis_url = start_redis()
    env = environment(database_url, cache=True)
    env.update(
        REDIS_URL=redis_url,
        COCREA_OPENDATA_ROOT=opendata,
        COCREA_OPENDATA_EXPORT_DELAY="20",  # the worker exports during the load, too
        COCREA_WORKER_HEARTBEAT_SECONDS="5",
    )
    server = worker = None
    failures: list[str] = []
    try:
        if not args.skip_prepare:
            prepare(env, SMALL)
        setup = manage(
            env, "shell", "-c", SETUP.format(users=USERS, password=PASSWORD, prefix="chaos")
        )
        proposals = setup.strip().splitlines()[-1].split()
        if not proposals:
            raise RuntimeError("no proposals in the open consultation")
        worker = subprocess.Popen(
            [
                str(ROOT / "bin" / "supervise"),
                *(PYTHON, "manage.py", "run_worker", "--no-reload"),
                *("--interval", "0.5", "--verbosity", "0", "--worker-id", WORKER_ID),
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        port = free_port()
        server = start_server(env, port, workers=WEB_WORKERS)
        base = f"http://127.0.0.1:{port}"
        stats, stop = Stats(), threading.Event()
        threads = [
            threading.Thread(target=anonymous, args=(base, proposals, stop, stats))
            for _ in range(args.anonymous)
        ] + [
            threading.Thread(target=signed_in, args=(base, f"chaos-{i}", proposals, stop, stats))
            for i in range(USERS)
        ]
        started = time.monotonic()
        print(f"Load for {args.seconds} s: {len(threads)} client threads...", flush=True)
        for thread in threads:
            thread.start()

        def at(share: float) -> None:
            time.sleep(max(0.0, started + args.seconds * share - time.monotonic()))

        def log(text: str) -> None:
            print(f"[{time.monotonic() - started:5.1f} s] {text}", flush=True)

        at(0.25)
        victim = children(server.pid)[0]
        os.kill(victim, signal.SIGKILL)
        log(f"SIGKILL gunicorn worker {victim}")
        at(0.5)
        (task_worker,) = children(worker.pid)
        log(f"pg_terminate_backend: {terminate_backends(database_url)} backends terminated")
        time.sleep(3)
        done, how = task_done(env, database_url, 60)
        survived = children(worker.pid) == [task_worker]
        log(f"task after the cut: {how}; worker process {task_worker} still the same: {survived}")
        if not done or not survived:
            failures.append(f"the worker after the database cut: {how}, same process {survived}")
        at(0.75)
        (task_worker,) = children(worker.pid) or [0]
        if task_worker:
            os.kill(task_worker, signal.SIGKILL)
        log(f"SIGKILL background worker {task_worker}")
        at(1.0)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        log("load stopped")
        done, how = task_done(env, database_url, 60)
        log(f"task after the load: {how}; background worker now {children(worker.pid)}")
        if not done:
            failures.append(f"the worker after the load: {how}")
        health = requests.get(f"{base}/health/worker/", timeout=10)
        log(f"/health/worker/: {health.status_code} {health.text.strip()}")
        if health.status_code != 200:
            failures.append(f"/health/worker/ answered {health.status_code}")

        with psycopg.connect(database_url, autocommit=True) as own:
            stored = {
                row[0]
                for row in own.execute(
                    "SELECT body FROM participation_comment WHERE body LIKE 'Chaos comment %%'"
                )
            }
            supported = set(
                own.execute(
                    "SELECT u.username, p.public_id FROM participation_support s"
                    " JOIN accounts_user u ON u.id = s.user_id"
                    " JOIN participation_proposal p ON p.id = s.proposal_id"
                    " WHERE u.username LIKE 'chaos-%%'"
                ).fetchall()
            )
        lost_comments = [body for body in stats.comments if body not in stored]
        lost_supports = [pair for pair in stats.supports if pair not in supported]
        try:
            audit = manage(env, "verify_audit_log").strip()
        except subprocess.CalledProcessError as error:
            audit = f"FAILED: {error.stderr.strip()}"
            failures.append("verify_audit_log")

        print("\nRequests per kind and status:")
        for (kind, status), number in sorted(stats.counts.items()):
            print(f"  {kind:<16} {status:<28} {number:>6}")
        print(f"  {'total':<16} {'':<28} {sum(stats.counts.values()):>6}")
        print(f"Comments accepted: {len(stats.comments)}, missing from the database: ", end="")
        print(len(lost_comments))
        print(f"Supports accepted: {len(stats.supports)}, missing from the database: ", end="")
        print(len(lost_supports))
        print(f"Audit log: {audit}")
        if stats.server_errors:
            failures.append(f"{len(stats.server_errors)} responses 5xx: {stats.server_errors[:5]}")
        if lost_comments or lost_supports:
            failures.append(f"lost writes: {lost_comments[:5]} {lost_supports[:5]}")
    finally:
        if server is not None:
            stop_server(server)
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=10)
        shutil.rmtree(opendata, ignore_errors=True)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nAll checks passed.")


if __name__ == "__main__":
    main()
