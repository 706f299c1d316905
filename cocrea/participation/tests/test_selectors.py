"""Each public read of participation against an independent read of the same rows: the other
side counts, follows and filters by hand (one plain query per row is fine here), and the two are
compared field by field, by name. The data make same-typed fields differ (a proposal's supports
never equal its comments, each stored figure is a different number), so a read that swapped two
of them would fail."""

import itertools
from dataclasses import asdict
from datetime import timedelta

import pytest
from django.utils import timezone

from cocrea.accounts.models import User, display_name
from cocrea.participation import selectors, services
from cocrea.participation.models import (
    Comment,
    Consultation,
    ConsultationFigures,
    Flag,
    Proposal,
    Response,
    StandardAssessment,
    Workshop,
)
from cocrea.participation.tests.factories import WorkshopFactory, answer, partly_adopted_proposal
from cocrea.plans.models import ActionPlan, Commitment, Institution, PolicyArea
from conftest import build_plan, make_person
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db

ANSWER_KINDS = [None, "adopted", "not_adopted", "partly_adopted"]
DEPARTMENTS = ["peten", "quiche", ""]


def _fields(obj) -> dict:
    """Every stored field of a model instance, by attribute name."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _phases_in_order(consultation_id: int) -> list:
    """A consultation's phases in time order, read on their own (no prefetch)."""
    phases = Consultation.objects.get(pk=consultation_id).phases.all()
    return sorted(phases, key=lambda p: (p.starts_on, p.position))


