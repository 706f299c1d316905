"""Each public selector of plans gives, field by field and by name, what an independent ORM read
of the same data gives: counts counted here, related rows read through the other side of the
relation, figures worked out from the milestones read here. The data makes fields of the same
type differ (an institution leads two commitments and supports one; a plan's number is not its
commitments'), so a selector that swapped two of them would fail."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import translation

from cocrea.plans import progress, selectors
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone, PolicyArea
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MemberFactory,
    MilestoneFactory,
)

TODAY = date(2025, 1, 1)


@dataclass
class Data:
    plan: ActionPlan  # the current plan: three commitments
    older: ActionPlan  # an older plan of the same member: one commitment
    empty: ActionPlan  # another member's plan, without commitments
    minfin: Institution  # leads two commitments, supports one, responsible for four milestones
    segeplan: Institution  # leads two, supports none; no acronym
    cso: Institution  # civil society: supports two
    academia: Institution  # supports one
    idle: Institution  # nothing


@pytest.fixture
def data(db) -> Data:
    guatemala = MemberFactory()
    argentina = MemberFactory(name="Argentina", code="ARG", slug="argentina", is_default=False)
    plan = ActionPlanFactory(
        member=guatemala, number=5, slug="quinto", ogp_id="AP_GTM05", title="Quinto plan"
    )
    older = ActionPlanFactory(
        member=guatemala,
        number=4,
        slug="cuarto",
        ogp_id="AP_GTM04",
        title="Cuarto plan",
        start_date=date(2021, 9, 1),
        end_date=date(2023, 8, 31),
        status=ActionPlan.Status.CLOSED,
    )
    empty = ActionPlanFactory(
        member=argentina,
        number=2,
        slug="argentina-2",
        title="Plan de Argentina",
        start_date=date(2022, 1, 1),
        end_date=date(2022, 12, 31),
    )
    minfin = InstitutionFactory(name="Ministerio de Finanzas", acronym="MINFIN", slug="minfin")
    segeplan = InstitutionFactory(name="Secretaría de Planificación", acronym="", slug="segeplan")
    cso = InstitutionFactory(
        name="Acción Ciudadana", acronym="AC", slug="accion", kind=Institution.Kind.CIVIL_SOCIETY
    )
    academia = InstitutionFactory(
        name="Universidad Pública", acronym="", slug="universidad", kind=Institution.Kind.ACADEMIA
    )
    idle = InstitutionFactory(name="Zeta Sin Compromisos", acronym="ZSC", slug="zeta")
    areas = list(PolicyArea.objects.filter(parent__isnull=False).order_by("position")[:3])

    def add_commitment(
        of: ActionPlan, number: str, slug: str, title: str, lead: Institution, **extra: object
    ) -> Commitment:
        return CommitmentFactory(
            plan=of, number=number, slug=slug, title=title, lead_institution=lead, **extra
        )

    first = add_commitment(plan, "1", "datos", "Datos abiertos", minfin, ogp_id="GT0101")
    second = add_commitment(plan, "2", "compras", "Compras públicas", segeplan, ogp_id="")
    add_commitment(plan, "3", "vacio", "Sin hitos", minfin)
    old = add_commitment(older, "7", "antiguo", "Compromiso antiguo", segeplan)
    first.policy_areas.set([areas[2], areas[0]])
    second.policy_areas.set([areas[1]])
    first.supporting_institutions.set([cso, academia])
    second.supporting_institutions.set([cso])
    old.supporting_institutions.set([minfin])
    # number, description, completion, weight, start and end date, responsible institution
    milestones = {
        first: [
            (1, "Publicar el presupuesto", "limited", 2, "2023-10-01", "2024-01-01", minfin),
            (2, "Portal de datos", "complete", 1, "2023-09-01", "2099-01-01", minfin),
            (3, "Retirado", "withdrawn", 3, None, None, cso),
        ],
        second: [
            (1, "Registro de proveedores", "not_started", 1, "2023-09-01", "2024-06-01", minfin),
            (2, "Próximo paso", "substantial", 1, "2023-09-01", "2025-03-01", segeplan),
        ],
        old: [(1, "Hito del plan anterior", "substantial", 1, "2021-10-01", "2022-05-01", minfin)],
    }
    for commitment, rows in milestones.items():
        for number, description, completion, weight, start, end, responsible in rows:
            MilestoneFactory(
                commitment=commitment,
                number=number,
                description=description,
                completion=completion,
                weight=weight,
                start_date=start and date.fromisoformat(start),
                end_date=end and date.fromisoformat(end),
                responsible_institution=responsible,
            )
    return Data(plan, older, empty, minfin, segeplan, cso, academia, idle)


def _figures(commitment_id: int) -> dict[str, object]:
    """A commitment's progress and completion, worked out here from its milestones."""
    milestones = list(Milestone.objects.filter(commitment_id=commitment_id))
    return {
        "progress": progress.commitment_progress(milestones),
        "completion": progress.commitment_completion(milestones),
    }


