"""Reads of public pages go to the read replica for visitors who are not signed in; writes, and
signed-in people's reads, go to the primary (cocrea/core/replica.py). The replica alias is, in
the tests, a mirror of the test database, so both aliases see the same committed rows."""

import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine
from django.db import connections
from django.urls import resolve, reverse

from cocrea.core.replica import REPLICA, STICKY_COOKIE, ReplicaRouter, replica_health, replica_reads
from cocrea.core.tests.pg import other_connection
from cocrea.plans.models import ActionPlan
from tests.pages import plan_samples, public_pages

# Committed rows (a transaction test), so the replica's own connection sees them.
both = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

# What the primary may still be asked while a public page is served: the data version that
# keys the page cache (read by its middleware, before the view) and the visitor's session.
OUTSIDE_THE_VIEW = {"core_dataversion", "django_session"}
POSTGRESQL = "postgresql"


@pytest.fixture
def replica_on(settings):
    settings.COCREA_REPLICA_READS = True
    replica_health.reset()
    yield
    replica_health.reset()


def _tables(queries: list[dict]) -> set[str]:
    return {
        name
        for query in queries
        for name in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"], re.IGNORECASE)
    }


@contextmanager
def _recorded(alias: str) -> Iterator[list[dict]]:
    """The statements sent on an alias (without connecting it first, as CaptureQueriesContext
    does: the replica may be down)."""
    queries: list[dict] = []

    def record(execute, sql, params, many, context):
        queries.append({"sql": sql})
        return execute(sql, params, many, context)

    with connections[alias].execute_wrapper(record):
        yield queries


def _get(client, address: str) -> tuple[list[dict], list[dict]]:
    with _recorded("default") as primary, _recorded(REPLICA) as replica:
        response = client.get(address)
    assert response.status_code == 200, address
    return primary, replica


@both
def test_every_public_page_reads_its_data_from_the_replica(client, replica_on):
    from conftest import build_plan

    plan = build_plan(commitments=2, milestones_each=2)
    pages = [
        a for a in public_pages(plan_samples(plan)) if getattr(resolve(a).func, "public_page", 0)
    ]
    assert len(pages) > 20
    read_from_replica = set()
    for address in pages:
        primary, replica = _get(client, address)
        assert _tables(primary) <= OUTSIDE_THE_VIEW, (address, _tables(primary))
        if replica:
            read_from_replica.add(address)
    # Every page but the static ones (the privacy page, the API's documentation) reads data.
    assert len(read_from_replica) >= len(pages) - 3, set(pages) - read_from_replica


@both
def test_signed_in_people_read_from_the_replica_too(client, replica_on, django_user_model):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    person = django_user_model.objects.create_user("lectora", email="lectora@example.org")
    client.force_login(person)
    primary, replica = _get(client, plan.get_absolute_url())
    assert "plans_actionplan" in _tables(replica)
    # Who is signed in is read from the primary: the session may have just been written.
    assert _tables(primary) == {"django_session", "accounts_user"}


@both
def test_without_a_replica_configured_everything_reads_from_the_primary(client):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    primary, replica = _get(client, plan.get_absolute_url())
    assert replica == []
    assert "plans_actionplan" in _tables(primary)


def test_writes_go_to_the_primary_even_inside_a_public_page(settings):
    settings.COCREA_REPLICA_READS = True
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(ActionPlan) == REPLICA
        assert router.db_for_write(ActionPlan) == "default"
    assert router.db_for_read(ActionPlan) is None


def test_only_the_primary_is_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "plans") is True
    assert router.allow_migrate(REPLICA, "plans") is False


# Read your writes: a request that changed something marks the browser for the primary.


def _follow(client, plan):
    from cocrea.notifications import targets

    kind, target = targets.name(plan)
    return client.post(reverse("notifications:follow"), {"kind": kind, "target": target})


def _reads_from(client, address: str) -> str:
    primary, replica = _get(client, address)
    on_replica, on_primary = (
        "plans_actionplan" in _tables(replica),
        "plans_actionplan" in _tables(primary),
    )
    assert on_replica != on_primary, (primary, replica)
    return REPLICA if on_replica else "default"


@both
def test_after_a_write_their_reads_go_to_the_primary_until_the_window_ends(
    client, replica_on, settings, django_user_model
):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    client.force_login(django_user_model.objects.create_user("ana", email="ana@example.org"))
    with time_machine.travel(time.time(), tick=False) as traveller:
        response = _follow(client, plan)
        assert response.status_code == 302
        mark = response.cookies[STICKY_COOKIE]
        assert mark["httponly"] and mark["samesite"] == "Lax"
        assert mark["max-age"] == settings.COCREA_REPLICA_STICKY_SECONDS == 10
        assert bool(mark["secure"]) is settings.SESSION_COOKIE_SECURE
        assert _reads_from(client, plan.get_absolute_url()) == "default"
        traveller.shift(9)
        assert _reads_from(client, plan.get_absolute_url()) == "default"
        # Past the window the browser drops the cookie; a cookie kept longer counts for nothing.
        traveller.shift(2)
        assert _reads_from(client, plan.get_absolute_url()) == REPLICA


