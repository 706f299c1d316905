"""The hash chain of the audit log, as pure functions: the one implementation used when an event
is recorded, by `manage.py verify_audit_log`, by the public download and by the tests. The
algorithm is public (docs/audit-log.md; cocrea/static/audit/verify_log.py is a standalone copy
for anyone to run) and must never change: every log already downloaded depends on it.

    payload      = canonical JSON of PAYLOAD_FIELDS (sorted keys, no spaces, UTF-8)
    payload_hash = sha256(payload)
    hash         = sha256(prev_hash + payload_hash), as hex text; the first prev_hash is GENESIS
"""

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

# The event's id is part of its payload, so moving a row to another place breaks the chain.
PAYLOAD_FIELDS = (
    "id",
    "created_at",
    "actor_name",
    "actor_institution",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "context_type",
    "context_id",
    "public",
    "changes",
)


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds, the form hashed: 2026-03-01T14:05:09.000123+00:00."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed part of an event, from its field values (`created_at` a datetime)."""
    payload = {name: values[name] for name in PAYLOAD_FIELDS}
    payload["created_at"] = timestamp(values["created_at"])
    return payload


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def payload_hash(payload: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def link_hash(prev_hash: str, payload_hash: str) -> str:
    return hashlib.sha256((prev_hash + payload_hash).encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """One event as a verifier sees it. `payload` is None when it is not disclosed (private events
    in the public download): then only the link is checked."""

    id: int
    payload: Mapping[str, Any] | None
    payload_hash: str
    prev_hash: str
    hash: str


REASONS = {
    "content": "its content does not match its payload hash (the row was changed)",
    "link": (
        "its previous hash is not the hash of the event before it (an event before it was "
        "deleted, moved or changed)"
    ),
    "hash": "its hash does not follow from its previous hash and payload hash (a hash was changed)",
}


@dataclass(frozen=True)
class Break:
    """The first event that does not fit, and why (a key of REASONS)."""

    id: int
    reason: str

    def __str__(self) -> str:
        return f"event {self.id} is the first that does not fit: {REASONS[self.reason]}"


@dataclass(frozen=True)
class Verification:
    count: int  # events checked, up to and including the first break
    head: str  # the hash of the last event checked
    broken: Break | None


def verify(links: Iterable[Link]) -> Verification:
    """Walk the events in id order and stop at the first that does not fit."""
    count, head = 0, GENESIS
    for link in links:
        count += 1
        if link.payload is not None and payload_hash(link.payload) != link.payload_hash:
            return Verification(count, head, Break(link.id, "content"))
        if link.prev_hash != head:
            return Verification(count, head, Break(link.id, "link"))
        if link_hash(link.prev_hash, link.payload_hash) != link.hash:
            return Verification(count, head, Break(link.id, "hash"))
        head = link.hash
    return Verification(count, head, None)


def links_from_rows(rows: Iterable[Mapping[str, Any]]) -> Iterator[Link]:
    """Links from database rows (`AuditEvent` values, `created_at` a datetime)."""
    for row in rows:
        yield Link(
            id=row["id"],
            payload=event_payload(row),
            payload_hash=row["payload_hash"],
            prev_hash=row["prev_hash"],
            hash=row["hash"],
        )


def links_from_lines(lines: Iterable[Mapping[str, Any]]) -> Iterator[Link]:
    """Links from the public download, one decoded JSON object per line. Private events and
    public ones with fields withheld (`withheld`) disclose no payload to recompute."""
    for line in lines:
        disclosed = line.get("public") is True and not line.get("withheld")
        yield Link(
            id=line["id"],
            payload={name: line[name] for name in PAYLOAD_FIELDS} if disclosed else None,
            payload_hash=line["payload_hash"],
            prev_hash=line["prev_hash"],
            hash=line["hash"],
        )
