"""`public_updates` against an independent count: the events read one by one and counted in
Python, for contexts given as a list of ids and as a queryset (a subquery)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cocrea.audit.models import AuditEvent
from cocrea.audit.selectors import public_updates
from cocrea.audit.tests.conftest import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    """Three people, with public and private events spread over three days; the tests ask
    for the first two."""
    made = [
        django_user_model.objects.create_user(f"p{i}", email=f"p{i}@correo-privado.example")
        for i in range(3)
    ]
    now = timezone.now()
    for day, (who, public) in enumerate(
        [(0, True), (1, False), (0, False), (1, True), (2, True), (1, True), (0, True)]
    ):
        event = record(None, "profile.update", made[who], public=public)
        AuditEvent.objects.filter(pk=event.pk).update(created_at=now - timedelta(days=day % 3))
    return made


def _by_hand(ids: set[str], windows):
    """Public events of these users, counted per window, and the time of the newest by id."""
    events = [
        e
        for e in AuditEvent.objects.order_by("id")
        if e.public and e.context_type == "accounts.user" and e.context_id in ids
    ]
    per_window = [sum(1 for e in events if start <= e.created_at < end) for start, end in windows]
    return per_window, events[-1].created_at if events else None


def test_public_updates_count_each_window_as_the_events_read_one_by_one(people, django_user_model):
    now = timezone.now()
    windows = [
        (now - timedelta(days=3), now - timedelta(days=1, hours=12)),
        (now - timedelta(days=1, hours=12), now - timedelta(hours=12)),
        (now - timedelta(hours=12), now + timedelta(hours=1)),
    ]
    first, second = people[0], people[1]
    expected = _by_hand({str(first.pk), str(second.pk)}, windows)
    assert expected[0] == [1, 0, 3]  # windows that differ, so a swap of two would show
    for contexts in (
        {"accounts.user": [str(first.pk), str(second.pk)]},
        {"accounts.user": django_user_model.objects.filter(pk__in=[first.pk, second.pk])},
    ):
        updates = public_updates(contexts=contexts, windows=windows)
        assert (updates.per_window, updates.latest) == expected


def test_public_updates_of_nothing_count_nothing(people, django_assert_num_queries):
    windows = [(timezone.now() - timedelta(days=9), timezone.now())]
    with django_assert_num_queries(0):
        updates = public_updates(contexts={"accounts.user": []}, windows=windows)
    assert (updates.per_window, updates.latest) == ([0], None)