def _named(obj: object, *names: str) -> dict[str, object]:
    """The attributes of `obj` of those names, by name."""
    return {name: getattr(obj, name) for name in names}


def _overdue(milestone: Milestone, today: date) -> bool:
    return (
        milestone.end_date is not None
        and milestone.end_date < today
        and milestone.completion not in ("complete", "withdrawn")
    )


def test_the_default_member_is_the_one_marked_default(data):
    assert selectors.default_member().slug == "guatemala"


def test_the_home_plan_is_the_default_members_plan_in_implementation_else_its_latest(
    db, django_assert_num_queries
):
    assert selectors.home_plan() == (None, None)
    other = MemberFactory(name="Argentina", code="ARG", slug="argentina", is_default=False)
    ActionPlanFactory(
        member=other, start_date=date(2030, 1, 1), end_date=date(2032, 8, 31)
    )  # not the default member's
    member = MemberFactory()
    assert selectors.home_plan() == (member, None)
    ActionPlanFactory(
        member=member, start_date=date(2016, 9, 1), end_date=date(2018, 8, 31), status="closed"
    )
    newest = ActionPlanFactory(
        member=member, start_date=date(2025, 9, 1), end_date=date(2027, 8, 31), status="co_creation"
    )
    with django_assert_num_queries(1):
        found_member, found = selectors.home_plan()
        assert (found_member.name, found_member.slug) == ("Guatemala", "guatemala")
    assert found == newest and found.member is found_member
    current = ActionPlanFactory(
        member=member, start_date=date(2021, 9, 1), end_date=date(2023, 8, 31)
    )
    assert current.status == ActionPlan.Status.IMPLEMENTATION
    assert selectors.home_plan() == (member, current)
    ActionPlan.objects.filter(pk__in=[current.pk, newest.pk]).update(status="closed")
    assert selectors.home_plan() == (member, newest)


def test_a_plan_is_read_with_its_member(data, django_assert_num_queries):
    expected = ActionPlan.objects.get(slug="quinto")
    member = Member.objects.get(plans=expected)
    with django_assert_num_queries(1):
        read = selectors.plan_get(slug="quinto")
        assert model_to_dict(read.member) == model_to_dict(member)
    assert model_to_dict(read) == model_to_dict(expected)
    with pytest.raises(Http404):
        selectors.plan_get(slug="no-existe")


def test_policy_area_choices_are_the_themes_areas_in_order_named_in_the_language(db):
    for language, field in (("es", "name_es"), ("en", "name_en")):
        expected = [
            {"pk": a.pk, "slug": a.slug, "name": getattr(a, field)}
            for a in PolicyArea.objects.exclude(parent=None).order_by("position", "pk")
        ]
        with translation.override(language):
            read = [
                {"pk": a.pk, "slug": a.slug, "name": a.name}
                for a in selectors.policy_area_choices()
            ]
        assert read == expected
        assert len({a["name"] for a in read}) > 1


def test_the_plan_list_gives_each_plan_its_member_years_and_commitment_count(
    data, settings, django_assert_num_queries
):
    settings.COCREA_PAGE_SIZE = 2
    own = ("slug", "title", "ogp_id", "status")
    expected = [
        {
            **_named(p, *own),
            "years": f"{p.start_date.year}–{p.end_date.year}"
            if p.start_date.year != p.end_date.year
            else str(p.start_date.year),
            "member": p.member.name,
            "commitment_count": Commitment.objects.filter(plan=p).count(),
        }
        for p in ActionPlan.objects.order_by("member__name", "-start_date", "pk")
    ]
    read = []
    for number in ("1", "2"):
        with django_assert_num_queries(2):  # the count and the page
            page = selectors.plan_list_page(number=number)
            read += [
                {
                    **_named(p, *own, "years", "commitment_count"),
                    "member": p.member.name,
                }
                for p in page
            ]
    assert read == expected
    assert [p["commitment_count"] for p in read] == [0, 3, 1]
    last = selectors.plan_list_page(number="99")  # past the end: the last page
    assert (last.number, last.paginator.num_pages) == (2, 2)
    assert selectors.plan_list_page(number="x").number == 1


