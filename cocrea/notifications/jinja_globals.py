"""Jinja2 helpers of notifications (listed in the COCREA_JINJA_GLOBALS setting): the follow
button of a followable page, and the header's unread count.

Pages of other apps name these helpers, never import notifications (the domain apps sit below
it). Each costs at most one indexed query, and none for a visitor who is not signed in, so a
page's query count stays fixed; pages with the button are never stored by the page cache for a
signed-in person (the cache serves only requests without a session)."""

from typing import Any

from django.db import DatabaseError, models
from django.template.loader import render_to_string
from jinja2 import pass_context
from markupsafe import Markup

from cocrea.notifications import selectors, targets
from cocrea.plans.rules import allowed


@pass_context
def follow_button(context: Any, target: models.Model) -> Markup:
    """A form to follow (or stop following) the thing; a link to log in for a visitor."""
    request = context.get("request")
    named = targets.name(target)
    if request is None or named is None:
        return Markup("")
    user = request.user
    following = selectors.is_following(user, target)
    if (
        user.is_authenticated
        and not following
        and not allowed("notifications.follow", user, target)
    ):
        return Markup("")
    return Markup(  # noqa: S704 - rendered by the autoescaping template engine
        render_to_string(
            "notifications/_follow.html",
            {"kind": named[0], "target": named[1], "following": following},
            request=request,
        )
    )


def unread_notifications(request: Any) -> int | None:
    """The signed-in person's unread count (one indexed query); None for a visitor, or when the
    database cannot answer (an error page is drawn all the same)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    try:
        return selectors.unread_count(user)
    except DatabaseError:
        return None


JINJA_GLOBALS = {
    "follow_button": follow_button,
    "unread_notifications": unread_notifications,
}