@pytest.fixture
def consultation_with_proposals(personas, institutions):
    """Thirty-six proposals, one for each combination of area (two or none), department (two or
    none) and answer (three kinds or none), with supports, comments and dates in three
    different orders."""
    consultation = open_consultation(build_plan(commitments=1))
    areas = list(PolicyArea.objects.filter(parent__isnull=False).order_by("position")[:2])
    workshop = WorkshopFactory(consultation=consultation)
    gone = make_person("Se fue")
    User.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    authors = [personas["citizen"], personas["cso_member"], gone, None]
    base = timezone.now() - timedelta(days=2)
    for i in range(36):
        proposal = _proposal(
            consultation,
            authors[i % 4],
            title=f"Propuesta {i:02d}",
            policy_area=[*areas, None][i % 3],
            department=DEPARTMENTS[(i // 3) % 3],
            organisation=institutions["cso"] if i % 4 == 1 else None,
            workshop=workshop if i % 8 == 3 else None,
        )
        Proposal.objects.filter(pk=proposal.pk).update(
            support_count=(i * 7) % 36,  # 0..35, every one different
            comment_count=100 + (i * 5) % 36,  # never a support count
            created_at=base - timedelta(hours=(i * 11) % 36),
            hidden_at=base if i == 13 else None,
            hidden_reason="spam" if i == 13 else "",
        )
        if kind := ANSWER_KINDS[i // 9]:
            Response.objects.create(
                proposal=proposal, kind=kind, reasons="Razones.", answered_at=timezone.now()
            )
    return consultation, areas[0]


def _own_fields(proposal: Proposal) -> dict:
    """The proposal's own fields that its row shows (the rest come through its relations)."""
    names = "public_id title created_at department support_count comment_count hidden_at"
    return {name: getattr(proposal, name) for name in names.split()}


def _expected_row(proposal: Proposal) -> dict:
    """A proposal as the list shows it, each related row read on its own."""
    author = User.objects.filter(pk=proposal.author_id).first()
    area = PolicyArea.objects.filter(pk=proposal.policy_area_id).first()
    return {
        **_own_fields(proposal),
        "hidden_reason_label": str(
            dict(Proposal.HideReason.choices).get(proposal.hidden_reason, "")
        ),
        "author": display_name(author.public_name, author.deleted_at) if author else None,
        "organisation": Institution.objects.filter(pk=proposal.organisation_id)
        .values_list("name", flat=True)
        .first(),
        "workshop": Workshop.objects.filter(pk=proposal.workshop_id)
        .values_list("title", flat=True)
        .first(),
        "policy_area": area.name_es if area else None,
        "answer": Response.objects.filter(proposal_id=proposal.pk)
        .values_list("kind", flat=True)
        .first(),
    }


def _row(proposal: Proposal) -> dict:
    """A row of `proposal_page`, read as the template reads it."""
    return {
        **_own_fields(proposal),
        "hidden_reason_label": proposal.hidden_reason_label,
        "author": proposal.author.display_name if proposal.author else None,
        "organisation": proposal.organisation.name if proposal.organisation else None,
        "workshop": proposal.workshop.title if proposal.workshop else None,
        "policy_area": proposal.policy_area.name if proposal.policy_area else None,
        "answer": proposal.response.kind if hasattr(proposal, "response") else None,
    }


_SORT_KEYS = {
    "recientes": lambda r: (r["created_at"], r["id"]),
    "apoyos": lambda r: (r["support_count"], r["created_at"], r["id"]),
    "comentarios": lambda r: (r["comment_count"], r["created_at"], r["id"]),
}


@pytest.mark.parametrize(
    ("sort", "by_area", "department", "answer"),
    list(
        itertools.product(
            selectors.SORTS, [False, True], ["", "peten"], ["", selectors.UNANSWERED, "adopted"]
        )
    ),
)
def test_the_proposal_list_is_the_filtered_sorted_proposals_row_by_row(
    consultation_with_proposals,
    settings,
    django_assert_num_queries,
    sort,
    by_area,
    department,
    answer,
):
    consultation, area = consultation_with_proposals
    settings.COCREA_PROPOSALS_PAGE_SIZE = 100
    filters = selectors.ProposalFilters(
        sort=sort, area=area if by_area else None, department=department, answer=answer
    )
    expected = []
    for proposal in Proposal.objects.filter(consultation_id=consultation.pk):
        row = {**_expected_row(proposal), "id": proposal.pk}
        if by_area and proposal.policy_area_id != area.pk:
            continue
        if department and row["department"] != department:
            continue
        if answer == selectors.UNANSWERED and row["answer"] is not None:
            continue
        if answer and answer != selectors.UNANSWERED and row["answer"] != answer:
            continue
        expected.append(row)
    expected.sort(key=_SORT_KEYS[sort], reverse=True)
    assert expected  # every shape has rows to compare
    page = selectors.proposal_page(consultation=consultation, filters=filters, number=1)
    read = list(page.object_list)
    with django_assert_num_queries(0):  # the rows came with everything the template reads
        rows = [_row(proposal) for proposal in read]
    assert page.paginator.count == len(expected)
    assert rows == [{k: v for k, v in row.items() if k != "id"} for row in expected]


def test_the_proposal_list_pages_in_order(consultation_with_proposals, settings):
    consultation, _area = consultation_with_proposals
    settings.COCREA_PROPOSALS_PAGE_SIZE = 5
    filters = selectors.ProposalFilters(sort="apoyos")
    everything = Proposal.objects.filter(consultation_id=consultation.pk)
    ordered = sorted(everything, key=lambda p: (p.support_count, p.created_at, p.pk), reverse=True)
    pages = [
        selectors.proposal_page(consultation=consultation, filters=filters, number=n)
        for n in (1, 2, 8)
    ]
    assert [p.public_id for p in pages[0].object_list] == [p.public_id for p in ordered[:5]]
    assert [p.public_id for p in pages[1].object_list] == [p.public_id for p in ordered[5:10]]
    assert [p.public_id for p in pages[2].object_list] == [p.public_id for p in ordered[35:]]


@pytest.fixture
def stored_figures(consultation_with_proposals):
    consultation, _area = consultation_with_proposals
    figures = ConsultationFigures.objects.create(
        consultation=consultation,
        proposals=24,
        answered=18,
        by_kind={"adopted": 6, "not_adopted": 7, "partly_adopted": 5},
        median_days=4.5,
        workshops=2,
        workshop_participants=45,
        from_workshops=3,
        departments=11,
        comments=130,
        supports=276,
    )
    return consultation, figures


def test_a_consultation_is_read_with_its_plan_figures_and_phases(
    stored_figures, personas, django_assert_num_queries
):
    consultation, figures = stored_figures
    expected = {
        "consultation": _fields(Consultation.objects.get(pk=consultation.pk)),
        "plan": _fields(ActionPlan.objects.get(pk=consultation.plan_id)),
        "figures": _fields(ConsultationFigures.objects.get(pk=consultation.pk)),
        "phases": [_fields(p) for p in _phases_in_order(consultation.pk)],
    }
    for read in (
        selectors.consultation_get(slug=consultation.slug, user=personas["citizen"]),
        selectors.consultation_of_plan(plan_id=consultation.plan_id),
    ):
        with django_assert_num_queries(0):
            got = {
                "consultation": _fields(read),
                "plan": _fields(read.plan),
                "figures": _fields(read.figures),
                "phases": [_fields(p) for p in read.ordered_phases()],
            }
            shown = asdict(selectors.consultation_figures(consultation=read))
        assert got == expected
        assert shown == {name: getattr(figures, name) for name in shown}


def test_the_consultation_list_is_the_published_ones_by_plan_start(personas):
    first = open_consultation(build_plan(commitments=1, slug="uno", number=1))
    second = open_consultation(
        build_plan(
            commitments=1,
            slug="dos",
            number=2,
            start_date=first.plan.start_date + timedelta(days=700),
            end_date=first.plan.end_date + timedelta(days=700),
        )
    )
    hidden = open_consultation(build_plan(commitments=1, slug="tres", number=3))
    Consultation.objects.filter(pk=hidden.pk).update(published_at=None)
    listed = selectors.consultation_list()
    assert [c.pk for c in listed] == [second.pk, first.pk]
    for read in listed:
        assert _fields(read.plan) == _fields(ActionPlan.objects.get(pk=read.plan_id))
        assert (
            read.plan.member.name
            == read.plan.member.__class__.objects.get(pk=read.plan.member_id).name
        )


def test_a_proposal_is_read_with_all_its_page_shows(
    personas, institutions, django_assert_num_queries
):
    consultation = open_consultation(build_plan(commitments=1))
    area = PolicyArea.objects.filter(parent__isnull=False).order_by("position").first()
    workshop = WorkshopFactory(consultation=consultation, title="Taller", participants=9)
    target = _proposal(consultation, personas["citizen"], title="La que reúne")
    merged = _proposal(
        consultation,
        personas["cso_member"],
        title="La unida",
        organisation=institutions["cso"],
        policy_area=area,
        workshop=workshop,
    )
    Proposal.objects.filter(pk=merged.pk).update(support_count=3, comment_count=8)
    answer(merged, personas, "merged", "Dice lo mismo que otra propuesta.", merged_into=target)
    with django_assert_num_queries(2):  # the proposal and all it shows; the phases
        read = selectors.proposal_get(public_id=merged.public_id)
    author = User.objects.get(pk=personas["cso_member"].pk)
    expected = {
        "proposal": _fields(Proposal.objects.get(pk=merged.pk)),
        "consultation": _fields(Consultation.objects.get(pk=consultation.pk)),
        "plan": _fields(ActionPlan.objects.get(pk=consultation.plan_id)),
        "organisation": _fields(Institution.objects.get(pk=institutions["cso"].pk)),
        "policy_area": _fields(PolicyArea.objects.get(pk=area.pk)),
        "workshop": _fields(Workshop.objects.get(pk=workshop.pk)),
        "response": _fields(Response.objects.get(proposal_id=merged.pk)),
        "merged_into": {"public_id": target.public_id, "title": "La que reúne"},
        "author": {
            "public_name": author.public_name,
            "public_id": author.public_id,
            "deleted_at": author.deleted_at,
            "display_name": author.display_name,
        },
        "phases": [p.pk for p in _phases_in_order(consultation.pk)],
    }
    with django_assert_num_queries(0):
        got = {
            "proposal": _fields(read),
            "consultation": _fields(read.consultation),
            "plan": _fields(read.consultation.plan),
            "organisation": _fields(read.organisation),
            "policy_area": _fields(read.policy_area),
            "workshop": _fields(read.workshop),
            "response": _fields(read.response),
            "merged_into": {
                "public_id": read.response.merged_into.public_id,
                "title": read.response.merged_into.title,
            },
            "author": {
                "public_name": read.author.public_name,
                "public_id": read.author.public_id,
                "deleted_at": read.author.deleted_at,
                "display_name": read.author.display_name,
            },
            "phases": [p.pk for p in read.consultation.ordered_phases()],
        }
    assert got == expected
    # The account's private fields are not read with it.
    assert {"email", "password"} <= read.author.get_deferred_fields()


def test_an_answer_lists_the_commitments_it_adopted_the_proposal_into(personas):
    plan = build_plan(commitments=3)
    first, _second, third = plan.commitments.order_by("number_sort")
    proposal = partly_adopted_proposal(plan, [third, first], personas)
    read = selectors.response_commitments(
        proposal=selectors.proposal_get(public_id=proposal.public_id)
    )
    link = Response.commitments.through.objects.filter(response__proposal_id=proposal.pk)
    expected = sorted(
        (Commitment.objects.get(pk=row.commitment_id) for row in link), key=lambda c: c.number
    )
    assert [
        {"number": c.number, "slug": c.slug, "title": c.title, "plan": c.plan.slug} for c in read
    ] == [
        {
            "number": c.number,
            "slug": c.slug,
            "title": c.title,
            "plan": ActionPlan.objects.get(pk=c.plan_id).slug,
        }
        for c in expected
    ]
    assert len(read) == 2 and first.number != third.number


def test_a_proposals_comments_are_threads_of_its_comments_and_replies(
    personas, django_assert_num_queries
):
    consultation = open_consultation(build_plan(commitments=1))
    proposal = _proposal(consultation, personas["citizen"])
    other = _proposal(consultation, personas["citizen"], title="Otra")
    first = services.comment_add(
        actor=personas["cso_member"], proposal=proposal, body="Primero **sí**"
    )
    second = services.comment_add(actor=personas["citizen"], proposal=proposal, body="Segundo")
    services.comment_add(
        actor=personas["citizen"], proposal=proposal, body="Respuesta", parent=first
    )
    services.comment_add(actor=personas["cso_member"], proposal=other, body="De otra propuesta")
    services.content_hide(
        actor=personas["moderator"], target=second, reason="personal_data", note="Nota"
    )
    Comment.objects.filter(pk=second.pk).update(author=None)
    threads = selectors.proposal_threads(proposal=proposal)

    def expected(comment: Comment) -> dict:
        author = User.objects.filter(pk=comment.author_id).first()
        return {
            "public_id": comment.public_id,
            "author_id": comment.author_id,
            "author": author.display_name if author else None,
            "body_markup": comment.body_markup,
            "created_at": comment.created_at,
            "hidden_at": comment.hidden_at,
            "hidden_reason_label": str(
                dict(Comment.HideReason.choices).get(comment.hidden_reason, "")
            ),
            "hidden_note": comment.hidden_note,
        }

    def shown(comment: Comment) -> dict:
        return {
            "public_id": comment.public_id,
            "author_id": comment.author_id,
            "author": comment.author.display_name if comment.author else None,
            "body_markup": comment.body_markup,
            "created_at": comment.created_at,
            "hidden_at": comment.hidden_at,
            "hidden_reason_label": comment.hidden_reason_label,
            "hidden_note": comment.hidden_note,
        }

    top = Comment.objects.filter(proposal_id=proposal.pk, parent__isnull=True).order_by(
        "created_at", "id"
    )
    want = [
        (
            expected(c),
            [
                expected(r)
                for r in Comment.objects.filter(parent_id=c.pk).order_by("created_at", "id")
            ],
        )
        for c in top
    ]
    with django_assert_num_queries(0):
        got = [(shown(t.comment), [shown(r) for r in t.replies]) for t in threads]
    assert got == want
    assert [len(replies) for _comment, replies in got] == [1, 0]


def test_the_proposals_that_shaped_a_commitment_read_what_the_section_shows(
    personas, institutions, django_assert_num_queries
):
    plan = build_plan(commitments=1)
    commitment = plan.commitments.get()
    consultation = open_consultation(plan)
    made = []
    for index, (author, organisation) in enumerate(
        [(personas["citizen"], None), (personas["cso_member"], institutions["cso"])]
    ):
        proposal = _proposal(
            consultation, author, title=f"Adoptada {index}", organisation=organisation
        )
        services.response_save(
            actor=personas["point_of_contact"],
            proposal=proposal,
            kind=["adopted", "partly_adopted"][index],
            reasons="Razones de la respuesta.",
            commitments=[commitment],
        )
        made.append(proposal)
    read = selectors.proposals_that_shaped(commitment=commitment)
    with django_assert_num_queries(0):
        got = [
            (
                p.public_id,
                p.title,
                p.author.display_name,
                p.organisation and p.organisation.name,
                p.response.kind,
            )
            for p in read
        ]
    assert got == [
        (
            p.public_id,
            p.title,
            User.objects.get(pk=p.author_id).display_name,
            Institution.objects.filter(pk=p.organisation_id).values_list("name", flat=True).first(),
            Response.objects.get(proposal_id=p.pk).kind,
        )
        for p in sorted(made, key=lambda p: p.created_at)
    ]


def test_my_proposals_and_the_open_flags_read_what_my_space_shows(
    personas, django_assert_num_queries
):
    consultation = open_consultation(build_plan(commitments=1))
    citizen = personas["citizen"]
    answered = _proposal(consultation, citizen, title="Contestada")
    waiting = _proposal(consultation, citizen, title="En espera")
    _proposal(consultation, personas["cso_member"], title="De otra persona")
    Response.objects.create(
        proposal=answered, kind="not_adopted", reasons="Razones.", answered_at=timezone.now()
    )
    comment = services.comment_add(actor=citizen, proposal=waiting, body="Un comentario aquí")
    services.flag_add(actor=personas["cso_member"], target=answered, reason="spam")
    services.flag_add(actor=personas["cso_member"], target=comment, reason="abuse")
    mine = selectors.my_proposals(user=citizen)
    flags = selectors.open_flags()
    with django_assert_num_queries(0):
        got_mine = [
            (p.public_id, p.consultation.title, p.response.kind if hasattr(p, "response") else None)
            for p in mine
        ]
        got_flags = [
            (
                f.reason,
                f.proposal.public_id if f.proposal_id else None,
                f.comment.public_id if f.comment_id else None,
                f.comment.proposal.title if f.comment_id else None,
            )
            for f in flags
        ]
    expected_mine = [
        (
            p.public_id,
            Consultation.objects.get(pk=p.consultation_id).title,
            Response.objects.filter(proposal_id=p.pk).values_list("kind", flat=True).first(),
        )
        for p in Proposal.objects.filter(author=citizen).order_by("-created_at")
    ]
    assert got_mine == expected_mine
    assert got_flags == [
        (
            f.reason,
            Proposal.objects.filter(pk=f.proposal_id).values_list("public_id", flat=True).first(),
            Comment.objects.filter(pk=f.comment_id).values_list("public_id", flat=True).first(),
            Proposal.objects.filter(comments__pk=f.comment_id)
            .values_list("title", flat=True)
            .first()
            if f.comment_id
            else None,
        )
        for f in Flag.objects.filter(resolved_at__isnull=True).order_by("created_at")
    ]


def test_the_standards_readings_are_each_organisations_latest(personas, institutions):
    plan = build_plan(commitments=1)
    cso = institutions["cso"]
    other = Institution.objects.create(
        member=plan.member, name="Otra red", slug="otra-red", kind="civil_society"
    )
    now = timezone.now()
    for standard, organisation, rating, days in [
        (4, cso, "not_met", 10),
        (4, cso, "met", 2),
        (4, other, "partly", 3),
        (1, cso, "met", 5),
    ]:
        StandardAssessment.objects.create(
            plan=plan,
            standard=standard,
            organisation=organisation,
            author=personas["cso_member"],
            rating=rating,
            reading=f"Lectura {standard} {rating} con detalle suficiente del estándar.",
            published_at=now - timedelta(days=days),
        )
    read = selectors.standard_assessments(plan_id=plan.pk)
    latest: dict = {}
    for row in StandardAssessment.objects.filter(plan_id=plan.pk):
        key = (row.standard, row.organisation_id)
        if key not in latest or row.published_at > latest[key].published_at:
            latest[key] = row
    expected = sorted(latest.values(), key=lambda a: a.published_at, reverse=True)
    assert [(_fields(a), a.organisation.name) for a in read] == [
        (_fields(a), Institution.objects.get(pk=a.organisation_id).name) for a in expected
    ]