# A commitment's own fields that name it in a list or a heading.
_LISTED = ("pk", "number", "slug", "title", "ogp_id")


def _list_row(c: Commitment) -> dict[str, object]:
    return {
        **_named(c, *_LISTED),
        "lead": (c.lead_institution.slug, c.lead_institution.name, c.lead_institution.acronym),
        "areas": [(a.slug, a.name) for a in c.areas],  # type: ignore[attr-defined]
        "supporters": [(i.slug, i.name, str(i)) for i in c.supporters],  # type: ignore[attr-defined]
        **_named(c, "progress", "completion"),
    }


def _expected_list_row(c: Commitment, supporters: bool = True) -> dict[str, object]:
    lead = Institution.objects.get(led_commitments=c)
    areas = PolicyArea.objects.filter(commitments=c).order_by("position")
    backers = Institution.objects.filter(supported_commitments=c).order_by("name")
    return {
        **_named(c, *_LISTED),
        "lead": (lead.slug, lead.name, lead.acronym),
        "areas": [
            (a.slug, a.name_en if translation.get_language() == "en" else a.name_es) for a in areas
        ],
        "supporters": [
            (i.slug, i.name, f"{i.name} ({i.acronym})" if i.acronym else i.name) for i in backers
        ]
        if supporters
        else [],
        **_figures(c.pk),
    }


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_plans_commitments_carry_their_lead_areas_supporters_and_figures(
    data, language, django_assert_num_queries
):
    plan = data.plan
    with translation.override(language):
        # commitments, areas, milestones, supporters; nothing more while the rows are read
        with django_assert_num_queries(4):
            rows = selectors.plan_commitments(plan=plan, supporters=True)
            read = [_list_row(c) for c in rows]
        expected = [
            _expected_list_row(c)
            for c in Commitment.objects.filter(plan=plan).order_by("number_sort")
        ]
    assert read == expected
    assert all(c.plan is plan for c in rows)
    assert [r["progress"] for r in read] == [55, 33, None]
    assert read[0]["areas"] and read[0]["supporters"] and read[1]["areas"]


def test_without_supporters_a_plans_commitments_have_none_and_one_query_less(
    data, django_assert_num_queries
):
    with django_assert_num_queries(3):
        rows = selectors.plan_commitments(plan=data.plan)
        read = [_list_row(c) for c in rows]
    assert read == [
        _expected_list_row(c, supporters=False)
        for c in Commitment.objects.filter(plan=data.plan).order_by("number_sort")
    ]


def test_the_filter_choices_are_the_areas_and_institutions_of_the_plans_commitments(data):
    rows = selectors.plan_commitments(plan=data.plan, supporters=True)
    areas, institutions = selectors.commitment_filter_choices(rows)
    assert areas == [
        (a.slug, a.name)
        for a in PolicyArea.objects.filter(commitments__plan=data.plan)
        .distinct()
        .order_by("position")
    ]
    present = (
        Institution.objects.filter(
            Q(led_commitments__plan=data.plan) | Q(supported_commitments__plan=data.plan)
        )
        .distinct()
        .order_by("name")
    )
    assert institutions == [(i.slug, str(i)) for i in present]
    assert ("accion", "Acción Ciudadana (AC)") in institutions
    assert ("segeplan", "Secretaría de Planificación") in institutions


def test_filtering_keeps_the_commitments_that_match_every_filter(data):
    rows = selectors.plan_commitments(plan=data.plan, supporters=True)
    areas, institutions = selectors.commitment_filter_choices(rows)
    everything = Commitment.objects.filter(plan=data.plan).order_by("number_sort")

    def numbers(filters: selectors.CommitmentFilters, disputed: set[int] | None = None) -> list:
        return [c.number for c in selectors.commitments_filtered(rows, filters, disputed or set())]

    for slug, _label in areas:
        assert numbers(selectors.CommitmentFilters(policy_area=slug)) == [
            c.number for c in everything.filter(policy_areas__slug=slug)
        ]
    for slug, _label in institutions:
        assert numbers(selectors.CommitmentFilters(institution=slug)) == [
            c.number
            for c in everything.filter(
                Q(lead_institution__slug=slug) | Q(supporting_institutions__slug=slug)
            ).distinct()
        ]
    for completion in [*Milestone.Completion.values, "none"]:
        assert numbers(selectors.CommitmentFilters(completion=completion)) == [
            c.number for c in everything if (_figures(c.pk)["completion"] or "none") == completion
        ]
    second = everything.get(number=2)
    assert numbers(selectors.CommitmentFilters(disputed=True), {second.pk}) == ["2"]
    both = selectors.CommitmentFilters(institution="accion", completion="limited")
    assert numbers(both) == ["2"]
    assert numbers(selectors.CommitmentFilters()) == ["1", "2", "3"]


