"""Every write to the plans domain. Each service validates with `full_clean()`, saves inside a
transaction and records the audit event in that same transaction."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.audit.services import Entry, event_record, model_changes
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Institution,
    Member,
    Membership,
    Milestone,
    PolicyArea,
)
from cocrea.plans.rules import allowed, member_of

M = TypeVar("M", bound=models.Model)

# number_sort follows number (a commitment's change shows its number, not the key).
_NOT_AUDITED = {"id", "created_at", "updated_at", "number_sort"}
# What the public repository shows, so its changes are public in the audit log too; memberships
# (people's requests and their decisions) stay private.
_PUBLIC = (Member, Institution, ActionPlan, Commitment, Milestone)


def _audit_context(instance: models.Model) -> models.Model:
    """The object whose public history shows the event: a milestone's commitment."""
    return instance.commitment if isinstance(instance, Milestone) else instance


def _field_values(instance: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in _NOT_AUDITED
    }


def _require_manager(actor: Any, instance: models.Model | None = None) -> None:
    """A person changes the repository only by rule (`plans.manage_repository`: the point of
    contact of the thing's member or an administrator, with two factors; a new member only an
    administrator); `None` is the system's own work (the demo, commands run on the server).
    A thing moved to another member needs the rule in both."""
    if actor is None:
        return
    if instance is None or (isinstance(instance, Member) and instance.pk is None):
        if not allowed("plans.manage_members", actor):
            raise PermissionDenied
        return
    if not allowed("plans.manage_repository", actor, instance):
        raise PermissionDenied
    if instance.pk is not None:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        moved = stored is not None and member_of(stored) != member_of(instance)
        if moved and not allowed("plans.manage_repository", actor, stored):
            raise PermissionDenied


def _save_audited(
    *,
    actor: Any,
    instance: M,
    m2m: dict[str, Iterable[models.Model]] | None = None,
) -> M:
    """Validate, save, set many-to-many fields and record one event with every change."""
    model = type(instance)
    label = model._meta.model_name
    with transaction.atomic():
        before: dict[str, Any] | None = None
        if instance.pk is not None:
            old = model._default_manager.filter(pk=instance.pk).first()
            if old is not None:
                before = _field_values(old)
                for name in m2m or {}:
                    before[name] = sorted(str(o) for o in getattr(old, name).all())
        instance.full_clean()
        instance.save()
        after = _field_values(instance)
        for name, objects in (m2m or {}).items():
            objects = list(objects)
            getattr(instance, name).set(objects)
            after[name] = sorted(str(o) for o in objects)
        changes = model_changes(before, after)
        if before is None or changes:
            event_record(
                actor=actor,
                action=f"{label}.{'create' if before is None else 'update'}",
                target=instance,
                changes=changes,
                public=isinstance(instance, _PUBLIC),
                context=_audit_context(instance),
            )
    return instance


# What of a member's own record reaches beyond it: which member the site's home shows, which
# national member a local one belongs to, its code in OGP's data, its level. Only an
# administrator changes these; the member's point of contact may change the rest.
_SITE_WIDE_MEMBER_FIELDS = ("is_default", "national_id", "code", "level")


def member_save(*, actor: Any, member: Member) -> Member:
    _require_manager(actor, member)
    stored = Member.objects.filter(pk=member.pk).first() if member.pk else None
    if (
        actor is not None
        and stored is not None
        and any(getattr(stored, f) != getattr(member, f) for f in _SITE_WIDE_MEMBER_FIELDS)
        and not allowed("plans.manage_members", actor)
    ):
        raise PermissionDenied
    return _save_audited(actor=actor, instance=member)


def institution_save(*, actor: Any, institution: Institution) -> Institution:
    _require_manager(actor, institution)
    return _save_audited(actor=actor, instance=institution)


def action_plan_save(*, actor: Any, plan: ActionPlan) -> ActionPlan:
    _require_manager(actor, plan)
    return _save_audited(actor=actor, instance=plan)


def commitment_save(
    *,
    actor: Any,
    commitment: Commitment,
    supporting_institutions: Iterable[Institution] | None = None,
    policy_areas: Iterable[PolicyArea] | None = None,
) -> Commitment:
    """Create or update a commitment; the many-to-many fields change only when given."""
    m2m: dict[str, Iterable[models.Model]] = {}
    if supporting_institutions is not None:
        m2m["supporting_institutions"] = supporting_institutions
    if policy_areas is not None:
        m2m["policy_areas"] = policy_areas
    _require_manager(actor, commitment)
    return _save_audited(actor=actor, instance=commitment, m2m=m2m)


