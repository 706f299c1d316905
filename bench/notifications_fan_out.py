"""The notifications benchmark (issue 23): one public event told to 10,000 followers. It reports
numbers; it is not a test, and not in CI. Run it with DATABASE_URL set for PostgreSQL (that
database is dropped and created again: give it one of its own), or without for SQLite under var/;
`--followers N` to change the audience.

Steps: a fresh database (`migrate`); a plan with one commitment; N people who follow the
commitment (written in bulk: the setup, not what is measured); then the IRM's findings on the
commitment are recorded through the service, as the point of contact's save would be (one public
event), timing that write; then `notifications.services.fan_out()` runs, as the worker runs it
after the commit, timing it and counting the notifications. A second fan-out shows a run that
finds nothing new. Target (issue 23): under 10 s on PostgreSQL, and the write that records the
event does not wait for the followers.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_ogp import fresh_database, writer_setup
from run import ROOT, environment


def run(args: argparse.Namespace) -> None:
    database_url = os.environ.get("DATABASE_URL")
    env = environment(database_url, cache=False)
    env["COCREA_SQLITE_PATH"] = str(ROOT / "var" / "bench-notifications.sqlite3")
    print("Building a fresh database...", flush=True)
    fresh_database(env, database_url)
    writer_setup(env)
    sys.path.insert(0, str(ROOT))

    from django.db import transaction

    from cocrea.accounts.models import User
    from cocrea.notifications.models import Follow, Notification
    from cocrea.notifications.services import fan_out
    from cocrea.tracking.models import IrmReview
    from cocrea.tracking.services import irm_review_import
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1, slug="plan-bench", number=1)
    commitment = plan.commitments.get()
    fan_out()  # the setup's own events: nothing to tell
    print(f"Writing {args.followers:,} followers...", flush=True)
    with transaction.atomic():
        people = User.objects.bulk_create(
            [
                User(
                    username=f"seguidor{n}",
                    email=f"seguidor{n}@example.org",
                    public_name=f"Seguidor {n}",
                )
                for n in range(args.followers)
            ],
            batch_size=1000,
        )
        Follow.objects.bulk_create(
            [
                Follow(user=person, target_type="plans.commitment", target_id=str(commitment.pk))
                for person in people
            ],
            batch_size=1000,
        )
    started = time.perf_counter()
    irm_review_import(
        actor=None,
        commitment=commitment,
        review=IrmReview(commitment=commitment, verifiable="verifiable"),
    )
    write = time.perf_counter() - started
    started = time.perf_counter()
    made = fan_out()
    spread = time.perf_counter() - started
    started = time.perf_counter()
    again = fan_out()
    rerun = time.perf_counter() - started
    told = Notification.objects.filter(key__startswith="event:").count()
    print()
    print(f"Database: {'PostgreSQL' if database_url else 'SQLite'}; followers: {args.followers:,}")
    print(f"The write that records the event: {write * 1000:,.1f} ms")
    print(f"Fan-out: {made:,} notifications in {spread:.2f} s ({made / spread:,.0f} a second)")
    print(f"A second fan-out: {again} new, {rerun * 1000:,.1f} ms; notifications stored: {told:,}")
    met = spread < 10 and made == args.followers and again == 0
    print(f"Target (fan-out under 10 s, each follower told once): {'MET' if met else 'MISS'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=10_000)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
