"""The import benchmark (issue 22): OGP's whole commitments database into a fresh database, while
another writer keeps changing the site. It reports numbers; it is not a test, and not in CI. Run
it with `.venv/bin/python bench/import_ogp.py` (SQLite under var/), or with DATABASE_URL set for
PostgreSQL (that database is dropped and created again: give it one of its own); `--rows 1000`
for a quick run, `--help` for the options.

Steps: write a synthetic file shaped like OGP's whole database (about 5,000 commitments, 400
plans, 75 members) with the columns and the messiness of the test fixture
cocrea/opendata/tests/data/ogp_real_world.csv (each synthetic row is one of its rows with a new
identity: member, plan, commitment id and number, lead institution); build a fresh database
(`migrate`); then run `manage.py import_ogp_commitments` on the file and, meanwhile, from this
process, rename an institution through `cocrea.plans.services.institution_save` (actor None, as
a command on the server does) every 100 ms, timing each write. Prints the import's rows per
second and total seconds, and the writer's longest and median wait (and how many writes failed,
e.g. "database is locked"). Targets (issue 22): the whole database under 60 s, no write waiting
more than 1 s.
"""

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, environment

PYTHON = sys.executable
FIXTURE = ROOT / "cocrea" / "opendata" / "tests" / "data" / "ogp_real_world.csv"
SQLITE = ROOT / "var" / "bench-import.sqlite3"
WRITER_SLUG = "bench-import-writer"


def templates() -> tuple[list[str], list[dict[str, str]]]:
    """The fixture's header and its rows that have an identity (its one bad row is left out:
    a file with a bad row imports nothing)."""
    with open(FIXTURE, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["Commitment Unique Identifier"].strip()]
        return list(reader.fieldnames or []), rows


def member_code(index: int) -> str:
    """Three letters, none of them a real member's code (Q is used by no ISO 3166 code)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "Q" + letters[index // 26 % 26] + letters[index % 26]


def synthesize(path: Path, rows: int, plans: int, members: int) -> None:
    """`rows` commitments in `plans` plans of `members` members, each a fixture row with a new
    identity; the other cells (dates in every shape, OGP's vocabulary, ND/NA/NR, bullets, long
    names and titles) are the fixture's."""
    header, base = templates()
    plans = max(1, min(plans, rows))
    members = max(1, min(members, plans))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        number_in_plan: dict[int, int] = {}
        for i in range(rows):
            plan = i * plans // rows
            member = plan * members // plans
            first_plan = member * plans // members  # plans are numbered within their member
            plan_number = plan - first_plan + 1
            nth = number_in_plan[plan] = number_in_plan.get(plan, 0) + 1
            code = member_code(member)
            template = base[i % len(base)]
            row = dict(template)
            start = 2011 + (plan_number * 2) % 12
            lead = template["Lead Institution"]
            row.update(
                {
                    "Commitment Unique Identifier": f"{code}{i:05d}",
                    "Country/Locality": f"Miembro sintético {member + 1}",
                    "Code": code,
                    "Action Plan Number": str(plan_number),
                    "Action Plan ID": f"AP_{code}{plan_number:02d}",
                    "Year Of Submission": str(start),
                    "Action Plan End Year": str(start + 2),
                    "Action Plan Duration (Years)": "2",
                    # The template's shape (3.2.5, 1.6A, float noise) with a number of its own.
                    "Commitment Number": re.sub(
                        r"^\d+", str(nth), template["Commitment Number"].strip()
                    ),
                    # One lead institution per template and member (about 1,000 in all), keeping
                    # the template's long names and trailing spaces; NA stays NA.
                    "Lead Institution": lead
                    if lead.strip() in {"NA", "ND", "NR", ""}
                    else f"{lead.rstrip()} ({code}){lead[len(lead.rstrip()) :]}",
                    "URL": "https://www.opengovpartnership.org/members/"
                    f"miembro-{member + 1}/commitments/{code}{i:05d}/",
                }
            )
            writer.writerow(row)


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def fresh_database(env: dict[str, str], database_url: str | None) -> None:
    """Drop the benchmark's database and migrate a new one."""
    if database_url:
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
    done = manage(env, "migrate", "--no-input")
    if done.returncode:
        sys.exit(done.stderr)