def milestone_save(*, actor: Any, milestone: Milestone) -> Milestone:
    _require_manager(actor, milestone)
    return _save_audited(actor=actor, instance=milestone)


def milestone_delete(*, actor: Any, milestone: Milestone) -> None:
    _require_manager(actor, milestone)
    with transaction.atomic():
        event_record(
            actor=actor,
            action="milestone.delete",
            target=milestone,
            changes=model_changes(_field_values(milestone), {}),
            public=True,
            context=milestone.commitment,
        )
        milestone.delete()


def membership_request(
    *, actor: Any, institution: Institution, role: str, show_on_profile: bool = False
) -> Membership:
    """Ask to join an institution. Asking again after a refusal opens the same request anew.
    Two requests sent at once: the second meets the first's row in the unique constraint and
    gets the same answer as one sent later."""
    if not allowed("plans.request_membership", actor, institution):
        raise PermissionDenied
    already = _("You have already asked to join this institution.")
    try:
        with transaction.atomic():
            membership = Membership.objects.filter(user=actor, institution=institution).first()
            if membership is not None and membership.status != Membership.Status.REFUSED:
                raise ValidationError(already)
            membership = membership or Membership(user=actor, institution=institution)
            membership.role = role
            membership.status = Membership.Status.PENDING
            membership.show_on_profile = show_on_profile
            membership.decided_by = None
            membership.decided_at = None
            membership.decision_reason = ""
            return _save_audited(actor=actor, instance=membership)
    except IntegrityError:
        raise ValidationError(already) from None


def membership_decide(
    *, actor: Any, membership: Membership, approve: bool, reason: str = ""
) -> Membership:
    """Approve or refuse a pending request; a refusal says why. The decision is recorded."""
    if not allowed("plans.decide_membership", actor, membership):
        raise PermissionDenied
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the request is refused.")})
    membership.status = Membership.Status.APPROVED if approve else Membership.Status.REFUSED
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.decision_reason = reason
    return _save_audited(actor=actor, instance=membership)


@dataclass
class CommitmentWrite:
    """A commitment an import creates (no pk) or changes, with its many-to-many sets (None:
    left as they are)."""

    commitment: Commitment
    supporting_institutions: list[Institution] | None = None
    policy_areas: list[PolicyArea] | None = None


@dataclass
class RepositoryImport:
    """What a bulk import writes to the repository, in the order it is written. Its caller has
    validated every object as its model does (`full_clean` without the uniqueness checks, which
    need the database: the constraints hold them when it is written)."""

    members: list[Member] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)
    plans: list[ActionPlan] = field(default_factory=list)
    commitments: list[CommitmentWrite] = field(default_factory=list)


_BATCH = 500


