"""Every write to the plans domain. Each service validates with `full_clean()`, saves inside a
transaction and records the audit event in that same transaction."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.audit.services import event_record, model_changes
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Institution,
    Member,
    Membership,
    Milestone,
    PolicyArea,
)
from cocrea.plans.rules import allowed

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


def _require_manager(actor: Any) -> None:
    """A person changes the repository only by rule (`plans.manage_repository`: the point of
    contact or an administrator, with two factors); `None` is the system's own work (the demo,
    commands run on the server)."""
    if actor is not None and not allowed("plans.manage_repository", actor):
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


def member_save(*, actor: Any, member: Member) -> Member:
    _require_manager(actor)
    return _save_audited(actor=actor, instance=member)


def institution_save(*, actor: Any, institution: Institution) -> Institution:
    _require_manager(actor)
    return _save_audited(actor=actor, instance=institution)


def action_plan_save(*, actor: Any, plan: ActionPlan) -> ActionPlan:
    _require_manager(actor)
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
    _require_manager(actor)
    return _save_audited(actor=actor, instance=commitment, m2m=m2m)


def milestone_save(*, actor: Any, milestone: Milestone) -> Milestone:
    _require_manager(actor)
    return _save_audited(actor=actor, instance=milestone)


def milestone_delete(*, actor: Any, milestone: Milestone) -> None:
    _require_manager(actor)
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
