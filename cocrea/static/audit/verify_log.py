#!/usr/bin/env python3
"""Verify a downloaded Cocrea audit log (audit-log.jsonl) on your own computer.

Needs only Python 3.8 or later, nothing else:

    python3 verify_log.py audit-log.jsonl
    python3 verify_log.py audit-log.jsonl --head <the head shown on the site>

It prints "OK" with the number of events and the head of the chain, or the first line that does
not fit, and then exits with status 1. The algorithm, for each line in order:

    payload      = JSON of the fields in PAYLOAD_FIELDS, keys sorted, no spaces, UTF-8
    payload_hash = sha256(payload) in hexadecimal (recomputed only for public events that show
                   every field; private events publish only their hashes)
    prev_hash    = the hash of the line before; 64 zeros for the first line
    hash         = sha256(prev_hash + payload_hash) in hexadecimal

Changing, removing or reordering any line breaks the chain at that line or the next one; a log
cut short ends on an older head than the one the site shows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from typing import Any

GENESIS = "0" * 64
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


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def payload_hash(event: dict[str, Any]) -> str:
    payload = {name: event[name] for name in PAYLOAD_FIELDS}
    return sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def check(event: dict[str, Any], prev_hash: str) -> str:
    """What is wrong with this event, or "" when it fits."""
    disclosed = event.get("public") is True and not event.get("withheld")
    if disclosed and payload_hash(event) != event["payload_hash"]:
        return "its content does not match its payload hash (the event was changed)"
    if event["prev_hash"] != prev_hash:
        return (
            "its previous hash is not the hash of the line before it "
            "(a line before it was removed, moved or changed)"
        )
    if sha256(event["prev_hash"] + event["payload_hash"]) != event["hash"]:
        return "its hash does not follow from its previous hash and payload hash"
    return ""


def verify(lines: Iterable[str], head: str = "") -> int:
    prev_hash, count = GENESIS, 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
            problem = check(event, prev_hash)
        except (ValueError, KeyError, TypeError) as error:
            print(f"Line {number} is not an audit event: {error!r}")
            return 1
        if problem:
            print(f"Line {number} (event {event.get('id')}) does not fit: {problem}")
            return 1
        prev_hash, count = event["hash"], count + 1
    if head and head != prev_hash:
        print(f"The chain is whole but ends on {prev_hash}, not on the head {head}.")
        return 1
    print(f"OK: {count} events, head {prev_hash}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Verify a downloaded Cocrea audit log.")
    parser.add_argument("log", help="the downloaded .jsonl file, or - for standard input")
    parser.add_argument("--head", default="", help="the head of the chain shown on the site")
    arguments = parser.parse_args()
    if arguments.log == "-":
        return verify(sys.stdin, arguments.head)
    with open(arguments.log, encoding="utf-8") as lines:
        return verify(lines, arguments.head)


if __name__ == "__main__":
    sys.exit(main())
