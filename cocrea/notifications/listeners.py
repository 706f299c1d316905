"""What notifications does when the domain announces (participation.events): the author of a
proposal or a comment follows the proposal, when they asked to (the forms' "Follow this
proposal", checked by default). Connected in apps.ready."""

from typing import Any

from django.core.exceptions import PermissionDenied

from cocrea.notifications import services


def follow_what_they_wrote_on(*, proposal: Any, actor: Any, follow: bool, **kwargs: Any) -> None:
    if not follow:
        return
    try:
        services.follow_add(actor=actor, target=proposal)
    except PermissionDenied:  # hidden at once, or not theirs to see: nothing to follow
        return
