"""How the follow forms name a thing: a short kind ("plan", "commitment", ...) and the thing's
public identifier (its slug or public id, never a database integer), and back.

A commitment's slug is unique within its plan, so it is named "<plan slug>/<commitment slug>".
A milestone has no page of its own: following its commitment tells of its news (followable's
PARENTS), so it is not offered."""

from collections.abc import Callable
from typing import Any

from django.db import models

from cocrea.notifications import followable

Finder = Callable[[str], dict[str, Any] | None]


def _slug(identifier: str) -> dict[str, Any] | None:
    return {"slug": identifier}


def _public_id(identifier: str) -> dict[str, Any] | None:
    return {"public_id": identifier}


def _commitment(identifier: str) -> dict[str, Any] | None:
    plan_slug, _sep, slug = identifier.partition("/")
    if not plan_slug or not slug:
        return None
    return {"plan__slug": plan_slug, "slug": slug}


# kind -> (model label, how the identifier finds it, what is read with it)
KINDS: dict[str, tuple[str, Finder, tuple[str, ...]]] = {
    "plan": ("plans.actionplan", _slug, ()),
    "commitment": ("plans.commitment", _commitment, ("plan",)),
    "institution": ("plans.institution", _slug, ()),
    "consultation": ("participation.consultation", _slug, ()),
    "proposal": ("participation.proposal", _public_id, ("consultation",)),
    "forum": ("forum.forum", _slug, ()),
    "meeting": ("forum.meeting", _public_id, ("forum",)),
    "draft": ("drafting.draft", _public_id, ("consultation",)),
}
KIND_OF_LABEL = {label: kind for kind, (label, _finder, _related) in KINDS.items()}
MAX_IDENTIFIER = 200


def find(kind: str, identifier: str) -> models.Model | None:
    """The thing a form names, or None (an unknown kind, a malformed or unknown identifier)."""
    spec = KINDS.get(kind)
    if spec is None or not identifier or len(identifier) > MAX_IDENTIFIER:
        return None
    label, finder, related = spec
    lookup = finder(identifier)
    if lookup is None:
        return None
    manager = followable.model_of(label)._default_manager
    found: models.Model | None = manager.select_related(*related).filter(**lookup).first()
    return found


def name(obj: models.Model) -> tuple[str, str] | None:
    """The kind and public identifier of a thing, for a form; None if it cannot be followed."""
    kind = KIND_OF_LABEL.get(obj._meta.label_lower)
    if kind is None:
        return None
    item: Any = obj
    if kind == "commitment":
        return kind, f"{item.plan.slug}/{item.slug}"
    if kind in ("proposal", "meeting", "draft"):
        return kind, str(item.public_id)
    return kind, str(item.slug)
