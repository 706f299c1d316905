"""Each event carries the hash of the one before it, and what is hashed is what is stored."""

import hashlib
import json

import pytest
from django.db import IntegrityError, transaction

from cocrea.audit import chain
from cocrea.audit.models import AuditEvent
from cocrea.audit.services import event_record
from cocrea.audit.tests.conftest import record

pytestmark = pytest.mark.django_db


def _verify():
    rows = AuditEvent.objects.order_by("id").values()
    return chain.verify(chain.links_from_rows(rows))


def test_the_first_event_follows_64_zeros_and_each_next_one_the_hash_before_it(person):
    first, second, third = (record(None, "test.record", person) for _ in range(3))
    assert first.prev_hash == chain.GENESIS == "0" * 64
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [second.id, third.id] == [first.id + 1, first.id + 2]


def test_the_hashes_follow_the_published_algorithm(person):
    event = record(person, "test.record", person, changes={"bio": [None, "Hola"]}, public=True)
    event.refresh_from_db()
    payload = {
        "id": event.id,
        "created_at": event.created_at.isoformat(timespec="microseconds"),
        "actor_name": "Quetzal",
        "actor_institution": "",
        "action": "test.record",
        "target_type": "accounts.user",
        "target_id": str(person.pk),
        "target_repr": str(person),
        "context_type": "accounts.user",
        "context_id": str(person.pk),
        "public": True,
        "changes": {"bio": [None, "Hola"]},
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event.created_at.utcoffset().total_seconds() == 0
    assert event.payload_hash == hashlib.sha256(text.encode()).hexdigest()
    assert event.hash == hashlib.sha256((event.prev_hash + event.payload_hash).encode()).hexdigest()


def test_what_is_hashed_is_what_the_database_gives_back(person):
    """Unicode, nested values, key order, booleans and numbers survive SQLite's JSON text and
    PostgreSQL's jsonb (which reorders keys and rewrites 1e+16)."""
    changes = {
        "zeta": [1.5, 1e16],
        "ñandú": ["Comunicación — “pública”", None],
        "nested": {"b": [True, False], "a": 10**15},
        3: ("tuple", "set"),
    }
    record(None, "test.record", person, changes=changes, public=True)
    record(None, "test.record", person, institution="Ministerio de Educación")
    result = _verify()
    assert result.broken is None
    assert result.count == 2
    assert AuditEvent.objects.first().changes["zeta"] == ["1.5", "1e+16"]


def test_events_are_private_and_about_their_target_unless_told_otherwise(person, django_user_model):
    event = record(person, "test.record", person, institution="Red Ciudadana")
    assert event.public is False
    assert (event.context_type, event.context_id) == ("accounts.user", str(person.pk))
    assert event.actor_institution == "Red Ciudadana"
    group = django_user_model.objects.create_user("grupo")
    event = record(person, "test.record", person, context=group, public=True)
    assert event.public is True
    assert (event.context_type, event.context_id) == ("accounts.user", str(group.pk))
    assert (event.target_type, event.target_id) == ("accounts.user", str(person.pk))


def test_an_event_without_a_signed_in_person_names_nobody(person):
    from django.contrib.auth.models import AnonymousUser

    event = record(AnonymousUser(), "test.record", person)
    assert (event.actor, event.actor_name) == (None, "")


def test_a_second_event_chained_on_the_same_head_is_refused_by_the_database(person):
    event = record(None, "test.record", person)
    fork = AuditEvent.objects.values().get(pk=event.pk)
    fork.update(id=event.id + 1, hash="f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(**fork)


@pytest.mark.django_db(transaction=True)
def test_events_cannot_be_recorded_outside_a_transaction(person):
    with pytest.raises(RuntimeError):
        event_record(actor=None, action="x.y", target=person)
    assert not AuditEvent.objects.exists()


def test_verify_reports_the_count_and_head_of_a_whole_chain(log):
    result = _verify()
    assert (result.count, result.head, result.broken) == (6, AuditEvent.objects.last().hash, None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_queue_and_never_chain_on_the_same_head(person):
    """Writers in parallel transactions each chain on the event committed before theirs. On
    PostgreSQL, four threads write at once. SQLite's in-memory test database cannot hold parallel
    transactions; there, what orders writers is that every transaction takes the write lock when
    it begins (IMMEDIATE), which is what this asserts instead."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    start, errors = threading.Barrier(4), []

    def write() -> None:
        try:
            start.wait()
            for _ in range(10):
                with transaction.atomic():
                    event_record(actor=None, action="test.parallel", target=person)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = _verify()
    assert (result.count, result.broken) == (40, None)
