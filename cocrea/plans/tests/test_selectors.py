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
        orm = plan.commitments.select_related("lead_institution").order_by("number")
        assert [
            (c.pk, c.slug, c.title, c.ogp_id, c.lead_institution.name, c.lead_institution.slug)
            for c in rows
        ] == [
            (c.pk, c.slug, c.title, c.ogp_id, c.lead_institution.name, c.lead_institution.slug)
            for c in orm
        ]
        assert all(c.plan is plan for c in rows)
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


def test_a_plan_is_read_with_its_member_as_the_orm_would(db, django_assert_num_queries):
    import pytest
    from django.forms.models import model_to_dict
    from django.http import Http404

    from cocrea.plans.models import ActionPlan
    from cocrea.plans.selectors import plan_get

    plan = build_plan(commitments=1)
    expected = ActionPlan.objects.select_related("member").get(pk=plan.pk)
    with django_assert_num_queries(1):
        read = plan_get(slug=plan.slug)
        assert read.member.name == expected.member.name
        assert read.member.slug == expected.member.slug
    assert model_to_dict(read) == model_to_dict(expected)
    assert read.created_at == expected.created_at and read.created_at.tzinfo is not None
    assert (
        type(read.start_date) is date and read.get_status_display() == expected.get_status_display()
    )
    with django_assert_num_queries(1):  # a member field not read with the plan loads when asked
        assert read.member.is_default == expected.member.is_default
    with pytest.raises(Http404):
        plan_get(slug="no-existe")


def test_a_commitment_is_read_with_its_plan_lead_and_milestones_as_the_orm_would(
    db, django_assert_num_queries
):
    import pytest
    from django.forms.models import model_to_dict
    from django.http import Http404

    from cocrea.plans.models import Commitment
    from cocrea.plans.selectors import commitment_get

    plan = build_plan(commitments=2, milestones_each=3)
    expected = (
        Commitment.objects.select_related("plan", "lead_institution")
        .prefetch_related("milestones__responsible_institution")
        .get(plan=plan, number=2)
    )
    other = InstitutionFactory(name="Ministerio de Prueba", acronym="MP")
    third = expected.milestones.get(number=3)
    third.responsible_institution = other
    third.save()
    expected = Commitment.objects.get(pk=expected.pk)
    with django_assert_num_queries(3):  # commitment; milestones; areas and supporters
        read = commitment_get(plan_slug=plan.slug, slug=expected.slug)
    assert model_to_dict(read, exclude=["policy_areas", "supporting_institutions"]) == (
        model_to_dict(expected, exclude=["policy_areas", "supporting_institutions"])
    )
    assert read.created_at == expected.created_at and read.created_at.tzinfo is not None
    lead = expected.lead_institution
    want = [
        (m.number, m.description, m.end_date, m.responsible_institution.name)
        for m in expected.milestones.order_by("number")
    ]
    figures = (expected.progress, expected.completion, expected.status)
    with django_assert_num_queries(0):
        # Each related field in the model's order, whatever order the selector names them in.
        assert (read.plan.pk, read.plan.slug, read.plan.title, read.plan.number) == (
            plan.pk,
            plan.slug,
            plan.title,
            plan.number,
        )
        assert (read.lead_institution.slug, read.lead_institution.short_name) == (
            lead.slug,
            lead.short_name,
        )
        milestones = list(read.milestones.all())
        assert [
            (m.number, m.description, m.end_date, m.responsible_institution.name)
            for m in milestones
        ] == want
        assert want[2][3] == "Ministerio de Prueba"
        assert all(m.commitment is read for m in milestones)
        assert (read.progress, read.completion, read.status) == figures
    # The milestones are a relation still: narrowing it asks the database, as after a prefetch.
    assert [m.number for m in read.milestones.filter(number__gte=2)] == [2, 3]
    with django_assert_num_queries(1):  # a plan field not read with the commitment loads
        assert read.plan.start_date == plan.start_date
    with pytest.raises(Http404):
        commitment_get(plan_slug=plan.slug, slug="no-existe")
    with pytest.raises(Http404):  # a commitment of another plan is not found under this one
        commitment_get(plan_slug=build_plan(commitments=1).slug, slug=expected.slug)


def test_the_home_plan_is_the_default_members_plan_in_implementation_else_its_latest(
    db, django_assert_num_queries
):
    from cocrea.plans.models import ActionPlan
    from cocrea.plans.selectors import home_plan
    from cocrea.plans.tests.factories import ActionPlanFactory, MemberFactory

    assert home_plan() == (None, None)
    other = MemberFactory(name="Argentina", code="ARG", slug="argentina", is_default=False)
    ActionPlanFactory(
        member=other, start_date=date(2030, 1, 1), end_date=date(2032, 8, 31)
    )  # not the default member's
    member = MemberFactory()
    assert home_plan() == (member, None)
    old = ActionPlanFactory(
        member=member, start_date=date(2016, 9, 1), end_date=date(2018, 8, 31), status="closed"
    )
    newest = ActionPlanFactory(
        member=member, start_date=date(2025, 9, 1), end_date=date(2027, 8, 31), status="co_creation"
    )
    with django_assert_num_queries(1):
        found_member, found = home_plan()
        assert (found_member.name, found_member.slug) == ("Guatemala", "guatemala")
    assert found == newest and found.member is found_member
    assert found.start_date == date(2025, 9, 1) and found.get_status_display()
    current = ActionPlanFactory(
        member=member, start_date=date(2021, 9, 1), end_date=date(2023, 8, 31)
    )
    assert current.status == ActionPlan.Status.IMPLEMENTATION
    assert home_plan() == (member, current)
    ActionPlan.objects.filter(pk__in=[current.pk, newest.pk]).update(status="closed")
    assert home_plan() == (member, newest)
    assert old.pk != newest.pk


