"""Who may follow what: a signed-in person, a thing that can be followed and that they can see
(a published consultation, a visible proposal)."""

from typing import Any

import rules

from cocrea.notifications import followable


@rules.predicate
def can_follow(user: Any, target: Any) -> bool:
    if user is None or not user.is_authenticated or target is None:
        return False
    label, _pk = followable.label_of(target)
    if label not in followable.FOLLOWABLE:
        return False
    if label == "participation.consultation":
        return bool(getattr(target, "published_at", None))
    if label == "participation.proposal":
        return target.hidden_at is None
    return True


rules.add_perm("notifications.follow", can_follow)
