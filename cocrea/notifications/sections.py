"""What notifications adds to a person's space (COCREA_MY_SPACE_SECTIONS): what they follow,
each with a button to stop, and the way to their notifications."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cocrea.notifications import selectors, targets


def my_space_section(request: HttpRequest) -> SafeString:
    follows = selectors.follows_of(request.user)
    shown = []
    for row in follows:
        obj = row.get("object")
        named = targets.name(obj) if obj is not None else None
        if named is not None:
            shown.append({**row, "kind": named[0], "target": named[1]})
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string("notifications/_my_space.html", {"follows": shown}, request=request)
    )
