"""Reads of public pages go to the read replica for visitors who are not signed in; writes, and
signed-in people's reads, go to the primary (cocrea/core/replica.py). The replica alias is, in
the tests, a mirror of the test database, so both aliases see the same committed rows."""

import re
import time

import pytest
import time_machine
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from cocrea.core.replica import REPLICA, STICKY_COOKIE, ReplicaRouter, replica_health, replica_reads
from cocrea.plans.models import ActionPlan
from tests.pages import plan_samples, public_pages

# Committed rows (a transaction test), so the replica's own connection sees them.
both = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

# What the primary may still be asked while a public page is served: the data version that
# keys the page cache (read by its middleware, before the view) and the visitor's session.
OUTSIDE_THE_VIEW = {"core_dataversion", "django_session"}


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


def _get(client, address: str) -> tuple[list[dict], list[dict]]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(address)
    assert response.status_code == 200, address
    return primary.captured_queries, replica.captured_queries


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
