"""The production topology on one machine, under load and faults (issue 26).

It follows docs/deployment.md step by step with the files of deploy/ that the guide installs:
a PostgreSQL primary and a streaming replica (two clusters of their own on loopback ports, the
replica made with pg_basebackup and a replication slot), Redis, the environment file
(deploy/cocrea.env), two gunicorn app servers and the background worker started from their
systemd units' ExecStart lines (deploy/systemd/, restarted as their Restart= and RestartSec= say,
which is what systemd does), and nginx with deploy/nginx/cocrea.conf over TLS (a certificate made
for the run). It seeds the database at OGP-database scale (bench/run.py's FULL; --small for CI).

Then it measures throughput (the same mix of public pages, with wrk) through one app server on
the primary alone and through the two app servers with the replica, and runs mixed load
(anonymous reads; signed-in reads, comments and supports; proposals; progress reports) for
--seconds while it kills one app server (SIGKILL; brought back as systemd would), kills the
worker, terminates every database connection, restarts Redis, lets the replica fall behind
(its replay paused: the page of a proposal it lacks must come from the primary), stops the
replica (started again), and upgrades: each app server taken out of nginx, restarted and put
back, as docs/deployment.md §12 says. It prints the requests, the failures in each fault's
window, the longest time with no successful answer, how long the worker took to come back, and
checks that every accepted write is in the primary, that the replica caught up, that
`verify_audit_log` passes and that the worker ran every task queued.
It exits non-zero when a target is missed.

Loopback only, bounded in time (it stops itself after --seconds plus a setup allowance) and
everything it started is stopped at the end. Needs root (the PostgreSQL clusters run as the
`postgres` user) and Debian's postgresql, nginx, redis-server, wrk and openssl:
`make topology` (`TOPOLOGY_ARGS="--help"` for the options).
"""

import argparse
import contextlib
import hashlib
import http.client
import io
import itertools
import json
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chaos import (
    PASSWORD,
    SETUP,
    USERS,
    Sessions,
    Stats,
    _login,
    _request,
    _status,
    anonymous,
    signed_in,
)
from run import FLOOR, FULL, ROOT, SMALL, free_port, manage, pages, prepare, wrk

DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
# The newest PostgreSQL installed (Debian: /usr/lib/postgresql/15/bin).
PG_BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    default=Path("/nonexistent"),
)
# COCREA_REPLICA_MAX_LAG_SECONDS in this run (the replica falls behind for a few seconds).
LAG_LIMIT = 2
WRITERS = 2  # proposers, and as many reporters
WRITE_EVERY = 4.0  # seconds between a writer's submissions (the limit is 20 a minute)
# The writers (made by chaos's SETUP) report for the institutions that lead the first milestones
# of the scale data; those milestones' report forms, printed.
REPORTERS_SETUP = """
from cocrea.accounts.models import User
from cocrea.plans.models import Membership, Milestone
milestones = list(
    Milestone.objects.filter(commitment__plan__slug__startswith="scale-")
    .select_related("commitment__plan", "commitment__lead_institution")
    .exclude(commitment__lead_institution=None)
    .order_by("pk")[:{milestones}]
)
institutions = {{m.commitment.lead_institution for m in milestones}}
for user in User.objects.filter(username__startswith="topology-"):
    for institution in institutions:
        Membership.objects.get_or_create(
            user=user, institution=institution,
            defaults={{
                "role": Membership.Role.REPORTING_OFFICIAL,
                "status": Membership.Status.APPROVED,
            }},
        )
for m in milestones:
    print(f"/planes/{{m.commitment.plan.slug}}/compromisos/{{m.commitment.slug}}/hitos/{{m.number}}/informar/")
"""


def outside() -> dict[str, str]:
    """This process's environment without Cocrea's settings: each process of the run gets its
    settings from the environment file only."""
    own = ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL")
    return {k: v for k, v in os.environ.items() if not k.startswith("COCREA_") and k not in own}


def log(text: str) -> None:
    print(text, flush=True)


# --- The files of deploy/, as the guide installs them ----------------------------------------


def render(path: Path, replacements: dict[str, str]) -> str:
    """A deploy/ file with the guide's example values replaced by this run's; each example value
    must be in the file, so a change to the file that this run would miss stops it."""
    text = path.read_text()
    for old, new in replacements.items():
        if old not in text:
            raise RuntimeError(f"{path.relative_to(ROOT)} no longer contains {old!r}")
        text = text.replace(old, new)
    return text


