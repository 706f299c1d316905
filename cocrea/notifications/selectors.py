"""Reads of notifications: the header's unread count (one indexed query), a person's
notifications and follows."""

from typing import Any

from django.db.models import QuerySet

from cocrea.notifications import followable
from cocrea.notifications.models import Follow, Notification


def unread_count(user: Any) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).only(
        "id", "kind", "key", "title", "url", "facts", "created_at", "read_at"
    )


def is_following(user: Any, target: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    label, pk = followable.label_of(target)
    return Follow.objects.filter(user=user, target_type=label, target_id=pk).exists()


def follows_of(user: Any) -> list[dict[str, Any]]:
    """What the person follows, with each thing's title and address (one query per kind)."""
    rows = list(
        Follow.objects.filter(user=user)
        .order_by("-created_at")
        .values_list("target_type", "target_id", "created_at")
    )
    found = followable.objects((label, pk) for label, pk, _when in rows)
    return [
        {
            "type": label,
            "id": pk,
            "since": when,
            "title": str(found[(label, pk)]),
            "url": found[(label, pk)].get_absolute_url(),  # type: ignore[attr-defined]
            "object": found[(label, pk)],
        }
        for label, pk, when in rows
        if (label, pk) in found
    ]
