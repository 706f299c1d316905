"""What can be followed, what each public event concerns, and where its notification leads.

Things are named as the audit log names them: a model's label and a primary key as text. An
event concerns its target and everything the target belongs to (`PARENTS`: a comment belongs to
its proposal, which belongs to its consultation, which belongs to its plan), so following a plan
tells of what happens in it. Only the actions in `ACTIONS` are told, and only if the event is
public and what it concerns is still visible (`VISIBLE`: a hidden comment or proposal is not)."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models

from cocrea.notifications.models import Kind

# The public events told, by action.
ACTIONS: dict[str, str] = {
    "progressreport.publish": Kind.REPORT,
    "assessment.publish": Kind.ASSESSMENT,
    "response.save": Kind.ANSWER,
    "comment.create": Kind.COMMENT,
    "consultation.publish": Kind.CONSULTATION,
    "meeting.create": Kind.MEETING,
    "meeting.minutes_publish": Kind.MINUTES,
    "draftversion.create": Kind.DRAFT,
    "irmreview.create": Kind.IRM,
    "irmreview.update": Kind.IRM,
}

# What each kind of thing belongs to: (the parent's label, the foreign key's attname).
PARENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "participation.comment": (("participation.proposal", "proposal_id"),),
    "participation.response": (("participation.proposal", "proposal_id"),),
    "participation.proposal": (("participation.consultation", "consultation_id"),),
    "participation.consultation": (("plans.actionplan", "plan_id"),),
    "tracking.progressreport": (("plans.milestone", "milestone_id"),),
    "tracking.assessment": (
        ("plans.commitment", "commitment_id"),
        ("plans.milestone", "milestone_id"),
    ),
    "tracking.irmreview": (("plans.commitment", "commitment_id"),),
    "plans.milestone": (("plans.commitment", "commitment_id"),),
    "plans.commitment": (
        ("plans.actionplan", "plan_id"),
        ("plans.institution", "lead_institution_id"),
    ),
    "forum.meeting": (("forum.forum", "forum_id"), ("plans.actionplan", "plan_id")),
    "drafting.draftversion": (("drafting.draft", "draft_id"),),
    "drafting.draft": (("participation.consultation", "consultation_id"),),
}

# What can be followed, in the order a notification prefers to lead to it (the nearest page):
# its label, and what its page's address needs read with it.
FOLLOWABLE: dict[str, tuple[str, ...]] = {
    "participation.proposal": (),
    "drafting.draft": (),
    "forum.meeting": ("forum",),
    "plans.commitment": ("plan",),
    "participation.consultation": (),
    "plans.actionplan": (),
    "plans.institution": (),
    "forum.forum": (),
}

# Only what is visible is told of (read when the news is made).
VISIBLE: dict[str, dict[str, Any]] = {
    # A consultation (and so its proposals, comments and drafts) until it is published.
    "participation.consultation": {"published_at__isnull": False},
    "participation.comment": {"hidden_at__isnull": True},
    "participation.proposal": {"hidden_at__isnull": True},
}

Thing = tuple[str, str]  # (label, primary key as text)


def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)


def lineage(things: Iterable[Thing]) -> dict[Thing, list[Thing] | None]:
    """Each thing with itself and everything it belongs to, nearest first, read with one query
    per kind of thing and level; None for a thing that is not visible (or no longer exists), or
    that belongs to one that is not."""
    found: dict[Thing, list[Thing] | None] = {thing: [thing] for thing in things}
    parents: dict[Thing, list[Thing] | None] = {}
    level = set(found)
    while level:
        by_label: dict[str, set[str]] = defaultdict(set)
        for label, pk in level:
            if (label, pk) not in parents:
                by_label[label].add(pk)
        following: set[Thing] = set()
        for label, pks in by_label.items():
            links = PARENTS.get(label, ())
            rows = (
                model_of(label)
                ._default_manager.filter(pk__in=pks, **VISIBLE.get(label, {}))
                .values_list("pk", *[attname for _parent, attname in links])
            )
            seen = set()
            for pk, *keys in rows:
                seen.add(str(pk))
                above = [
                    (parent, str(key))
                    for (parent, _attname), key in zip(links, keys, strict=True)
                    if key is not None
                ]
                parents[(label, str(pk))] = above
                following.update(above)
            for pk in pks - seen:
                parents[(label, pk)] = None
        level = {thing for thing in following if thing not in parents}
    for thing in found:
        chain: list[Thing] = []
        queue = [thing]
        while queue:
            current = queue.pop(0)
            ups = parents.get(current)
            if ups is None:
                chain = []
                break
            if current not in chain:
                chain.append(current)
            queue += ups
        found[thing] = chain or None
    return found


def objects(things: Iterable[Thing]) -> dict[Thing, models.Model]:
    """Each followable thing that exists and is visible, with what its page's address needs,
    one query per kind."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for label, pk in things:
        if label in FOLLOWABLE:
            by_label[label].add(pk)
    found: dict[Thing, models.Model] = {}
    for label, pks in by_label.items():
        rows = model_of(label)._default_manager.filter(pk__in=pks, **VISIBLE.get(label, {}))
        for obj in rows.select_related(*FOLLOWABLE[label]):
            found[(label, str(obj.pk))] = obj
    return found


def pages(things: Iterable[Thing]) -> dict[Thing, tuple[str, str]]:
    """The title and address of each followable thing, one query per kind."""
    return {
        thing: (str(obj), obj.get_absolute_url())  # type: ignore[attr-defined]
        for thing, obj in objects(things).items()
    }


def label_of(obj: models.Model) -> Thing:
    return obj._meta.label_lower, str(obj.pk)