def environment_file(values: dict[str, str]) -> dict[str, str]:
    """deploy/cocrea.env read as systemd's EnvironmentFile= reads it, with this run's values."""
    env: dict[str, str] = {}
    for line in (DEPLOY / "cocrea.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value
    unknown = set(values) - set(env)
    if unknown:
        raise RuntimeError(f"deploy/cocrea.env does not document {sorted(unknown)}")
    env.update(values)
    return {name: value for name, value in env.items() if value != ""}


class Unit:
    """A systemd service of deploy/systemd/, run as systemd runs it: its ExecStart with its
    WorkingDirectory and EnvironmentFile, started again RestartSec seconds after it ends."""

    def __init__(self, name: str, instance: str, env: dict[str, str], logfile: Path) -> None:
        text = (DEPLOY / "systemd" / name).read_text().replace("\\\n", " ")
        fields = dict(
            line.split("=", 1) for line in text.splitlines() if re.match(r"^[A-Za-z]+=", line)
        )
        command = fields["ExecStart"].replace("%i", instance)
        command = command.replace("/srv/cocrea/app/.venv/bin/", f"{VENV_BIN}/")
        self.argv = shlex.split(command)
        if fields["WorkingDirectory"] != "/srv/cocrea/app" or fields["Restart"] != "always":
            raise RuntimeError(f"deploy/systemd/{name} changed: update bench/topology.py")
        self.restart_after = float(fields["RestartSec"])
        self.name = f"{name.replace('@.service', '@' + instance)}"
        self.env = {**outside(), **env}
        self.logfile = logfile
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.started_at = 0.0
        self.restarts = 0
        self.lock = threading.RLock()
        self.watcher = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        with self.logfile.open("ab") as output:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started_at = time.monotonic()
        if not self.watcher.is_alive():
            self.watcher.start()

    def _watch(self) -> None:
        while not self.stopping.wait(0.2):
            with self.lock:
                process = self.process
                dead = process is not None and process.poll() is not None
                if dead and process is not None:
                    # What systemd does with KillMode=mixed when the main process dies: the
                    # rest of the unit's processes go too, then it starts again after RestartSec.
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
            if dead:
                if self.stopping.wait(self.restart_after):
                    return
                with self.lock:
                    if self.process is process:  # not restarted by hand meanwhile
                        self.restarts += 1
                        self.start()

    def restart(self) -> None:
        """`systemctl restart`: SIGTERM to the main process (gunicorn finishes the requests in
        flight), wait for it to end, start again."""
        with self.lock:
            if self.process is not None:
                self.process.send_signal(signal.SIGTERM)
                self.process.wait(timeout=45)
            self.start()

    def kill(self) -> None:
        """A crash: every process of the unit killed at once."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)

    def children(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# --- The engines --------------------------------------------------------------------------------


def as_postgres(*argv: str) -> str:
    """A PostgreSQL program run as the `postgres` user (its servers refuse to run as root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *argv], capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr or done.stdout}")
    return done.stdout


class Cluster:
    """A PostgreSQL cluster of this run's, on its own port."""

    def __init__(self, folder: Path, port: int) -> None:
        self.data = folder
        self.port = port

    def url(self, user: str = "postgres", database: str = "cocrea") -> str:
        return f"postgres://{user}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.data.parent / "run" / f"postgres-{self.port}.log"),
            "-o",
            f"-p {self.port} -k {self.data.parent / 'run'}",
        )

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            as_postgres(str(PG_BIN / "pg_ctl"), "stop", "-w", "-m", mode, "-D", str(self.data))

    def sql(self, query: str, *params: Any, database: str = "cocrea") -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url(database=database), autocommit=True) as connection:
            cursor = connection.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []


