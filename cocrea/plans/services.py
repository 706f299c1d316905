"""Every write to the plans domain. Each service validates with `full_clean()`, saves inside a
transaction and records the audit event in that same transaction."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models, transaction

from cocrea.audit.services import event_record, model_changes
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone, PolicyArea

M = TypeVar("M", bound=models.Model)

_NOT_AUDITED = {"id", "created_at", "updated_at"}


def _field_values(instance: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in _NOT_AUDITED
    }


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
            )
    return instance


def member_save(*, actor: Any, member: Member) -> Member:
    return _save_audited(actor=actor, instance=member)


def institution_save(*, actor: Any, institution: Institution) -> Institution:
    return _save_audited(actor=actor, instance=institution)


def action_plan_save(*, actor: Any, plan: ActionPlan) -> ActionPlan:
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
    return _save_audited(actor=actor, instance=commitment, m2m=m2m)


def milestone_save(*, actor: Any, milestone: Milestone) -> Milestone:
    return _save_audited(actor=actor, instance=milestone)


def milestone_delete(*, actor: Any, milestone: Milestone) -> None:
    with transaction.atomic():
        event_record(
            actor=actor,
            action="milestone.delete",
            target=milestone,
            changes=model_changes(_field_values(milestone), {}),
        )
        milestone.delete()
