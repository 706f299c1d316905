"""The plain-SQL reads behind a plan's commitment list (ADR 4) give what the ORM would."""

from datetime import date

from django.utils import translation

from cocrea.plans import progress
from cocrea.plans.models import PolicyArea
from cocrea.plans.selectors import plan_commitments, plan_progress_rows
from cocrea.plans.tests.factories import InstitutionFactory, MilestoneFactory
from conftest import build_plan


def test_a_plans_commitments_carry_their_own_areas_supporters_and_progress(db):
    plan = build_plan(commitments=2)
    build_plan(commitments=2)  # another plan's rows must not leak in
    first = plan.commitments.get(number=1)
    first.supporting_institutions.add(InstitutionFactory(name="Acción Ciudadana", acronym="AC"))
    first.policy_areas.add(PolicyArea.objects.filter(parent__isnull=False).order_by("-position")[0])
    MilestoneFactory(commitment=first, number=9, weight=3, completion="withdrawn", end_date=None)

    for language in ("es", "en"):
        with translation.override(language):
            rows = plan_commitments(plan=plan, supporters=True)
        assert [c.number for c in rows] == [1, 2]
        for row in rows:
            expected = row.policy_areas.order_by("position")
            with translation.override(language):
                names = [a.name for a in expected]
            assert [(a.slug, a.name) for a in row.areas] == [
                (a.slug, n) for a, n in zip(expected, names, strict=True)
            ]
            milestones = list(row.milestones.all())
            assert row.progress == progress.commitment_progress(milestones)
            assert row.completion == progress.commitment_completion(milestones)
    first_row = rows[0]
    assert [s.label for s in first_row.supporters] == [
        "Acción Ciudadana (AC)",
        "Red Ciudadana de Prueba",
    ]
    assert [s.label for s in rows[1].supporters] == ["Red Ciudadana de Prueba"]


def test_plain_milestone_rows_hold_dates_and_numbers_on_every_database(db):
    plan = build_plan(commitments=1, milestones_each=2)
    rows = sorted(plan_progress_rows(plan.pk), key=lambda r: r.end_date)
    assert [(r.end_date, r.weight, r.completion) for r in rows] == [
        (date(2024, 1, 1), 1, "limited"),
        (date(2099, 1, 1), 1, "complete"),
    ]
    assert all(type(r.end_date) is date for r in rows)