def _chunks(values: list[Any], size: int = _BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def repository_import(*, actor: Any, batch: RepositoryImport, events: list[Entry]) -> None:
    """Write an import's new members, institutions, plans and commitments and its changes to
    existing commitments in bulk, with one public audit event per object created or changed
    (the same events `commitment_save` and the others record one by one). A changed
    commitment's event compares with the row as it is now, read in this transaction, so an edit
    made while the import was being checked is recorded truthfully; one that ends up with no
    change writes nothing.

    The events are appended to `events`: the caller records them with
    `audit.services.events_record`, last, in the same transaction (one chained write for the
    whole import, so the chain's lock, which every other write on the site waits for, is held
    only while it is written)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An import is written inside the transaction that records it.")
    touched = {id(m): m for m in batch.members}
    for member in [*(i.member for i in batch.institutions), *(p.member for p in batch.plans)]:
        touched.setdefault(id(member), member)
    for write in batch.commitments:
        touched.setdefault(id(write.commitment.plan.member), write.commitment.plan.member)
    for member in touched.values():  # each member the import writes to, by its own rule
        _require_manager(actor, member)
    entries: list[Entry] = []
    with transaction.atomic():
        Member.objects.bulk_create(batch.members, batch_size=_BATCH)
        Institution.objects.bulk_create(batch.institutions, batch_size=_BATCH)
        ActionPlan.objects.bulk_create(batch.plans, batch_size=_BATCH)
        created: list[models.Model] = [*batch.members, *batch.institutions, *batch.plans]
        entries += [_created(actor, instance, _field_values(instance)) for instance in created]
        new = [w for w in batch.commitments if w.commitment.pk is None]
        changed = [w for w in batch.commitments if w.commitment.pk is not None]
        Commitment.objects.bulk_create([w.commitment for w in new], batch_size=_BATCH)
        links = _Links()
        for write in new:
            after = _field_values(write.commitment)
            for name in ("supporting_institutions", "policy_areas"):
                chosen = getattr(write, name) or []
                links.add(name, write.commitment.pk, chosen)
                after[name] = sorted(str(o) for o in chosen)
            entries.append(_created(actor, write.commitment, after))
        entries += _commitments_update(actor, changed, links)
        links.write()
    events += entries


def _created(actor: Any, instance: models.Model, after: dict[str, Any]) -> Entry:
    return Entry(
        actor=actor,
        action=f"{instance._meta.model_name}.create",
        target=instance,
        changes=model_changes(None, after),
        public=isinstance(instance, _PUBLIC),
        context=_audit_context(instance),
    )


def _refresh_keys(instance: models.Model) -> None:
    """Point the foreign keys at objects this import has just created (they had no pk when they
    were assigned)."""
    for f in instance._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.is_cached(instance):
            related = f.get_cached_value(instance)
            if related is not None and getattr(instance, f.attname) != related.pk:
                setattr(instance, f.attname, related.pk)


class _Links:
    """The many-to-many rows to replace (changed commitments) and to add, written in bulk."""

    def __init__(self) -> None:
        self.add_rows: dict[str, list[models.Model]] = {}
        self.clear: dict[str, list[int]] = {}

    def add(self, name: str, commitment_id: int, objects: Iterable[models.Model]) -> None:
        through = getattr(Commitment, name).through
        target = "institution_id" if name == "supporting_institutions" else "policyarea_id"
        self.add_rows.setdefault(name, []).extend(
            through(commitment_id=commitment_id, **{target: o.pk}) for o in objects
        )

    def write(self) -> None:
        for name, ids in self.clear.items():
            through = getattr(Commitment, name).through
            for chunk in _chunks(ids):
                through.objects.filter(commitment_id__in=chunk).delete()
        for name, rows in self.add_rows.items():
            getattr(Commitment, name).through.objects.bulk_create(rows, batch_size=_BATCH)


def _commitments_update(actor: Any, writes: list[CommitmentWrite], links: _Links) -> list[Entry]:
    if not writes:
        return []
    ids = [w.commitment.pk for w in writes]
    stored: dict[int, Commitment] = {}
    for chunk in _chunks(ids):
        query = Commitment.objects.filter(pk__in=chunk)
        if connection.features.has_select_for_update:
            query = query.select_for_update()
        stored.update((c.pk, c) for c in query)
    current: dict[str, dict[int, list[models.Model]]] = {}
    for name, model in (
        ("supporting_institutions", Institution),
        ("policy_areas", PolicyArea),
    ):
        through = getattr(Commitment, name).through
        target = "institution" if model is Institution else "policyarea"
        sets: dict[int, list[models.Model]] = {pk: [] for pk in ids}
        for chunk in _chunks(ids):
            for row in through.objects.filter(commitment_id__in=chunk).select_related(target):
                sets[row.commitment_id].append(getattr(row, target))
        current[name] = sets
    entries, to_update, now = [], [], timezone.now()
    for write in writes:
        commitment = write.commitment
        old = stored.get(commitment.pk)
        if old is None:  # deleted meanwhile: the import cannot change it
            raise ValidationError(
                _("Commitment %(id)s was deleted while the file was being checked.")
                % {"id": commitment.ogp_id or commitment.pk}
            )
        _refresh_keys(commitment)
        before, after = _field_values(old), _field_values(commitment)
        for name in ("supporting_institutions", "policy_areas"):
            old_set = current[name][commitment.pk]
            before[name] = sorted(str(o) for o in old_set)
            chosen = getattr(write, name)
            if chosen is None:
                after[name] = before[name]
            elif {o.pk for o in chosen} != {o.pk for o in old_set}:
                links.clear.setdefault(name, []).append(commitment.pk)
                links.add(name, commitment.pk, chosen)
                after[name] = sorted(str(o) for o in chosen)
            else:
                after[name] = before[name]
        changes = model_changes(before, after)
        if not changes:
            continue
        commitment.updated_at = now
        to_update.append(commitment)
        entries.append(
            Entry(
                actor=actor,
                action="commitment.update",
                target=commitment,
                changes=changes,
                public=True,
                context=commitment,
            )
        )
    fields = [
        f.name for f in Commitment._meta.concrete_fields if f.attname not in {"id", "created_at"}
    ]
    Commitment.objects.bulk_update(to_update, fields, batch_size=_BATCH)
    return entries