def writer_setup(env: dict[str, str]) -> None:
    """Django in this process, on the benchmark's database, for the concurrent writer."""
    for key in [k for k in os.environ if k.startswith("COCREA_") or k == "DATABASE_URL"]:
        del os.environ[key]
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def write_once(n: int) -> None:
    """One write through a service, as an editor's save would be: rename an institution."""
    from cocrea.plans.models import Institution
    from cocrea.plans.services import institution_save

    institution = Institution.objects.filter(slug=WRITER_SLUG).first() or Institution(
        slug=WRITER_SLUG, kind="government"
    )
    institution.name = f"Institución del escritor concurrente {n}"
    institution_save(actor=None, institution=institution)


def run(args: argparse.Namespace) -> None:
    database_url = os.environ.get("DATABASE_URL")
    env = environment(database_url, cache=False)
    env["COCREA_SQLITE_PATH"] = str(SQLITE)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ogp_synthetic.csv"
        synthesize(path, args.rows, args.plans, args.members)
        print(
            f"Synthetic file: {args.rows:,} commitments, {min(args.plans, args.rows):,} plans, "
            f"{args.members} members, {path.stat().st_size / 1e6:.1f} MB",
            flush=True,
        )
        print("Building a fresh database...", flush=True)
        fresh_database(env, database_url)
        writer_setup(env)
        from django.db import connection

        write_once(0)  # the writer's institution exists before the import starts
        print(
            f"Importing, with a write every {args.interval * 1000:.0f} ms alongside...", flush=True
        )
        waits: list[float] = []
        failures: list[str] = []
        started = time.perf_counter()
        # The command's report goes to files: a pipe nobody reads while it runs would fill and
        # stop it.
        out_file = open(Path(folder) / "stdout.txt", "w+", encoding="utf-8")  # noqa: SIM115
        err_file = open(Path(folder) / "stderr.txt", "w+", encoding="utf-8")  # noqa: SIM115
        importer = subprocess.Popen(
            [PYTHON, "manage.py", "import_ogp_commitments", str(path)],
            cwd=ROOT,
            env=env,
            stdout=out_file,
            stderr=err_file,
            text=True,
        )
        n = 0
        while importer.poll() is None:
            n += 1
            began = time.perf_counter()
            try:
                write_once(n)
            except Exception as error:  # e.g. "database is locked": a failed write, timed too
                failures.append(f"{type(error).__name__}: {error}")
                connection.close()
            waited = time.perf_counter() - began
            waits.append(waited)
            time.sleep(max(0.0, args.interval - waited))
        seconds = time.perf_counter() - started
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
        out_file.close()
        err_file.close()
    database = "PostgreSQL" if database_url else "SQLite"
    print()
    if importer.returncode:
        print(f"The import FAILED (exit {importer.returncode}):\n{err[-3000:]}")
    summary = [line for line in out.replace("\r", "\n").splitlines() if line.strip()][-4:]
    print("\n".join(f"  import: {line}" for line in summary))
    print(f"\nDatabase: {database}; rows: {args.rows:,}")
    print(f"Import: {seconds:.1f} s in all, {args.rows / seconds:,.0f} rows/s")
    if waits:
        print(
            f"Concurrent writer: {len(waits)} writes, longest wait {max(waits) * 1000:,.0f} ms, "
            f"median {statistics.median(waits) * 1000:,.1f} ms, "
            f"{sum(w > 1 for w in waits)} over 1 s, {len(failures)} failed "
            "(a failed write counts the time it waited before failing)"
        )
    for failure in sorted(set(failures))[:5]:
        print(f"  failed write: {failure}")
    target = "ok" if seconds < 60 * args.rows / 5000 and waits and max(waits) < 1 else "MISS"
    print(f"Targets (5,000 rows < 60 s, pro rata; longest wait < 1 s): {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="commitments (default 5,000)")
    parser.add_argument("--plans", type=int, default=400, help="action plans (default 400)")
    parser.add_argument("--members", type=int, default=75, help="OGP members (default 75)")
    parser.add_argument(
        "--interval", type=float, default=0.1, help="seconds between the writer's writes"
    )
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    if args.rows < 5000 and args.plans == 400:  # a quick run keeps the whole file's proportions
        args.plans = max(1, round(400 * args.rows / 5000))
        args.members = max(1, min(args.members, round(75 * args.rows / 5000) or 1))
    run(args)


if __name__ == "__main__":
    main()
