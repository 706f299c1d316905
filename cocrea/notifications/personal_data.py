"""A person's follows and notifications in their data download (COCREA_PERSONAL_DATA_SECTIONS),
and forgotten with their account (COCREA_ACCOUNT_DELETION_HOOKS)."""

from typing import Any

from cocrea.notifications.models import Digest, Follow, Notification, Preference


def personal_data(user: Any) -> dict[str, object]:
    return {
        "follows": list(
            Follow.objects.filter(user=user)
            .order_by("created_at")
            .values("target_type", "target_id", "created_at")
        ),
        "notifications": list(
            Notification.objects.filter(recipient=user)
            .order_by("created_at", "id")
            .values("kind", "title", "url", "created_at", "read_at", "emailed_at")
        ),
    }


def forget(user: Any) -> None:
    """Delete what the person follows, what they were told, and how they wanted it by email:
    all theirs alone (the audit log keeps that they followed, without saying what else, as it
    does for supports)."""
    Notification.objects.filter(recipient=user).delete()
    Follow.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
    Digest.objects.filter(user=user).delete()