@both
def test_signing_out_marks_the_browser_too(client, replica_on, django_user_model):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    client.force_login(django_user_model.objects.create_user("eva", email="eva@example.org"))
    assert _reads_from(client, plan.get_absolute_url()) == REPLICA
    assert client.post(reverse("account_logout")).status_code == 302
    assert STICKY_COOKIE in client.cookies
    assert _reads_from(client, plan.get_absolute_url()) == "default"


@both
def test_anonymous_visitors_read_from_the_replica_and_a_refused_post_marks_nothing(
    client, replica_on
):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    assert _reads_from(client, plan.get_absolute_url()) == REPLICA
    # A public page takes no POST: refused (405), it changed nothing.
    refused = client.post(plan.get_absolute_url())
    assert refused.status_code == 405
    assert STICKY_COOKIE not in refused.cookies
    assert _reads_from(client, plan.get_absolute_url()) == REPLICA


@both
def test_without_a_replica_no_mark_is_set(client, django_user_model):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    client.force_login(django_user_model.objects.create_user("ines", email="ines@example.org"))
    assert _follow(client, plan).status_code == 302
    assert STICKY_COOKIE not in client.cookies


@both
@pytest.mark.parametrize("forged", ["1", "1:1vAbCd:forgedsignature", "sí"])
def test_a_forged_mark_is_ignored(client, replica_on, forged):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    client.cookies[STICKY_COOKIE] = forged
    assert _reads_from(client, plan.get_absolute_url()) == REPLICA


@both
def test_a_mark_signed_for_something_else_is_ignored(client, replica_on, rf):
    from django.http import HttpResponse

    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    other = HttpResponse()
    other.set_signed_cookie(STICKY_COOKIE, "1", salt="another purpose")
    client.cookies[STICKY_COOKIE] = other.cookies[STICKY_COOKIE].value
    assert _reads_from(client, plan.get_absolute_url()) == REPLICA


# The replica down, broken half-way, or behind: reads go to the primary.


@contextmanager
def _replica_moved(**changes):
    """The replica alias pointed elsewhere (a real database, or nothing listening), with the
    attempts to connect to it counted; put back after."""
    replica = connections[REPLICA]
    kept = replica.settings_dict
    replica.settings_dict = {**kept, **changes}
    replica.close()  # after the move: SQLite never closes an in-memory database's connection
    attempts: list[str] = []
    connect = replica.get_new_connection

    def counted(params):
        attempts.append(replica.settings_dict["NAME"])
        return connect(params)

    replica.get_new_connection = counted
    try:
        yield attempts
    finally:
        del replica.get_new_connection
        replica.close()
        replica.settings_dict = kept


def _unreachable():
    if connections[REPLICA].vendor == POSTGRESQL:
        return _replica_moved(PORT=1)  # nothing listens there: the connection is refused
    return _replica_moved(NAME="/nonexistent-folder/replica.sqlite3")


@both
def test_a_replica_that_refuses_connections_sends_reads_to_the_primary(
    client, replica_on, settings, caplog
):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    settings.COCREA_REPLICA_RETRY_SECONDS = 2
    with _unreachable() as attempts, caplog.at_level(logging.WARNING, "cocrea.replica"):
        for _ in range(3):
            assert _reads_from(client, plan.get_absolute_url()) == "default"
        assert len(attempts) == 1  # marked down: the next requests do not try it
        time.sleep(2.1)
        assert _reads_from(client, plan.get_absolute_url()) == "default"
        assert len(attempts) == 2  # tried again after the pause, still down
        warnings = [r.getMessage() for r in caplog.records if r.name == "cocrea.replica"]
        assert len(warnings) == 1, warnings  # once per down period
        assert warnings[0].startswith("Read replica unavailable")
    time.sleep(2.1)
    with caplog.at_level(logging.WARNING, "cocrea.replica"):
        assert _reads_from(client, plan.get_absolute_url()) == REPLICA
    assert caplog.records[-1].getMessage() == "Read replica available again"