def test_a_commitment_is_read_with_its_plan_lead_milestones_areas_and_supporters(
    data, django_assert_num_queries
):
    expected = Commitment.objects.get(plan=data.plan, number=1)
    relations = ["policy_areas", "supporting_institutions"]  # compared below, as read
    own = model_to_dict(expected, exclude=relations)
    plan = model_to_dict(ActionPlan.objects.get(commitments=expected))
    lead = model_to_dict(Institution.objects.get(led_commitments=expected))
    shown = ("number", "description", "start_date", "end_date", "weight", "completion")
    # the commitment with its plan and lead; milestones; areas; supporters
    with django_assert_num_queries(4):
        read = selectors.commitment_get(plan_slug="quinto", slug="datos")
    with django_assert_num_queries(0):
        assert model_to_dict(read, exclude=relations) == own
        assert model_to_dict(read.plan) == plan
        assert model_to_dict(read.lead_institution) == lead
        milestones = [
            {
                **_named(m, *shown),
                "responsible": m.responsible_institution.slug,
                "overdue": m.is_overdue,
                "commitment": m.commitment.pk,
            }
            for m in read.milestones.all()
        ]
        areas = [(a.slug, a.name) for a in read.areas]  # type: ignore[attr-defined]
        supporters = [(i.slug, i.name, i.get_kind_display()) for i in read.supporters]  # type: ignore[attr-defined]
        figures = (read.progress, read.completion, read.status, len(read.overdue_milestones))
    assert milestones == [
        {
            **_named(m, *shown),
            "responsible": Institution.objects.get(milestones=m).slug,
            "overdue": _overdue(m, date.today()),
            "commitment": expected.pk,
        }
        for m in Milestone.objects.filter(commitment=expected).order_by("number")
    ]
    assert [m["responsible"] for m in milestones] == ["minfin", "minfin", "accion"]
    assert areas == [
        (a.slug, a.name)
        for a in PolicyArea.objects.filter(commitments=expected).order_by("position")
    ]
    assert supporters == [
        (i.slug, i.name, dict(Institution.Kind.choices)[i.kind])
        for i in Institution.objects.filter(supported_commitments=expected).order_by("name")
    ]
    assert supporters[0][2] != supporters[1][2]
    assert figures[:2] == tuple(_figures(expected.pk).values())
    with pytest.raises(Http404):
        selectors.commitment_get(plan_slug="quinto", slug="no-existe")
    with pytest.raises(Http404):  # a commitment of another plan is not found under this one
        selectors.commitment_get(plan_slug="cuarto", slug="datos")