def primary_cluster(folder: Path) -> Cluster:
    """docs/deployment.md, PostgreSQL: a cluster whose WAL a replica can stream, the role and
    database of the guide (trust on loopback here; the guide's pg_hba asks for passwords)."""
    for owned in (folder, folder.parent / "run"):
        owned.mkdir()
        shutil.chown(owned, "postgres", "postgres")
    as_postgres(
        str(PG_BIN / "initdb"),
        "-D",
        str(folder),
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    )
    with (folder / "postgresql.conf").open("a") as conf:
        conf.write(
            "listen_addresses = '127.0.0.1'\nwal_level = replica\nmax_wal_senders = 5\n"
            "max_replication_slots = 5\nhot_standby = on\nmax_connections = 200\n"
            "shared_buffers = 256MB\nfsync = on\n"
        )
    with (folder / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    cluster = Cluster(folder, free_port())
    cluster.start()
    cluster.sql("CREATE ROLE cocrea LOGIN", database="postgres")
    cluster.sql("CREATE ROLE replicator LOGIN REPLICATION", database="postgres")
    cluster.sql("CREATE DATABASE cocrea OWNER cocrea", database="postgres")
    return cluster


def replica_cluster(primary: Cluster, folder: Path) -> Cluster:
    """docs/deployment.md, Read replica: pg_basebackup with a replication slot (the primary
    keeps the WAL a stopped replica has not yet replayed), then a hot standby."""
    folder.mkdir(mode=0o700)
    shutil.chown(folder, "postgres", "postgres")
    as_postgres(
        str(PG_BIN / "pg_basebackup"),
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        "replicator",
        "-D",
        str(folder),
        "-R",
        "-X",
        "stream",
        "-C",
        "-S",
        "cocrea_replica",
        "-c",
        "fast",
    )
    cluster = Cluster(folder, free_port())
    cluster.start()
    return cluster


class Redis:
    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(subprocess.CalledProcessError):
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], check=True, capture_output=True
                )
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Nginx:
    """Debian's nginx.conf with deploy/nginx/'s files in place of sites-enabled and conf.d."""

    def __init__(self, folder: Path, static_root: Path, certificate: tuple[Path, Path]) -> None:
        self.folder = folder
        self.static_root = static_root
        self.certificate = certificate
        self.port = free_port()
        self.http_port = free_port()
        folder.mkdir()
        main = Path("/etc/nginx/nginx.conf").read_text()
        main = re.sub(r"^pid .*$", f"pid {folder}/nginx.pid;", main, flags=re.M)
        main = re.sub(r"^error_log .*$", f"error_log {folder}/error.log;", main, flags=re.M)
        main = re.sub(
            r"access_log /var/log/nginx/access.log;", f"access_log {folder}/access.log;", main
        )
        # No dynamic modules: the site needs none, and their paths follow the prefix.
        main = re.sub(r"^include /etc/nginx/modules-enabled/.*$", "", main, flags=re.M)
        main = main.replace("include /etc/nginx/conf.d/*.conf;", f"include {folder}/conf.d/*.conf;")
        main = main.replace("include /etc/nginx/sites-enabled/*;", f"include {folder}/sites/*;")
        (folder / "nginx.conf").write_text(main)
        (folder / "conf.d").mkdir()
        (folder / "sites").mkdir()
        shutil.copy(DEPLOY / "nginx" / "cocrea-log-format.conf", folder / "conf.d")

    def site(self, upstreams: list[int], down: int = 0) -> None:
        """The site with these app servers in its upstream; `down` marked down, as §12's sed
        does while that server restarts."""
        text = render(
            DEPLOY / "nginx" / "cocrea.conf",
            {
                "cocrea.example.org;": "localhost;",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{self.port} ssl http2;",
                "listen [::]:443 ssl http2;\n": "",
                "listen 80;": f"listen 127.0.0.1:{self.http_port};",
                "listen [::]:80;\n": "",
                "/etc/letsencrypt/live/cocrea.example.org/fullchain.pem": str(self.certificate[0]),
                "/etc/letsencrypt/live/cocrea.example.org/privkey.pem": str(self.certificate[1]),
                "/var/log/nginx/": f"{self.folder}/",
                "/srv/cocrea/static/": f"{self.static_root}/",
                "/srv/cocrea/app/": f"{ROOT}/",
                "    server 127.0.0.1:8001 max_fails=1 fail_timeout=10s;\n"
                "    server 127.0.0.1:8002 max_fails=1 fail_timeout=10s;\n": "".join(
                    f"    server 127.0.0.1:{port}{' down' if port == down else ''}"
                    " max_fails=1 fail_timeout=10s;\n"
                    for port in upstreams
                ),
            },
        )
        (self.folder / "sites" / "cocrea").write_text(text)
        self._nginx("-t", "-q")

    def _nginx(self, *args: str) -> None:
        subprocess.run(
            [
                "nginx",
                "-p",
                str(self.folder),
                "-c",
                str(self.folder / "nginx.conf"),
                "-e",
                str(self.folder / "error.log"),
                *args,
            ],
            check=True,
            capture_output=True,
            text=True,
        )

    def start(self) -> None:
        self._nginx()

    def reload(self) -> None:
        self._nginx("-s", "reload")
        time.sleep(1.5)  # the old workers finish; the new ones take the new upstream

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._nginx("-s", "stop")


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "localhost.pem", folder / "localhost.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def operator(command: str, archive: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """bin/backup or bin/restore on `archive`, timed."""
    began = time.monotonic()
    done = subprocess.run(
        [str(ROOT / "bin" / command), str(archive)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    log(f"  bin/{command}: exit {done.returncode} in {time.monotonic() - began:.1f} s")
    return done


def wait_for(url: str, verify: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2, verify=verify).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


# --- Load ----------------------------------------------------------------------------------


def sessions(base: str, verify: str) -> Sessions:
    """Clients like a browser's: the site's certificate trusted, a Referer on every request
    (Django's CSRF check over HTTPS wants one)."""

    def open_session() -> requests.Session:
        session = requests.Session()
        # Only this run's certificate, whatever REQUESTS_CA_BUNDLE says; no proxy.
        session.trust_env = False
        session.verify = verify
        session.headers["Referer"] = f"{base}/"
        return session

    return open_session


def writer(
    base: str,
    username: str,
    kind: str,
    targets: list[str],
    stop: threading.Event,
    stats: Stats,
    accepted: list[str],
    open_session: Sessions,
    evidence: list[bool],
) -> None:
    """A proposer (new proposals in the open consultation) or a reporter (progress reports on
    milestones of their institutions, each with an evidence file), one submission every
    WRITE_EVERY seconds. The reporter then downloads the evidence it just uploaded, through
    nginx to whichever app server: it must be the file the report page names, by its SHA-256
    (`evidence`: whether each was)."""
    with open_session() as session:
        _login(session, base, username)
        n = 0
        while not stop.wait(WRITE_EVERY):
            n += 1
            mark = f"{username} {n} {os.urandom(4).hex()}"
            data = {"csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
            if kind == "proposal":
                url = f"{base}/consultas/scale-consulta/propuestas/nueva/"
                data |= {
                    "title": f"Propuesta {mark}",
                    "problem": "Un problema descrito con suficiente detalle.",
                    "proposal": "Una propuesta descrita con suficiente detalle.",
                }
                done = "/propuestas/"
            else:
                url = base + targets[n % len(targets)]
                data |= {
                    "completion": "substantial",
                    "percent": "60",
                    "done": f"Avance {mark}",
                    # Yesterday: today in this machine's zone may be tomorrow in the site's
                    # (COCREA_TIME_ZONE), and a date in the future is refused.
                    "facts_date": (date.today() - timedelta(days=1)).isoformat(),
                }
                done = "/informes/"
            files = {"file": (f"foto-{n}.png", png(), "image/png")} if kind == "report" else None
            response, error = _request(session, "POST", url, data=data, files=files)
            location = response.headers.get("Location", "") if response is not None else ""
            accepted_now = response is not None and response.status_code == 302 and done in location
            if accepted_now:
                with stats.lock:
                    accepted.append(mark)
            stats.count(kind, _status(response, error), url)
            if accepted_now and kind == "report":
                evidence.append(evidence_matches(session, base + location, stats))


def png() -> bytes:
    """A small photo of its own (a PNG of random pixels) for each report's evidence."""
    from PIL import Image

    output = io.BytesIO()
    Image.frombytes("RGB", (16, 16), os.urandom(16 * 16 * 3)).save(output, "PNG")
    return output.getvalue()


def evidence_matches(session: requests.Session, report: str, stats: Stats) -> bool:
    """The report page names its evidence file and the file's SHA-256; the file downloaded
    has that hash."""
    response, error = _request(session, "GET", report)
    stats.count("signed-in read", _status(response, error), report)
    page = response.text if response is not None and response.status_code == 200 else ""
    link = re.search(r'href="(/evidencias/[^"]+/)"', page)
    named = re.search(r"SHA-256 <code>([0-9a-f]{64})</code>", page)
    if not (link and named):
        return False
    base = report.split("/informes/")[0]
    response, error = _request(session, "GET", base + link.group(1))
    stats.count("evidence download", _status(response, error), link.group(1))
    content = response.content if response is not None and response.status_code == 200 else b""
    return hashlib.sha256(content).hexdigest() == named.group(1)


# --- The run -----------------------------------------------------------------------------------


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="cocrea-topology-"))
        self.folder.chmod(0o755)
        self.cleanups: list[Callable[[], None]] = []
        self.started = time.monotonic()

    def step(self, text: str) -> None:
        log(f"\n[{time.monotonic() - self.started:6.1f} s] {text}")

    @contextlib.contextmanager
    def stopping(self) -> Iterator[None]:
        try:
            yield
        finally:
            for cleanup in reversed(self.cleanups):
                with contextlib.suppress(Exception):
                    cleanup()
            if not self.args.keep:
                shutil.rmtree(self.folder, ignore_errors=True)

    def setup(self) -> None:
        args, folder = self.args, self.folder
        self.step("docs/deployment.md §2, PostgreSQL: the primary cluster, its role and database")
        self.primary = primary_cluster(folder / "primary")
        self.cleanups.append(lambda: self.primary.stop("immediate"))
        self.step("docs/deployment.md §4, Redis")
        self.redis = Redis(folder)
        self.redis.start()
        self.cleanups.append(self.redis.stop)
        self.step("docs/deployment.md §5, Settings: deploy/cocrea.env as /etc/cocrea/env")
        for name in ("media", "private", "opendata", "static"):
            (folder / name).mkdir()
        self.base = "https://localhost:{port}"
        self.certificate = certificate(folder)
        self.nginx = Nginx(folder / "nginx", folder / "static", self.certificate)
        self.base = f"https://localhost:{self.nginx.port}"
        self.env = environment_file(
            {
                "COCREA_SECRET_KEY": "topology-only-secret-key-" + os.urandom(16).hex(),
                "COCREA_ALLOWED_HOSTS": "localhost",
                "COCREA_CSRF_TRUSTED_ORIGINS": self.base,
                "COCREA_SITE_URL": self.base,
                "DATABASE_URL": self.primary.url("cocrea"),
                "REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/0",
                "COCREA_MEDIA_ROOT": str(folder / "media"),
                "COCREA_PRIVATE_ROOT": str(folder / "private"),
                "COCREA_OPENDATA_ROOT": str(folder / "opendata"),
                "COCREA_STATIC_ROOT": str(folder / "static"),
                "COCREA_EMAIL_HOST": "127.0.0.1",
                "COCREA_EMAIL_PORT": "1",
                "COCREA_EMAIL_USE_TLS": "0",
                "COCREA_WEB_WORKERS": str(args.web_workers),
                "COCREA_LOG_LEVEL": "WARNING",
                # The guide's 30 s, shortened so the replica's fall behind fits in the minute
                # of CI's run.
                "COCREA_REPLICA_MAX_LAG_SECONDS": str(LAG_LIMIT),
            }
        )
        # Not in the guide's file: this run's own pace (the worker's heartbeat and export delay).
        self.env |= {
            "COCREA_WORKER_HEARTBEAT_SECONDS": "5",
            "COCREA_OPENDATA_EXPORT_DELAY": "20",
            "COCREA_WEB_LOG_LEVEL": "warning",
        }
        (folder / "env").write_text("".join(f"{k}={v}\n" for k, v in self.env.items()))
        manage_env = {**outside(), **self.env}
        self.step(
            "docs/deployment.md §6, Installing: migrate, collectstatic; the data at "
            f"{'small' if args.small else 'OGP-database'} scale"
        )
        prepare(manage_env, SMALL if args.small else FULL)
        checked = subprocess.run(
            [VENV_BIN / "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=manage_env,
            capture_output=True,
            text=True,
            check=False,
        )
        if checked.returncode:
            raise RuntimeError(f"check --deploy: {checked.stdout}{checked.stderr}")
        log(f"  check --deploy: {checked.stdout.strip()}")
        setup = manage(
            manage_env, "shell", "-c", SETUP.format(users=USERS, password=PASSWORD, prefix="chaos")
        )
        manage(
            manage_env,
            "shell",
            "-c",
            SETUP.format(users=2 * WRITERS, password=PASSWORD, prefix="topology"),
        )
        self.proposals = setup.strip().splitlines()[-1].split()
        milestones = manage(
            manage_env,
            "shell",
            "-c",
            REPORTERS_SETUP.format(milestones=200),
        )
        self.milestones = [line for line in milestones.splitlines() if line.startswith("/planes/")]
        if not self.proposals or not self.milestones:
            raise RuntimeError("no proposals or milestones to write on")
        self.paths = [p for name, p in pages(manage_env).items() if name != FLOOR]
        self.step(
            "docs/deployment.md §3, Read replica: pg_basebackup with a slot, then the standby"
        )
        self.replica = replica_cluster(self.primary, folder / "replica")
        self.cleanups.append(lambda: self.replica.stop("immediate"))
        self.env["DATABASE_REPLICA_URL"] = self.replica.url("cocrea")
        self.step("docs/deployment.md §7-8: cocrea-web@.service twice, and cocrea-worker.service")
        self.web = [self.unit("cocrea-web@.service", str(free_port()), self.env) for _ in range(2)]
        self.worker = self.unit("cocrea-worker.service", "", self.env)
        for server in self.web:
            wait_for(f"http://localhost:{server.name.split('@')[1]}/health/", "")
        self.step("docs/deployment.md §10, nginx: deploy/nginx/cocrea.conf in front of both")
        self.nginx.site([int(s.name.split("@")[1]) for s in self.web])
        self.nginx.start()
        self.cleanups.append(self.nginx.stop)
        wait_for(f"{self.base}/health/", str(self.certificate[0]))

    def unit(self, name: str, instance: str, env: dict[str, str]) -> Unit:
        unit = Unit(name, instance, env, self.folder / f"{name.split('.')[0]}{instance}.log")
        unit.start()
        self.cleanups.append(unit.stop)
        return unit

    def throughput(self) -> dict[str, dict[str, float]]:
        """The same mix of public pages through nginx: one app server on the primary alone, then
        the two app servers with the replica."""
        script = self.folder / "paths.lua"
        script.write_text(
            "paths = {" + ", ".join(json.dumps(p) for p in self.paths) + "}\ncounter = 0\n"
            "request = function()\n  counter = counter + 1\n"
            "  return wrk.format('GET', paths[counter % #paths + 1])\nend\n"
        )
        alone = {k: v for k, v in self.env.items() if k != "DATABASE_REPLICA_URL"}
        single = self.unit("cocrea-web@.service", str(free_port()), alone)
        single_port = int(single.name.split("@")[1])
        wait_for(f"http://localhost:{single_port}/health/", "")
        results = {}
        for name, upstreams in (
            ("1 app server, primary only", [single_port]),
            ("2 app servers + replica", [int(s.name.split("@")[1]) for s in self.web]),
        ):
            self.nginx.site(upstreams)
            self.nginx.reload()
            wrk(f"{self.base}/", 2, 8, str(script))  # warm up
            results[name] = wrk(f"{self.base}/", self.args.compare_seconds, 16, str(script))
            log(
                f"  {name:<28} {results[name]['rps']:>8.1f} req/s  p50 "
                f"{results[name]['p50_ms']:.1f} ms  p99 {results[name]['p99_ms']:.1f} ms  "
                f"non-2xx/3xx {results[name]['errors']:.0f}"
            )
        single.stop()
        return results

    def edge(self) -> list[str]:
        """What nginx answers without an app server: a hashed static file cached for a year and
        sent compressed, a missing one with our own page, a body over the limit refused with our
        own page before it is read."""
        session = sessions(self.base, str(self.certificate[0]))()
        failures = []
        home = session.get(f"{self.base}/", timeout=10).text
        found = re.search(r'href="(/static/cocrea/site\.[0-9a-f]{12}\.css)"', home)
        if found is None:
            return ["the home page links no hashed stylesheet"]
        css = session.get(f"{self.base}{found[1]}", headers={"Accept-Encoding": "gzip"}, timeout=10)
        cached = css.headers.get("Cache-Control", "")
        log(f"  {found[1]}: {css.status_code}, {cached}, {css.headers.get('Content-Encoding')}")
        if not (css.ok and "immutable" in cached and css.headers.get("Content-Encoding") == "gzip"):
            failures.append(f"the stylesheet: {css.status_code} {dict(css.headers)}")
        missing = session.get(f"{self.base}/static/cocrea/site.0123456789ab.css", timeout=10)
        log(f"  a static file that is not there: {missing.status_code}")
        if missing.status_code != 404 or "No encontramos este archivo" not in missing.text:
            failures.append(f"a missing static file: {missing.status_code} {missing.text[:200]}")
        connection = http.client.HTTPSConnection(
            "localhost",
            self.nginx.port,
            context=ssl.create_default_context(cafile=str(self.certificate[0])),
            timeout=10,
        )
        connection.putrequest("POST", "/")
        connection.putheader("Content-Length", str(56 * 1024 * 1024))
        connection.endheaders()
        refused = connection.getresponse()
        body = refused.read().decode()
        connection.close()
        log(f"  a 56 MB form announced: {refused.status}")
        if refused.status != 413 or "El archivo es demasiado grande" not in body:
            failures.append(f"a body over the limit: {refused.status} {body[:200]}")
        return failures

    def load(self) -> dict[str, Any]:
        args = self.args
        stats, stop = Stats(), threading.Event()
        open_session = sessions(self.base, str(self.certificate[0]))
        written: dict[str, list[str]] = {"proposal": [], "report": []}
        evidence: list[bool] = []
        threads = (
            [
                threading.Thread(
                    target=anonymous, args=(self.base, self.proposals, stop, stats, open_session)
                )
                for _ in range(args.anonymous)
            ]
            + [
                threading.Thread(
                    target=signed_in,
                    args=(self.base, f"chaos-{i}", self.proposals, stop, stats, open_session),
                )
                for i in range(USERS)
            ]
            + [
                threading.Thread(
                    target=writer,
                    args=(
                        self.base,
                        f"topology-{i + WRITERS * k}",  # one person, one kind: under the limit
                        kind,
                        self.milestones,
                        stop,
                        stats,
                        written[kind],
                        open_session,
                        evidence,
                    ),
                )
                for i in range(WRITERS)
                for k, kind in enumerate(("proposal", "report"))
            ]
        )
        for thread in threads:
            thread.start()
        started = time.monotonic()
        faults: list[tuple[str, float]] = [("no fault yet", started)]

        def at(share: float, name: str) -> None:
            time.sleep(max(0.0, started + args.seconds * share - time.monotonic()))
            faults.append((name, time.monotonic()))
            log(f"  [{time.monotonic() - started:5.1f} s] {name}")

        worker_back: list[float] = []
        watch = threading.Thread(target=self.worker_back, args=(0.0, worker_back))
        # A run that fails half-way stops its clients too, before its servers are stopped.
        try:
            victim = self.web[0]
            at(0.10, "kill app server 1 (SIGKILL, every process of it; back after RestartSec)")
            victim.kill()
            # Its window starts once it is dead, when its port refuses connections (SIGKILL is
            # delivered after killpg returns; until the socket closes, connections still queue on
            # it): a request sent before was in flight when it died.
            port = int(victim.name.split("@")[1])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                except OSError:
                    break
                time.sleep(0.005)
            faults[-1] = (faults[-1][0], time.monotonic())
            at(0.25, "kill the background worker (SIGKILL)")
            self.worker.kill()
            watch = threading.Thread(target=self.worker_back, args=(time.monotonic(), worker_back))
            watch.start()
            at(0.40, "terminate every database connection (primary and replica)")
            terminated = sum(
                cluster.sql(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                    "datname = 'cocrea' AND pid <> pg_backend_pid()"
                )[0][0]
                for cluster in (self.primary, self.replica)
            )
            log(f"           {terminated} connections terminated")
            at(0.55, "restart Redis (everything in it lost)")
            self.redis.stop()
            self.redis.start()
            at(0.57, "the replica falls behind (its replay paused, then resumed)")
            behind = self.replica_behind(open_session)
            at(0.70, "stop the replica")
            self.replica.stop()
            at(0.85, "start the replica again")
            self.replica.start()
            at(0.90, "upgrade: each app server out of nginx, restarted, back in (§12)")
            ports = [int(server.name.split("@")[1]) for server in self.web]
            for server, port in zip(self.web, ports, strict=True):
                self.nginx.site(ports, down=port)
                self.nginx.reload()
                server.restart()
                wait_for(f"http://localhost:{port}/health/", "")
                self.nginx.site(ports)
                self.nginx.reload()
            at(1.0, "end of the load")
        finally:
            stop.set()
            for thread in [*threads, watch]:
                if thread.ident is not None:  # started
                    thread.join(timeout=120)
        return {
            "stats": stats,
            "faults": faults,
            "written": written,
            "evidence": evidence,
            "worker_back": worker_back[0] if worker_back else float("inf"),
            "behind": behind,
        }

    def replica_behind(self, open_session: Sessions) -> list[str]:
        """docs/deployment.md §3: no page from a replica further behind than
        COCREA_REPLICA_MAX_LAG_SECONDS. The replica's replay is paused while the writers go on,
        and the first proposal written after the pause, which the replica lacks, is read
        anonymously through nginx until twelve answers in a row are its page (only the primary
        has it): each app server process looks at the lag at most every few seconds, so that
        takes the limit and a few seconds, and must take under the limit plus 15 s. Then
        replay resumes."""
        paused = self.primary.sql("SELECT now()")[0][0]
        self.replica.sql("SELECT pg_wal_replay_pause()")
        started = time.monotonic()
        session = open_session()
        stale, streak, public_id, switched = 0, 0, "", 0.0
        try:
            time.sleep(LAG_LIMIT)
            while streak < 12 and time.monotonic() < started + LAG_LIMIT + 15:
                if not public_id:
                    # The first proposal written after the pause: the replica will not have it
                    # until replay resumes.
                    written = self.primary.sql(
                        "SELECT public_id FROM participation_proposal WHERE created_at > %s"
                        " ORDER BY created_at LIMIT 1",
                        paused,
                    )
                    if not written:
                        time.sleep(0.25)
                        continue
                    public_id = written[0][0]
                status = _status(*_request(session, "GET", f"{self.base}/propuestas/{public_id}/"))
                if status == "200" and not streak:
                    switched = time.monotonic() - started
                streak = streak + 1 if status == "200" else 0
                stale += status != "200"
                time.sleep(0.1)
            on_replica = (
                bool(public_id)
                and self.replica.sql(
                    "SELECT count(*) FROM participation_proposal WHERE public_id = %s", public_id
                )[0][0]
            )
        finally:
            self.replica.sql("SELECT pg_wal_replay_resume()")
        log(
            f"           every answer the page, from the primary, from {switched:.1f} s after "
            f"the replica stopped replaying (limit {LAG_LIMIT} s; {stale} answers before "
            "were not the page)"
        )
        if not public_id:
            return ["no proposal was written while the replica was paused"]
        if on_replica:
            return ["the paused replica had the newest proposal: the check proved nothing"]
        if streak < 12:
            return [
                f"a replica {LAG_LIMIT + 15} s behind: {stale} answers were not the page of a "
                f"proposal it lacks, and the last {streak} were"
            ]
        return []

    def worker_back(self, since: float, result: list[float]) -> None:
        """Seconds from `since` until a worker started after it records its heartbeat (it has
        connected and is taking tasks), in `result`."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            started = self.primary.sql(
                "SELECT count(*) FROM core_workerheartbeat"
                " WHERE started_at > now() - make_interval(secs => %s)",
                time.monotonic() - since,
            )
            if started[0][0]:
                result.append(time.monotonic() - since)
                log(f"           the worker was back {result[0]:.1f} s after it was killed")
                return
            time.sleep(0.25)

    def drained(self, seconds: float) -> str:
        """Waits for the worker to finish every task queued during the load."""
        deadline = time.monotonic() + seconds
        while True:
            waiting = self.primary.sql(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            )[0][0]
            failed = self.primary.sql(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
            )[0][0]
            if not waiting or time.monotonic() > deadline:
                return f"{waiting} tasks still waiting, {failed} failed"
            time.sleep(0.5)

    def backup_round_trip(self) -> list[str]:
        """A backup of the site as the load left it, restored into a new empty database and
        empty file folders: bin/restore's own checks (audit chain, every file's SHA-256, the
        cache and open data rebuilt) must pass."""
        env = {**outside(), **self.env}
        archive = self.folder / "backup.tar"
        made = operator("backup", archive, env)
        log(f"    {archive.stat().st_size / 1e6 if archive.exists() else 0:.1f} MB")
        if made.returncode:
            return [f"bin/backup failed: {made.stderr.strip()[-500:]}"]
        self.primary.sql("CREATE DATABASE cocrea_restored OWNER cocrea", database="postgres")
        for name in ("media", "private", "opendata"):
            (self.folder / f"restored-{name}").mkdir()
        target = env | {
            "DATABASE_URL": self.primary.url("cocrea", "cocrea_restored"),
            "COCREA_MEDIA_ROOT": str(self.folder / "restored-media"),
            "COCREA_PRIVATE_ROOT": str(self.folder / "restored-private"),
            "COCREA_OPENDATA_ROOT": str(self.folder / "restored-opendata"),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/1",
        }
        target.pop("DATABASE_REPLICA_URL", None)
        restored = operator("restore", archive, target)
        for line in restored.stdout.strip().splitlines()[-8:]:
            log(f"    {line}")
        if restored.returncode:
            return [f"bin/restore failed ({restored.returncode}): {restored.stderr.strip()[-500:]}"]
        return []

    def marks(self, table: str, column: str, before: str) -> set[str]:
        """The writers' marks found in the primary: what follows `before` in `column`."""
        rows = self.primary.sql(
            f"SELECT {column} FROM {table} WHERE {column} LIKE %s",  # noqa: S608 - our names
            f"{before}topology-%",
        )
        return {row[0].removeprefix(before) for row in rows}

    def checks(self, result: dict[str, Any]) -> list[str]:
        stats: Stats = result["stats"]
        failures: list[str] = []
        answers = sorted(stats.answers)
        total, failed = len(answers), sum(1 for _, bad, _ in answers if bad)
        log("\nRequests per kind and status:")
        for (kind, status), number in sorted(stats.counts.items()):
            log(f"  {kind:<16} {status:<32} {number:>7}")
        log(f"  {'total':<16} {'':<32} {total:>7}")
        log("\nFailures (5xx or no answer) in each fault's window, and of those, the requests")
        log("sent before the fault (in flight when it struck):")
        faults = result["faults"]
        for (name, start), (_, end) in itertools.pairwise(faults):
            window = [(bad, sent) for when, bad, sent in answers if start <= when < end]
            bad = sum(1 for b, _ in window if b)
            before = sum(1 for b, sent in window if b and sent < start)
            log(f"  {bad:>5} of {len(window):>6} ({before} in flight)  {name}")
        ok_times = [when for when, bad, _ in answers if not bad]
        pause, at = max(
            ((b - a, a) for a, b in itertools.pairwise(ok_times)), default=(0.0, faults[0][1])
        )
        log(
            f"Longest time with no successful answer: {pause:.2f} s, from "
            f"{at - faults[0][1]:.1f} s into the load"
        )
        rate = failed / total if total else 1.0
        log(f"Failed: {failed} of {total} ({rate:.3%}; target under 0.1%)")
        if rate >= 0.001:
            failures.append(f"{rate:.3%} of requests failed")
        # An app server killed: nginx sends every request after the kill to the other, and
        # retries a GET it had sent to the dead one unless it had begun to answer. Both
        # restarted in turn for an upgrade: nothing may fail, forms included.
        for fault, in_flight_excused in ((1, True), (len(faults) - 2, False)):
            (name, start), end = faults[fault], faults[fault + 1][1]
            down = sum(
                1
                for when, bad, sent in answers
                if start <= when < end and bad and not (in_flight_excused and sent < start)
            )
            if down:
                failures.append(f"{down} requests failed: {name}")
        log(f"The background worker was back in {result['worker_back']:.1f} s (target 30 s)")
        if result["worker_back"] > 30:
            failures.append(f"the worker took {result['worker_back']:.1f} s to come back")
        # Every accepted write in the primary.
        stored = {
            "comment": {
                r[0]
                for r in self.primary.sql(
                    "SELECT body FROM participation_comment WHERE body LIKE 'Chaos comment %%'"
                )
            },
            "support": set(
                self.primary.sql(
                    "SELECT u.username, p.public_id FROM participation_support s"
                    " JOIN accounts_user u ON u.id = s.user_id"
                    " JOIN participation_proposal p ON p.id = s.proposal_id"
                    " WHERE u.username LIKE 'chaos-%%'"
                )
            ),
            "proposal": self.marks("participation_proposal", "title", "Propuesta "),
            "report": self.marks("tracking_progressreport", "done", "Avance "),
        }
        accepted = {
            "comment": stats.comments,
            "support": stats.supports,
            "proposal": result["written"]["proposal"],
            "report": result["written"]["report"],
        }
        log("\nAccepted writes, and those missing from the primary:")
        for kind, items in accepted.items():
            missing = [item for item in items if item not in stored[kind]]
            log(f"  {kind:<9} {len(items):>6} accepted, {len(missing)} missing")
            if missing:
                failures.append(f"{len(missing)} accepted {kind}s missing: {missing[:3]}")
            if not items:
                failures.append(f"no {kind} was accepted")
        evidence = result["evidence"]
        log(
            f"Evidence files uploaded with a report and downloaded again (any app server): "
            f"{len(evidence)}, {evidence.count(False)} not the file the report names"
        )
        if not evidence or not all(evidence):
            failures.append(
                f"evidence files read back: {evidence.count(False)} of {len(evidence)} wrong"
            )
        # The replica caught up.
        lsn = self.primary.sql("SELECT pg_current_wal_lsn()::text")[0][0]
        started = time.monotonic()
        caught = False
        while time.monotonic() - started < 60 and not caught:
            caught = bool(
                self.replica.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn)[0][0]
            )
            time.sleep(0.2)
        counts = (
            "SELECT (SELECT count(*) FROM participation_comment), (SELECT count(*) FROM "
            "participation_proposal), (SELECT count(*) FROM tracking_progressreport)"
        )
        same = self.primary.sql(counts) == self.replica.sql(counts)
        log(
            f"The replica caught up with the primary: {caught} "
            f"({time.monotonic() - started:.1f} s), same comments, proposals, reports: {same}"
        )
        if not (caught and same):
            failures.append("the replica did not catch up")
        try:
            audit = manage({**outside(), **self.env}, "verify_audit_log").strip()
        except subprocess.CalledProcessError as error:
            audit = f"FAILED: {error.stdout} {error.stderr}"
            failures.append("verify_audit_log")
        log(f"Audit log: {audit}")
        tasks = self.drained(120)
        log(f"Background tasks after the load: {tasks}")
        failures += result["behind"]
        if not tasks.startswith("0 tasks"):
            failures.append(f"background tasks: {tasks}")
        return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=300, help="length of the mixed load")
    parser.add_argument("--compare-seconds", type=int, default=20, help="each throughput run")
    parser.add_argument("--anonymous", type=int, default=8, help="anonymous client threads")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers per server")
    parser.add_argument("--small", action="store_true", help="small data (CI), not OGP scale")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs)")
    args = parser.parse_args()
    for program in ("nginx", "redis-server", "wrk", "openssl", str(PG_BIN / "postgres")):
        if shutil.which(program) is None:
            sys.exit(f"bench/topology.py needs {program} (make topology installs it)")

    def too_long(*_: object) -> None:
        raise TimeoutError("the topology run took too long; stopping everything")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(args.seconds + args.compare_seconds * 2 + (900 if args.small else 2400))
    run = Run(args)
    failures: list[str] = []
    with run.stopping():
        run.setup()
        run.step("docs/deployment.md §10: what nginx answers by itself")
        failures += run.edge()
        run.step("Throughput through nginx, the same public pages (wrk, 16 connections)")
        results = run.throughput()
        ratio = (
            results["2 app servers + replica"]["rps"] / results["1 app server, primary only"]["rps"]
        )
        log(f"  ratio {ratio:.2f} on {os.cpu_count()} cores")
        run.step(f"Mixed load for {args.seconds} s with faults")
        outcome = run.load()
        run.step("Checks")
        failures = run.checks(outcome)
        run.step(
            "docs/deployment.md §13, docs/backups.md: bin/backup, then bin/restore into an "
            "empty database"
        )
        failures += run.backup_round_trip()
    signal.alarm(0)
    if failures:
        log("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    log("\nAll targets met.")


if __name__ == "__main__":
    main()