@both
def test_a_public_page_whose_replica_connection_breaks_half_way_runs_again_on_the_primary(
    client, replica_on
):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    if connections[REPLICA].vendor != POSTGRESQL:
        # SQLite has no server that could end the replica's connection: the page is read from
        # the replica alias all the same, and nothing marks it down.
        primary, replica = _get(client, plan.get_absolute_url())
        assert "plans_actionplan" in _tables(replica)
        assert "plans_actionplan" not in _tables(primary)
        assert not replica_health.down
        return
    ended: list[int] = []

    def end_the_connection_once(execute, sql, params, many, context):
        if "plans_actionplan" in sql and not ended:
            pid = context["connection"].connection.info.backend_pid
            with other_connection() as other:
                other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            ended.append(pid)
        return execute(sql, params, many, context)

    with connections[REPLICA].execute_wrapper(end_the_connection_once):
        primary, replica = _get(client, plan.get_absolute_url())
    assert len(ended) == 1
    assert "plans_actionplan" in _tables(replica)  # the view's first run, cut
    assert "plans_actionplan" in _tables(primary)  # its second run
    assert replica_health.down
    connections[REPLICA].close()


@both
def test_the_replica_is_not_counted_behind_when_it_is_not_a_replica(replica_on):
    from cocrea.core.replica import replica_lag_seconds

    if connections[REPLICA].vendor != POSTGRESQL:
        # SQLite has no replicas: the lag is never asked, and the replica never counts behind.
        replica_health.behind = True
        replica_health._check_lag(time.monotonic())
        assert not replica_health.behind
        return
    # The tests' replica is the primary itself, not in recovery.
    assert replica_lag_seconds() == 0
    assert replica_health.available()
    assert not replica_health.behind


# The page cache and a replica behind the primary.


@contextmanager
def _snapshot_as_replica(tmp_path):
    """The replica alias pointed at a copy of the database as it is now: a replica that stopped
    replaying, behind every change made after."""
    if connections["default"].vendor == POSTGRESQL:
        name = connections["default"].settings_dict["NAME"]
        snapshot = f"{name}_snapshot"
        connections.close_all()  # a template database must have no other connection
        with other_connection("postgres") as server:
            server.execute(f'CREATE DATABASE "{snapshot}" TEMPLATE "{name}"')
        try:
            with _replica_moved(NAME=snapshot):
                yield
        finally:
            with other_connection("postgres") as server:
                server.execute(f'DROP DATABASE "{snapshot}"')
    else:
        snapshot = str(tmp_path / "snapshot.sqlite3")
        with sqlite3.connect(snapshot) as copy:
            connections["default"].ensure_connection()
            connections["default"].connection.backup(copy)
        copy.close()
        with _replica_moved(NAME=snapshot):
            yield


@both
def test_a_page_read_from_a_replica_behind_is_not_cached_as_the_primarys_newer_version(
    client, replica_on, settings, tmp_path
):
    from django.core.cache import cache
    from django.db import transaction

    from cocrea.core.pagecache import HEADER
    from cocrea.core.versioning import data_version_bump
    from conftest import build_plan

    settings.COCREA_PAGE_CACHE = True
    cache.clear()
    plan = build_plan(commitments=1, milestones_each=1, title="Plan antes")
    with _snapshot_as_replica(tmp_path):
        with transaction.atomic():  # what a service does: the change and the version together
            ActionPlan.objects.filter(pk=plan.pk).update(title="Plan después")
            data_version_bump()
        stale = client.get(plan.get_absolute_url())
        assert stale[HEADER] == "miss"
        assert "Plan antes" in stale.content.decode()  # what a replica behind has
        assert client.get(plan.get_absolute_url())[HEADER] == "hit"
    # The replica caught up: its version is the primary's, under which nothing stale was kept.
    fresh = client.get(plan.get_absolute_url())
    assert fresh[HEADER] == "miss"
    assert "Plan después" in fresh.content.decode()
    cache.clear()


@both
def test_the_page_cache_of_a_visitor_who_just_wrote_keys_on_the_primary(
    client, replica_on, settings, django_user_model
):
    from django.core.cache import cache
    from django.test import Client

    from conftest import build_plan

    settings.COCREA_PAGE_CACHE = True
    cache.clear()
    plan = build_plan(commitments=1, milestones_each=1)
    primary, replica = _get(client, plan.get_absolute_url())
    assert "core_dataversion" in _tables(replica)
    assert primary == []  # an anonymous visitor on the replica costs the primary nothing
    # A mark the site gave a moment ago (here to someone who then signed out, or wrote
    # without a session: the mark is the browser's, not the session's).
    writer = Client()
    writer.force_login(django_user_model.objects.create_user("rosa", email="rosa@example.org"))
    client.cookies[STICKY_COOKIE] = _follow(writer, plan).cookies[STICKY_COOKIE].value
    primary, replica = _get(client, plan.get_absolute_url())
    assert replica == []
    assert "core_dataversion" in _tables(primary)
    cache.clear()
