"""What apps above plans add to plans' pages through settings, as plans expects it (plans imports
none of them: they import this).

A commitment's page (COCREA_COMMITMENT_SECTIONS) takes from each app either markup for below
its milestones, or a `CommitmentPart` that also says something at the top of the page, beside
the commitment's status and progress, and something in each milestone's row. A member's home
page, the site's home among them (COCREA_HOME_SECTIONS), takes markup for its top, under the
sentence that says what the site is: what a visitor can do now in that member."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from cocrea.plans.models import Commitment, Member

EMPTY = mark_safe("")


@dataclass(frozen=True)
class Note:
    """A short remark in a milestone's row: its text (translated), where it leads (an address
    or an anchor of the page; empty for none) and its kind, which names its style."""

    text: str
    href: str = ""
    kind: str = ""


@dataclass(frozen=True)
class CommitmentPart:
    """`summary`: shown at the top of the page, under the commitment's figures; `body`: after
    the milestones; `milestone_notes`: by milestone id, remarks shown in that milestone's row."""

    body: SafeString = EMPTY
    summary: SafeString = EMPTY
    milestone_notes: Mapping[int, list[Note]] = field(default_factory=dict)


def commitment_parts(request: HttpRequest, commitment: Commitment) -> list[CommitmentPart]:
    """Every app's part of the commitment's page, in the setting's order."""
    parts = []
    for path in settings.COCREA_COMMITMENT_SECTIONS:
        made = import_string(path)(request, commitment)
        parts.append(made if isinstance(made, CommitmentPart) else CommitmentPart(body=made))
    return parts


def home_sections(request: HttpRequest, member: Member | None) -> list[SafeString]:
    """Every app's part of a member's home page's top (COCREA_HOME_SECTIONS), in the setting's
    order: each maker takes the request and the member (the site's home: the default one)."""
    makers: list[Callable[[HttpRequest, Member | None], SafeString]] = [
        import_string(path) for path in getattr(settings, "COCREA_HOME_SECTIONS", [])
    ]
    return [maker(request, member) for maker in makers]
