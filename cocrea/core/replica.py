"""Reads of public pages from a read replica, when one is configured (`DATABASE_REPLICA_URL`).

`public_page` views run their reads inside `replica_reads()` for visitors who are not signed
in: that is the mass of the traffic at a national consultation's peak, and what they read may
lag the primary by the replica's delay. Signed-in people read from the primary, so what they
just wrote is on the next page they see. Writes always go to the primary ("default"), and so do
the reads of everything else (forms, my space, the administration, the API's writes).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models

REPLICA = "replica"

_public_read: ContextVar[bool] = ContextVar("cocrea_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads go to the replica when one is configured."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class ReplicaRouter:
    """Django's database router: the replica for reads inside `replica_reads()`, the primary
    for everything else. Only the primary is migrated; the replica follows it by replication."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if settings.COCREA_REPLICA_READS and _public_read.get():
            return REPLICA
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        # Both aliases hold the same data: an object read from the replica may be related to
        # one read from the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