def test_a_commitments_heading_has_its_title_and_plan(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        read = selectors.commitment_heading(plan_slug="quinto", slug="compras")
        fields = {**_named(read, *_LISTED), "plan": _named(read.plan, "slug", "title")}
    expected = Commitment.objects.get(slug="compras")
    plan = ActionPlan.objects.get(commitments=expected)
    assert fields == {**_named(expected, *_LISTED), "plan": _named(plan, "slug", "title")}
    with pytest.raises(Http404):
        selectors.commitment_heading(plan_slug="cuarto", slug="compras")


def test_the_institution_list_counts_what_each_leads_and_supports(
    data, settings, django_assert_num_queries
):
    settings.COCREA_PAGE_SIZE = 3
    own = ("slug", "name", "acronym", "kind")
    expected = [
        {
            **_named(i, *own),
            "led_count": Commitment.objects.filter(lead_institution=i).count(),
            "supported_count": i.supported_commitments.count(),
        }
        for i in Institution.objects.order_by("name", "pk")
    ]
    read = []
    for number in ("1", "2"):
        with django_assert_num_queries(2):  # the count and the page
            read += [
                _named(i, *own, "led_count", "supported_count")
                for i in selectors.institution_list_page(number=number)
            ]
    assert read == expected
    by_slug = {row["slug"]: (row["led_count"], row["supported_count"]) for row in read}
    assert by_slug["minfin"] == (2, 1) and by_slug["accion"] == (0, 2) and by_slug["zeta"] == (0, 0)


def test_an_institution_is_read_by_its_slug(data):
    assert model_to_dict(selectors.institution_get(slug="minfin")) == model_to_dict(
        Institution.objects.get(pk=data.minfin.pk)
    )
    with pytest.raises(Http404):
        selectors.institution_get(slug="no-existe")


@pytest.mark.parametrize("slug", ["minfin", "segeplan", "accion", "zeta"])
def test_an_institutions_commitments_are_those_it_leads_or_supports_newest_plan_first(
    data, slug, django_assert_num_queries
):
    institution = Institution.objects.get(slug=slug)

    def row(c: Commitment, progress: object) -> dict[str, object]:
        return {
            **_named(c, "slug", "number", "title"),
            "leads": c.lead_institution_id == institution.pk,
            "plan": _named(c.plan, "slug", "title"),
            "progress": progress,
        }

    expected = [
        row(c, _figures(c.pk)["progress"])
        for c in Commitment.objects.filter(
            Q(lead_institution=institution) | Q(supporting_institutions=institution)
        )
        .distinct()
        .order_by("-plan__start_date", "number_sort")
    ]
    with django_assert_num_queries(2 if expected else 1):  # commitments; their milestones
        read = [
            row(c, c.progress) for c in selectors.institution_commitments(institution=institution)
        ]
    assert read == expected
    if slug == "minfin":  # leads two of the current plan, supports one of the older
        assert [(r["slug"], r["leads"]) for r in read] == [
            ("datos", True),
            ("vacio", True),
            ("antiguo", False),
        ]


def test_an_institutions_milestones_come_a_page_at_a_time_with_commitment_plan_and_overdue(
    data, settings, django_assert_num_queries
):
    settings.COCREA_PAGE_SIZE = 3
    own = ("description", "end_date", "completion")
    expected = [
        {
            **_named(m, *own),
            "commitment": (m.commitment.slug, m.commitment.number, m.commitment.title),
            "plan": (m.commitment.plan.slug, m.commitment.plan.number),
            "overdue": _overdue(m, TODAY),
        }
        for m in Milestone.objects.filter(responsible_institution=data.minfin).order_by(
            "-commitment__plan__start_date", "commitment__number_sort", "number", "pk"
        )
    ]
    read = []
    for number in ("1", "2"):
        with django_assert_num_queries(2):  # the count and the page
            page = selectors.institution_milestones_page(
                institution=data.minfin, number=number, today=TODAY
            )
            read += [
                {
                    **_named(m, *own),
                    "commitment": (m.commitment__slug, m.commitment__number, m.commitment__title),
                    "plan": (m.commitment__plan__slug, m.commitment__plan__number),
                    "overdue": m.overdue,
                }
                for m in page
            ]
    assert read == expected
    assert [r["overdue"] for r in read] == [True, False, True, True]
    assert read[0]["plan"] == ("quinto", 5) and read[0]["commitment"][1] == "1"


def test_a_plan_at_a_glance_has_its_overdue_and_next_milestones_and_progress(
    data, django_assert_num_queries
):
    with django_assert_num_queries(3):  # commitments; areas; milestones
        glance = selectors.plan_glance(plan=data.plan, today=TODAY, upcoming=5)
        overdue = [(m.commitment.number, m.number, m.description) for m in glance.overdue]
        upcoming = [(m.commitment.number, m.number, m.description) for m in glance.upcoming]
        commitments = [(c.number, c.progress, c.completion) for c in glance.commitments]
    milestones = list(Milestone.objects.filter(commitment__plan=data.plan))

    def key(m: Milestone) -> tuple:
        return (m.end_date, int(m.commitment.number), m.number)  # the fixture's are whole

    assert overdue == [
        (m.commitment.number, m.number, m.description)
        for m in sorted((m for m in milestones if _overdue(m, TODAY)), key=key)
    ]
    assert upcoming == [
        (m.commitment.number, m.number, m.description)
        for m in sorted(
            (
                m
                for m in milestones
                if m.end_date is not None
                and m.end_date >= TODAY
                and m.completion not in ("complete", "withdrawn")
            ),
            key=key,
        )
    ]
    assert commitments == [
        (c.number, *_figures(c.pk).values())
        for c in Commitment.objects.filter(plan=data.plan).order_by("number_sort")
    ]
    by_commitment = [
        list(Milestone.objects.filter(commitment=c))
        for c in Commitment.objects.filter(plan=data.plan)
    ]
    assert glance.progress == progress.plan_progress(by_commitment)
    assert (overdue, upcoming) == (
        [("1", 1, "Publicar el presupuesto"), ("2", 1, "Registro de proveedores")],
        [("2", 2, "Próximo paso")],
    )
    assert glance.plan is data.plan
