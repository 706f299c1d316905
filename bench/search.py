"""The search benchmark (issue 24): latency of the search page at consultation scale on top of
OGP-database scale. It reports numbers; it is not a test, and not in CI. Run it with
`.venv/bin/python bench/search.py` (SQLite under var/) or with DATABASE_URL set for PostgreSQL
(that database is dropped and created again: give it one of its own). `--proposals` and
`--comments` set the consultation's size (default 20,000 and 200,000; `--comments 1000000` for
the later target), `--rounds` the requests per query.

Steps: a fresh database (`migrate`); `seed_scale` with OGP's scale (400 plans, 5,000 commitments,
40,000 milestones) and the consultation's proposals and comments, which also builds the index
(timed); a few rare words written into 0.1% and 1% of the comments, through the index's own
service, so rare and common words can both be measured (the synthetic text has a vocabulary of
17 words, each in most texts); then, in this process, the page `/buscar/` rendered for each
query (one to three words, common and rare, a phrase, a prefix, with and without filters), with
the page cache off, `--rounds` times after one warm-up. Prints the matches, p50, p95 and the
slowest request of each query. Target (issue 24): p95 under 100 ms on PostgreSQL.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_ogp import fresh_database, writer_setup
from run import PYTHON, ROOT, environment

AGAIN = " (the last run's database)"
QUERIES = [
    ("common, 1 word", {"q": "transparencia"}),
    ("common, 2 words", {"q": "datos abiertos"}),
    ("common, 3 words", {"q": "acceso información salud"}),
    ("rare, 1 word", {"q": "chiantla"}),
    ("rare, 2 words", {"q": "riego chiantla"}),
    ("rare, 3 words", {"q": "caudales riego chiantla"}),
    ("less rare, 1 word", {"q": "caudales"}),
    ("phrase", {"q": '"datos abiertos"'}),
    ("prefix", {"q": "transpar*"}),
    (
        "common, type and department",
        {"q": "transparencia", "kind": "proposal", "department": "quiche"},
    ),
    ("common, comments only", {"q": "agua municipal", "kind": "comment"}),
    ("rare, a plan", {"q": "caudales", "plan": "scale-plan"}),
    ("common, a period", {"q": "presupuesto", "since": "2020-01-01", "until": "2022-12-31"}),
]


def run(args: argparse.Namespace) -> None:
    database_url = os.environ.get("DATABASE_URL")
    env = environment(database_url, cache=False)
    env["COCREA_SQLITE_PATH"] = str(ROOT / "var" / "bench-search.sqlite3")
    seeded = 0.0
    if not args.again:
        print("Building a fresh database...", flush=True)
        fresh_database(env, database_url)
        started = time.perf_counter()
        subprocess.run(
            [
                PYTHON, "manage.py", "seed_scale", "--force",
                f"--proposals={args.proposals}", f"--comments={args.comments}",
                f"--supports={args.proposals}",
            ],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        seeded = time.perf_counter() - started
    # The pages name their static files through the manifest, as in production.
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    writer_setup(env)

    from django.db import connection
    from django.test import Client

    from cocrea.participation.models import Comment
    from cocrea.plans.models import ActionPlan
    from cocrea.search.models import Entry
    from cocrea.search.services import index_things, rebuild

    started = time.perf_counter()
    entries = rebuild() if not args.again else Entry.objects.count()
    rebuilt = time.perf_counter() - started
    comments = list(Comment.objects.order_by("pk").values_list("pk", flat=True))
    rare, less_rare = comments[::1000], comments[5::100]  # 0.1% and 1% of the comments
    Comment.objects.filter(pk__in=rare).update(
        body="Riego en Chiantla: los caudales no se publican."
    )
    Comment.objects.filter(pk__in=less_rare).update(body="Los caudales del río bajan cada año.")
    index_things([("participation.comment", str(pk)) for pk in {*rare, *less_rare}])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    plan = (
        ActionPlan.objects.filter(consultation__slug="scale-consulta")
        .values_list("slug", flat=True)
        .first()
    )
    print(
        f"\n{connection.vendor}: {Entry.objects.count():,} entries "
        f"({args.proposals:,} proposals, {args.comments:,} comments, OGP scale); "
        f"seed_scale {seeded:.0f} s (index included), a second full rebuild {rebuilt:.0f} s "
        f"({entries:,} entries){AGAIN if args.again else ''}\n"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'query':34} {'matches':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, params in QUERIES:
        if params.get("plan") == "scale-plan":
            params = {**params, "plan": plan or ""}
        response = client.get("/buscar/", params)  # warm-up
        if response.status_code != 200:
            sys.exit(f"{name}: the page answered {response.status_code}")
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            response = client.get("/buscar/", params)
            times.append((time.perf_counter() - started) * 1000)
        found = client.get("/api/v1/search", params)  # the same search, counted
        matches = json.loads(found.content)["count"] if found.status_code == 200 else -1
        times.sort()
        p95 = times[max(int(len(times) * 0.95) - 1, 0)]
        print(
            f"{name:34} {matches:>9,} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proposals", type=int, default=20_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--again", action="store_true", help="measure the database of the last run, unchanged"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
