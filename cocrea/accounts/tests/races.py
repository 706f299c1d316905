"""A race, made to happen: right before the code under test saves a row, another request
writes the row that conflicts with it (issue #20). No mock: a `pre_save` receiver (Django's
signal) writes the conflicting row.

On PostgreSQL it is written by another connection that commits, as a parallel request would:
the save then meets it in the unique index, and it is still there afterwards. SQLite's
transactions take the write lock when they begin (IMMEDIATE), so a parallel writer waits for
ours; there the row is written on the same connection, inside the code's own transaction, and
goes when that transaction rolls back. Either way the save raises IntegrityError, which the code
must turn into a form error or an idempotent answer. Tests that use this are transactional (the
other connection must see committed rows)."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, connections
from django.db.models import Model
from django.db.models.signals import pre_save


@contextmanager
def conflict_before_save(
    model: type[Model],
    write: Callable[[Any], None],
    when: Callable[[Any], bool] = lambda instance: instance._state.adding,
) -> Iterator[list]:
    """While open, the first save of a `model` row for which `when(instance)` holds (by default:
    a new row) first runs `write(instance)`, which should write the conflicting row without
    signals (`bulk_create`, `update`). Yields the instances it fired for."""
    fired: list = []

    def receiver(sender: type[Model], instance: Any, **kwargs: Any) -> None:
        if fired or not when(instance):
            return
        fired.append(instance)
        if connection.vendor != "postgresql":
            write(instance)
            return
        errors: list[BaseException] = []

        def other_request() -> None:
            try:
                write(instance)
            except BaseException as error:  # reported in the test's thread
                errors.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=other_request)
        thread.start()
        thread.join(timeout=30)
        if errors:
            raise errors[0]

    pre_save.connect(receiver, sender=model, weak=False)
    try:
        yield fired
    finally:
        pre_save.disconnect(receiver, sender=model)
