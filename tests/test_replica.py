"""Reads of public pages go to the read replica for visitors who are not signed in; writes, and
signed-in people's reads, go to the primary (cocrea/core/replica.py). The replica alias is, in
the tests, a mirror of the test database, so both aliases see the same committed rows."""

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from cocrea.core.replica import REPLICA, ReplicaRouter, replica_reads
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
def test_signed_in_people_read_from_the_primary(client, replica_on, django_user_model):
    from conftest import build_plan

    plan = build_plan(commitments=1, milestones_each=1)
    person = django_user_model.objects.create_user("lectora", email="lectora@example.org")
    client.force_login(person)
    primary, replica = _get(client, plan.get_absolute_url())
    assert replica == []
    assert "plans_actionplan" in _tables(primary)


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
