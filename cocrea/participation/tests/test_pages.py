"""The consultation's public pages: what they show, what they hide, their fixed cost in
queries, the standards panel's colours on data built to be green, amber and red, and the email
that tells a proposer their proposal was answered (through a real SMTP server on loopback)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocrea.participation import services
from cocrea.participation.models import Comment, Proposal, Response
from cocrea.participation.standards import AMBER, GREEN, RED, standards_panel, windows
from cocrea.participation.tests.factories import WorkshopFactory, answer, partly_adopted_proposal
from conftest import build_plan, make_person
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db


def test_script_in_markdown_is_neutralised(client, personas):
    consultation = open_consultation(build_plan(commitments=1))
    proposal = services.proposal_create(
        actor=personas["citizen"],
        consultation=consultation,
        title="Propuesta con guion",
        problem="<script>alert('x')</script> y un [enlace](javascript:alert(1)) **fuerte**",
        proposal="Texto normal y suficiente para la propuesta. <img src=x onerror=alert(1)>",
    )
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "<img" not in page
    assert "<strong>fuerte</strong>" in page


def test_a_comment_keeps_its_html_sanitised_from_when_it_was_saved(client, personas):
    consultation = open_consultation(build_plan(commitments=1))
    proposal = _proposal(consultation, personas["citizen"])
    comment = services.comment_add(
        actor=personas["cso_member"],
        proposal=proposal,
        body="<script>alert('x')</script> un [enlace](javascript:alert(1)) y **fuerte**",
    )
    comment.refresh_from_db()
    assert "<strong>fuerte</strong>" in comment.body_html
    assert "<script" not in comment.body_html
    assert 'href="javascript' not in comment.body_html
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "<strong>fuerte</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page


def test_a_comment_written_in_bulk_without_html_is_rendered_when_shown(client, personas):
    consultation = open_consultation(build_plan(commitments=1))
    proposal = _proposal(consultation, personas["citizen"])
    Comment.objects.bulk_create(
        [Comment(proposal=proposal, author=personas["citizen"], body="Muy **claro** <b>x</b>")]
    )
    assert Comment.objects.get().body_html == ""
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Muy <strong>claro</strong> &lt;b&gt;x&lt;/b&gt;" in page


def test_a_hidden_comment_shows_its_reason_to_all_and_its_text_to_its_author(client, personas):
    consultation = open_consultation(build_plan(commitments=1))
    proposal = _proposal(consultation, personas["citizen"])
    comment = services.comment_add(
        actor=personas["cso_member"], proposal=proposal, body="Texto con datos ajenos"
    )
    services.content_hide(actor=personas["moderator"], target=comment, reason="personal_data")
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Texto con datos ajenos" not in page
    assert "Datos personales de otra persona" in page or "Personal data" in page
    client.force_login(personas["cso_member"])
    assert "Texto con datos ajenos" in client.get(proposal.get_absolute_url()).content.decode()
    log = client.get("/moderacion/").content.decode()
    assert "Texto con datos ajenos" not in log


def test_the_list_filters_and_sorts_by_whitelists_only(client, personas):
    consultation = open_consultation(build_plan(commitments=1))
    popular = _proposal(consultation, personas["citizen"], title="Muy apoyada")
    _proposal(consultation, personas["citizen"], title="Sin apoyos", department="peten")
    Proposal.objects.filter(pk=popular.pk).update(support_count=9)
    url = f"/consultas/{consultation.slug}/propuestas/"
    page = client.get(url, {"orden": "apoyos"}).content.decode()
    assert page.index("Muy apoyada") < page.index("Sin apoyos")
    page = client.get(url, {"departamento": "peten"}).content.decode()
    assert "Sin apoyos" in page and "Muy apoyada" not in page
    # Unknown values are ignored, never passed to the database.
    response = client.get(url, {"orden": "author__email", "departamento": "x' OR 1=1"})
    assert response.status_code == 200
    assert "Muy apoyada" in response.content.decode()


def test_each_row_of_the_list_says_who_proposed_where_and_its_answer(
    client, personas, institutions
):
    from cocrea.plans.models import PolicyArea

    consultation = open_consultation(build_plan(commitments=1))
    area = PolicyArea.objects.filter(parent__isnull=False).order_by("position").first()
    workshop = WorkshopFactory(consultation=consultation)
    _proposal(consultation, personas["citizen"], title="De taller", workshop=workshop)
    _proposal(
        consultation, personas["cso_member"], title="De la red", organisation=institutions["cso"]
    )
    answered = _proposal(consultation, personas["citizen"], title="Con area", policy_area=area)
    Response.objects.create(
        proposal=answered, kind="not_adopted", reasons="Razones.", answered_at=timezone.now()
    )
    gone = make_person("Se fue")
    _proposal(consultation, gone, title="De alguien que se fue")
    type(gone).objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    hidden = _proposal(consultation, personas["citizen"], title="Oculta")
    Proposal.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="spam")
    html = client.get(f"/en/consultas/{consultation.slug}/propuestas/").content.decode()
    assert "From the workshop Taller de Cobán" in html
    assert f"{institutions['cso'].name} · Sociedad Civil" in html
    assert area.name_en in html and area.name_es not in html
    assert "badge--answer-not_adopted" in html
    assert html.count("Awaiting an answer") == 3  # workshop, network, deleted; not the hidden one
    assert "Deleted participant" in html and "Se fue" not in html
    assert "Hidden by a moderator: Spam" in html and ">Oculta<" not in html
    # The area filter offers every area by its English name, and keeps the one chosen.
    html = client.get(
        f"/en/consultas/{consultation.slug}/propuestas/", {"area": area.slug}
    ).content.decode()
    assert f'<option value="{area.slug}" selected>{area.name_en}</option>' in html
    assert ">De taller<" not in html and ">Con area<" in html


def test_the_list_dates_each_proposal_on_its_day_in_guatemala(client, personas):
    from datetime import UTC, datetime

    consultation = open_consultation(build_plan(commitments=1))
    late = _proposal(consultation, personas["citizen"], title="De noche")
    # 03:00 UTC on 2 March is 21:00 on 1 March in Guatemala (UTC-6).
    Proposal.objects.filter(pk=late.pk).update(created_at=datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    html = client.get(f"/en/consultas/{consultation.slug}/propuestas/").content.decode()
    assert '<time datetime="2026-03-01">' in html


def _bulk(consultation, author, count):
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                consultation=consultation,
                author=author,
                title=f"Propuesta {i}",
                problem="Un problema descrito con suficiente detalle.",
                proposal="Una propuesta descrita con suficiente detalle.",
                comment_count=2,
            )
            for i in range(count)
        ]
    )
    comments = Comment.objects.bulk_create(
        [Comment(proposal=p, author=author, body="Comentario") for p in proposals]
    )
    Comment.objects.bulk_create(
        [Comment(proposal=c.proposal, parent=c, author=author, body="Respuesta") for c in comments]
    )
    Response.objects.bulk_create(
        [
            Response(proposal=p, kind="not_adopted", reasons="Razones", answered_at=timezone.now())
            for p in proposals[::2]
        ]
    )
    return proposals


def _counts(client, consultation, proposal):
    counts = []
    for url in (
        consultation.get_absolute_url(),
        f"/consultas/{consultation.slug}/propuestas/",
        f"/consultas/{consultation.slug}/propuestas/?orden=comentarios&respuesta=sin-respuesta",
        proposal.get_absolute_url(),
        f"/planes/{consultation.plan.slug}/cocreacion/",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_list_shows_twenty_proposals_a_page_and_links_the_next(client, personas, settings):
    consultation = open_consultation(build_plan(commitments=1))
    _bulk(consultation, personas["citizen"], 45)
    url = f"/en/consultas/{consultation.slug}/propuestas/"
    first = client.get(url).content.decode()
    assert settings.COCREA_PROPOSALS_PAGE_SIZE == 20
    assert first.count('<a href="/en/propuestas/') == 20
    assert "Page 1 of 3" in first and 'rel="next"' in first
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count('<a href="/en/propuestas/') == 5 and 'rel="next"' not in last


def test_pages_cost_the_same_queries_at_10_and_1000_proposals_with_comments(client, personas):
    small = open_consultation(build_plan(commitments=2, slug="small", number=1))
    large = open_consultation(build_plan(commitments=2, slug="large", number=2))
    few = _bulk(small, personas["citizen"], 10)
    many = _bulk(large, personas["citizen"], 1000)
    assert _counts(client, small, few[0]) == _counts(client, large, many[0])


def _plan_with_process(*, forum_meetings, civil_society_meetings, notice_days, answered):
    """A plan that began over two years ago, its consultation, forum and meetings."""
    from cocrea.forum.models import Forum, ForumSeat, Meeting
    from cocrea.participation.models import Consultation, Phase
    from cocrea.plans.models import Institution

    today = timezone.localdate()
    start = today - timedelta(days=800)
    plan = build_plan(
        commitments=1, start_date=start, end_date=start + timedelta(days=1100), slug="p", number=9
    )
    proposals_open = start - timedelta(days=100)
    consultation = Consultation.objects.create(
        plan=plan,
        slug="c",
        title="Consulta",
        published_at=timezone.make_aware(
            timezone.datetime.combine(
                proposals_open - timedelta(days=notice_days), timezone.datetime.min.time()
            )
        ),
    )
    Phase.objects.create(
        consultation=consultation,
        kind="information",
        starts_on=proposals_open - timedelta(days=10),
        ends_on=proposals_open - timedelta(days=1),
    )
    Phase.objects.create(
        consultation=consultation,
        kind="proposals",
        starts_on=proposals_open,
        ends_on=proposals_open + timedelta(days=30),
    )
    author = None
    for index in range(4):
        proposal = Proposal.objects.create(
            consultation=consultation,
            author=author,
            title=f"Propuesta {index}",
            problem="Un problema descrito con suficiente detalle.",
            proposal="Una propuesta descrita con suficiente detalle.",
        )
        if index < answered:
            Response.objects.create(
                proposal=proposal,
                kind="not_adopted",
                reasons="Razones suficientes y claras.",
                answered_at=timezone.now(),
            )
    forum = Forum.objects.create(member=plan.member, name="Foro", slug="foro", rules="Reglas")
    for kind in (Institution.Kind.GOVERNMENT, Institution.Kind.CIVIL_SOCIETY):
        institution = Institution.objects.create(
            member=plan.member, name=f"I {kind}", slug=f"i-{kind}", kind=kind
        )
        ForumSeat.objects.create(
            forum=forum,
            institution=institution,
            sector="government" if kind == "government" else "non_government",
            role="member",
            start_date=start - timedelta(days=400),
        )

    def meeting(day, kind):
        at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
        Meeting.objects.create(
            forum=forum,
            plan=plan,
            kind=kind,
            status="held",
            title=f"Reunión {day}",
            starts_at=at + timedelta(hours=10),
            agenda="Agenda",
            announced_at=at - timedelta(days=30),
            schedule_changed_at=at - timedelta(days=30),
        )

    cocreation_start = proposals_open - timedelta(days=10)
    for span_start, _end in windows(cocreation_start, today, 6)[:forum_meetings]:
        meeting(span_start + timedelta(days=5), "forum")
    for year_start, _end in windows(start, today, 12)[:civil_society_meetings]:
        meeting(year_start + timedelta(days=10), "civil_society")
        meeting(year_start + timedelta(days=100), "civil_society")
    return plan


def _colours(plan):
    panel = standards_panel(plan=plan)
    return {standard.number: standard for standard in panel.standards}


def test_the_panel_is_green_where_the_process_met_each_minimum(db):
    standards = _colours(
        _plan_with_process(forum_meetings=99, civil_society_meetings=99, notice_days=20, answered=4)
    )
    assert standards[1].status == GREEN
    assert standards[3].status in (GREEN, AMBER)  # no workshop: outreach only partly shown
    assert standards[3].checks[0].status == GREEN
    assert standards[4].status == GREEN
    assert standards[5].status == GREEN


def test_the_panel_is_amber_where_the_process_met_part_of_each_minimum(db):
    standards = _colours(
        _plan_with_process(forum_meetings=2, civil_society_meetings=1, notice_days=5, answered=2)
    )
    assert standards[1].checks[1].status == AMBER
    assert standards[3].checks[0].status == AMBER
    assert standards[4].status == AMBER
    assert standards[5].status == AMBER


def test_the_panel_is_red_where_nothing_shows_the_minimum(db):
    standards = _colours(
        _plan_with_process(forum_meetings=0, civil_society_meetings=0, notice_days=-3, answered=0)
    )
    assert standards[1].checks[1].status == RED
    assert standards[3].checks[0].status == RED
    assert standards[4].status == RED
    assert standards[5].status == RED


def test_six_month_windows_cover_the_period():
    spans = windows(date(2023, 1, 1), date(2024, 2, 1), 6)
    assert spans == [
        (date(2023, 1, 1), date(2023, 7, 1)),
        (date(2023, 7, 1), date(2024, 1, 1)),
        (date(2024, 1, 1), date(2024, 7, 1)),
    ]


def test_the_proposer_is_told_by_email_once_the_answer_is_committed(
    smtp, personas, django_capture_on_commit_callbacks
):
    proposal = _proposal(open_consultation(build_plan(commitments=1)), personas["citizen"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.response_save(
            actor=personas["point_of_contact"],
            proposal=proposal,
            kind="not_adopted",
            reasons="Ya existe un compromiso equivalente.",
        )
    assert smtp.messages == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == personas["citizen"].email
    body = message.get_payload(decode=True).decode()
    assert proposal.get_absolute_url() in body
    assert "No adoptada" in body or "Not adopted" in body


def test_repository_updates_count_public_events_of_the_plan_and_its_commitments_only(personas):
    from cocrea.audit.models import AuditEvent
    from cocrea.audit.selectors import public_updates
    from cocrea.plans.models import Commitment
    from cocrea.plans.services import commitment_save

    plan = build_plan(commitments=1, slug="mine", number=1)
    other = build_plan(commitments=1, slug="other", number=2)
    for changed in (plan.commitments.first(), other.commitments.first()):
        changed.title = "Título corregido"
        commitment_save(actor=personas["point_of_contact"], commitment=changed)
    now = timezone.now()
    windows = [
        (now - timedelta(days=1), now + timedelta(days=1)),
        (now - timedelta(days=9), now - timedelta(days=2)),
    ]
    mine = plan.commitments.first()
    for commitments in (
        [str(mine.pk)],
        Commitment.objects.filter(plan=plan),
    ):
        updates = public_updates(
            contexts={"plans.actionplan": [str(plan.pk)], "plans.commitment": commitments},
            windows=windows,
        )
        assert updates.per_window == [1, 0]
        newest = AuditEvent.objects.filter(context_id=str(mine.pk), public=True).latest("id")
        assert updates.latest == newest.created_at
    assert public_updates(contexts={"plans.commitment": []}, windows=windows).per_window == [0, 0]


def test_repository_updates_count_an_event_at_a_window_start_in_that_window(personas):
    """Windows are half-open: an event stamped at exactly a boundary, to the whole second,
    belongs to the window that starts there, on SQLite (stored as text without a zone) as on
    PostgreSQL."""
    from cocrea.audit.models import AuditEvent
    from cocrea.audit.selectors import public_updates
    from cocrea.plans.services import commitment_save

    plan = build_plan(commitments=1, slug="boundary", number=1)
    commitment = plan.commitments.first()
    commitment.title = "Título corregido"
    commitment_save(actor=personas["point_of_contact"], commitment=commitment)
    boundary = timezone.now().replace(microsecond=0) - timedelta(days=3)
    events = AuditEvent.objects.filter(context_id=str(commitment.pk), public=True)
    assert events.update(created_at=boundary) == 1
    windows = [
        (boundary - timedelta(days=1), boundary),
        (boundary, boundary + timedelta(days=1)),
    ]
    updates = public_updates(contexts={"plans.commitment": [str(commitment.pk)]}, windows=windows)
    assert updates.per_window == [0, 1]


def test_moderation_addresses_of_an_unknown_kind_are_not_found(client, personas):
    proposal = _proposal(open_consultation(build_plan(commitments=1)), personas["citizen"])
    client.force_login(personas["moderator"])
    for action in ("ocultar", "denunciar"):
        url = f"/moderacion/usuarios/{proposal.public_id}/{action}/"
        assert client.get(url).status_code == 404


def test_a_proposal_of_an_unpublished_consultation_is_not_found(client, personas):
    consultation = open_consultation(build_plan(commitments=1))
    proposal = _proposal(consultation, personas["citizen"])
    consultation.published_at = None
    consultation.save()
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.get(consultation.get_absolute_url()).status_code == 404


def test_the_proposals_that_shaped_a_commitment_are_its_adopted_visible_ones(personas):
    from cocrea.participation.selectors import proposals_that_shaped

    plan = build_plan(commitments=2)
    consultation = open_consultation(plan)
    first, second = plan.commitments.order_by("number_sort")
    contact = personas["point_of_contact"]

    def answered(title, kind, commitments=()):
        proposal = _proposal(consultation, personas["citizen"], title=title)
        services.response_save(
            actor=contact,
            proposal=proposal,
            kind=kind,
            reasons="Razones de la respuesta.",
            commitments=commitments,
        )
        return proposal

    assert proposals_that_shaped(commitment=first) == []
    answered("Rechazada", "not_adopted")
    adopted = answered("Adoptada", "adopted", [first])
    partly = answered("En parte", "partly_adopted", [first, second])
    answered("De otro compromiso", "adopted", [second])
    hidden = answered("Oculta", "adopted", [first])
    services.content_hide(actor=personas["moderator"], target=hidden, reason="spam")
    assert proposals_that_shaped(commitment=first) == [adopted, partly]
    assert len(proposals_that_shaped(commitment=second)) == 2


def test_an_adopted_proposal_links_the_commitments_it_went_into(client, personas):
    plan = build_plan(commitments=2)
    first, second = plan.commitments.order_by("number_sort")
    proposal = partly_adopted_proposal(plan, [second, first], personas)
    html = client.get(f"/en{proposal.get_absolute_url()}").content.decode()
    links = [
        f'<a href="/en/planes/{plan.slug}/compromisos/{c.slug}/">{c.number}. {c.title}</a>'
        for c in (first, second)
    ]
    assert "Adopted into:" in html
    assert links[0] in html and links[1] in html
    assert html.index(links[0]) < html.index(links[1])  # in the plan's order


def test_a_merged_proposal_links_to_the_one_it_was_merged_into(client, personas):
    consultation = open_consultation(build_plan(commitments=1))
    target = _proposal(consultation, personas["cso_member"], title="Propuesta que reúne")
    merged = _proposal(consultation, personas["citizen"], title="Propuesta parecida")
    answer(merged, personas, "merged", "Dice lo mismo que otra propuesta.", merged_into=target)
    with CaptureQueriesContext(connection) as merged_queries:
        html = client.get(f"/en/propuestas/{merged.public_id}/").content.decode()
    link = f'<a href="/en/propuestas/{target.public_id}/">Propuesta que reúne</a>'
    assert f"Merged into: {link}" in html
    with CaptureQueriesContext(connection) as plain_queries:
        html = client.get(f"/en/propuestas/{target.public_id}/").content.decode()
    assert "Merged into:" not in html
    assert len(merged_queries) == len(plain_queries)  # the merge target, read with the answer


def test_a_consultation_comes_with_its_phases_read_once(personas, django_assert_num_queries):
    from cocrea.participation.models import Phase
    from cocrea.participation.selectors import consultation_get, consultation_of_plan

    plan = build_plan(commitments=1)
    consultation = open_consultation(plan)
    expected = sorted(consultation.phases.all(), key=lambda p: (p.starts_on, p.position))
    assert expected  # the helper opens a timeline
    for read in (
        consultation_get(slug=consultation.slug, user=personas["citizen"]),
        consultation_of_plan(plan_id=plan.pk),
    ):
        with django_assert_num_queries(0):
            phases = read.ordered_phases()
            assert read.phase_on(timezone.localdate()) is not None
        assert [(p.pk, p.kind, p.starts_on, p.ends_on) for p in phases] == [
            (p.pk, p.kind, p.starts_on, p.ends_on) for p in expected
        ]
        assert all(isinstance(p, Phase) and isinstance(p.starts_on, date) for p in phases)
