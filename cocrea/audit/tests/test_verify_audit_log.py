"""`manage.py verify_audit_log` recomputes the chain; changing, deleting or reordering a row of
the table directly in the database (the ORM's bulk `update()` and `delete()`, which bypass
`event_record` as a hand-written statement would) makes it fail and name the event (SQLite and
PostgreSQL)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import QuerySet

from cocrea.audit import chain
from cocrea.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def _fails(event_id: int, reason: str) -> str:
    with pytest.raises(CommandError) as error:
        _verify()
    message = str(error.value)
    assert f"event {event_id} is the first that does not fit" in message, message
    assert chain.REASONS[reason] in message
    assert error.value.returncode == 1
    return message


def _rows(*ids: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(pk__in=ids)


def _ids() -> list[int]:
    return list(AuditEvent.objects.order_by("id").values_list("id", flat=True))


def test_a_clean_log_verifies_and_names_its_head(log):
    head = AuditEvent.objects.last()
    assert _verify().strip() == f"Audit log verified: 6 events, head {head.hash}"


def test_an_empty_log_verifies(db):
    assert _verify().strip() == f"Audit log verified: 0 events, head {'0' * 64}"


def test_changing_the_changes_of_a_row_names_that_event(log):
    target = _ids()[2]
    _rows(target).update(changes={"title": ["Datos abiertos", "Otro título"]})
    assert "content" in _fails(target, "content")


def test_changing_who_made_a_change_names_that_event(log):
    target = _ids()[1]
    _rows(target).update(actor_name="Otra persona")
    _fails(target, "content")


def test_making_a_public_event_private_names_that_event(log):
    target = _ids()[0]
    _rows(target).update(public=False)
    _fails(target, "content")


def test_deleting_a_row_names_the_event_after_it(log):
    ids = _ids()
    _rows(ids[3]).delete()
    _fails(ids[4], "link")


def test_deleting_the_first_row_names_the_next_one(log):
    ids = _ids()
    _rows(ids[0]).delete()
    _fails(ids[1], "link")


def test_swapping_two_rows_names_the_first_of_them(log):
    """Reordering: the rows trade places (their ids), every other column moves with them."""
    ids = _ids()
    first, second = ids[1], ids[4]
    _rows(first).update(id=-1)
    _rows(second).update(id=first)
    _rows(-1).update(id=second)
    _fails(first, "content")


def test_rehashing_a_changed_row_names_the_event_after_it(log):
    """Whoever changes a row and recomputes its own hashes breaks the next link instead: hiding
    a change means recomputing every later event, and the head the site shows then changes."""
    ids = _ids()
    row = AuditEvent.objects.values().get(pk=ids[2])
    row["actor_name"] = "Otra persona"
    payload_hash = chain.payload_hash(chain.event_payload(row))
    _rows(ids[2]).update(
        actor_name="Otra persona",
        payload_hash=payload_hash,
        hash=chain.link_hash(row["prev_hash"], payload_hash),
    )
    _fails(ids[3], "link")


def test_changing_a_hash_names_that_event(log):
    target = _ids()[5]
    _rows(target).update(hash="a" * 64)
    _fails(target, "hash")


def test_the_command_exits_with_status_1_when_the_log_is_broken(log):
    _rows(_ids()[2]).delete()
    with pytest.raises(SystemExit) as exit_:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "verify_audit_log"]).execute()
    assert exit_.value.code == 1


def test_deleting_the_last_rows_is_found_from_the_recorded_head(log):
    ids = _ids()
    AuditEvent.objects.filter(pk__gte=ids[-2]).delete()
    with pytest.raises(CommandError) as error:
        _verify()
    message = str(error.value)
    assert f"it ends at event {ids[-3]}" in message
    assert f"the recorded head is event {ids[-1]}" in message
    assert error.value.returncode == 1


def test_the_recorded_head_follows_every_event(log):
    from cocrea.audit.models import ChainHead

    last = AuditEvent.objects.order_by("-id").first()
    assert ChainHead.objects.values_list("event_id", "hash").get() == (last.id, last.hash)