def test_the_plan_list_pages_plain_rows_in_the_orms_order(db, settings):
    from cocrea.plans.models import ActionPlan
    from cocrea.plans.selectors import plan_list_page
    from cocrea.plans.tests.factories import ActionPlanFactory, MemberFactory

    settings.COCREA_PAGE_SIZE = 2
    argentina = MemberFactory(name="Argentina", code="ARG", slug="argentina", is_default=False)
    first = build_plan(commitments=2)  # Guatemala, 2023 to 2025
    ActionPlanFactory(member=argentina, start_date=date(2019, 1, 1), end_date=date(2019, 12, 31))
    ActionPlanFactory(member=argentina, start_date=date(2022, 9, 1), end_date=date(2024, 8, 31))
    expected = list(
        ActionPlan.objects.select_related("member").order_by("member__name", "-start_date", "pk")
    )
    rows = list(plan_list_page(number="1")) + list(plan_list_page(number="2"))
    assert [(p.pk, p.slug, p.title, p.status, p.years, p.member.name) for p in rows] == [
        (p.pk, p.slug, p.title, p.status, p.years, p.member.name) for p in expected
    ]
    assert [p.years for p in rows] == ["2022–2024", "2019", "2023–2025"]
    assert [p.commitment_count for p in rows] == [0, 0, 2]
    last = plan_list_page(number="99")  # past the end: the last page, as the ORM's paginator
    assert last.number == 2 and last.paginator.num_pages == 2
    assert [p.pk for p in last] == [first.pk]
    assert plan_list_page(number="x").number == 1


def test_an_institution_is_read_as_the_orm_would(db):
    import pytest
    from django.forms.models import model_to_dict
    from django.http import Http404

    from cocrea.plans.models import Institution
    from cocrea.plans.selectors import institution_get

    made = InstitutionFactory(name="Ministerio de Finanzas Públicas", acronym="MINFIN")
    read = institution_get(slug=made.slug)
    expected = Institution.objects.get(pk=made.pk)
    assert model_to_dict(read) == model_to_dict(expected)
    assert read.created_at == expected.created_at and read.short_name == "MINFIN"
    with pytest.raises(Http404):
        institution_get(slug="no-existe")


def test_plain_instances_are_converted_and_deferred_as_raw_would(db, django_assert_num_queries):
    from decimal import Decimal

    import pytest

    from cocrea.core import sql
    from cocrea.plans.models import Commitment, Institution

    plan = build_plan(commitments=1)
    Commitment.objects.filter(plan=plan).update(
        budget_amount=Decimal("1250000.50"), sdg_goals=[5, 16], carried_forward=True
    )
    n = sql.name
    query = (
        f"SELECT {sql.all_columns(Commitment, 'c')}, "  # noqa: S608 - names from the models
        f"{sql.beside(Institution, 'i', ('id', 'name'))} "
        f"FROM {n(Commitment)} c INNER JOIN {n(Institution)} i "
        f"ON i.{n(Institution, 'id')} = c.{n(Commitment, 'lead_institution')} "
        f"WHERE c.{n(Commitment, 'plan')} = %s"
    )
    for _ in range(2):  # the second from the memoised layout
        (read,) = sql.instances(Commitment, query, [plan.pk])
        expected = Commitment.objects.get(plan=plan)
        assert list(read.sdg_goals) == [5, 16] and read.budget_amount == Decimal("1250000.50")
        assert read.carried_forward is True and read.start_date == expected.start_date
        assert read.created_at == expected.created_at and read.created_at.tzinfo is not None
        lead = sql.attached_from(read, Institution, ("id", "name"))
        assert (lead.pk, lead.name) == (
            expected.lead_institution_id,
            expected.lead_institution.name,
        )
    (short,) = sql.instances(
        Commitment,
        f"SELECT {n(Commitment, 'id')}, {n(Commitment, 'title')} FROM {n(Commitment)} "  # noqa: S608
        f"WHERE {n(Commitment, 'plan')} = %s",
        [plan.pk],
    )
    with django_assert_num_queries(1):  # a field not selected loads when read, as with only()
        assert short.problem == expected.problem
    with pytest.raises(ValueError, match="key"):
        sql.instances(Commitment, f"SELECT {n(Commitment, 'title')} FROM {n(Commitment)}")  # noqa: S608
