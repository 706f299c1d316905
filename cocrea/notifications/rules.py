"""Who may follow what: a signed-in person, a thing that can be followed and that they can see.
What anyone can see is what the public pages show: a published consultation, a visible proposal
of a published consultation, a draft of a published consultation (drafting's `draft_get`), and
every plan, commitment, institution, forum and meeting (their pages have no hidden state)."""

from typing import Any

import rules

from cocrea.notifications import followable
from cocrea.participation.rules import is_published_consultation, is_visible


@rules.predicate
def can_follow(user: Any, target: Any) -> bool:
    if user is None or not user.is_authenticated or target is None:
        return False
    label, _pk = followable.label_of(target)
    if label not in followable.FOLLOWABLE:
        return False
    if label in ("participation.consultation", "participation.proposal"):
        if not is_published_consultation(user, target):
            return False
        return label == "participation.consultation" or bool(is_visible(user, target))
    if label == "drafting.draft":
        return bool(is_published_consultation(user, target.consultation))
    return True


rules.add_perm("notifications.follow", can_follow)
