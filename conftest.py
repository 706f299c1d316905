"""Fixtures shared by every test: a small plan built with factories."""

from datetime import date

import pytest

from cocrea.plans.models import Milestone, PolicyArea
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
)


def build_plan(commitments: int = 3, milestones_each: int = 3, **plan_fields: object):
    """A plan with `commitments` commitments, each with milestones, policy areas and a
    supporting institution, as the public pages show them."""
    plan = ActionPlanFactory(**plan_fields)
    areas = list(PolicyArea.objects.filter(parent__isnull=False).order_by("position")[:3])
    supporter = InstitutionFactory(name="Red Ciudadana de Prueba", acronym="", kind="civil_society")
    for i in range(commitments):
        commitment = CommitmentFactory(
            plan=plan,
            number=i + 1,
            slug=f"{plan.slug}-c{i + 1}",
            policy_areas=[areas[i % len(areas)]],
            supporting_institutions=[supporter],
        )
        for j in range(milestones_each):
            MilestoneFactory(
                commitment=commitment,
                number=j + 1,
                end_date=date(2024, 1, 1) if j == 0 else date(2099, 1, 1),
                completion=Milestone.Completion.LIMITED
                if j == 0
                else Milestone.Completion.COMPLETE,
            )
    return plan


@pytest.fixture
def plan(db):
    return build_plan()


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return (
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".rstrip()
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache is process-wide; each test starts without what earlier tests left in it."""
    from django.core.cache import cache

    cache.clear()
    yield
