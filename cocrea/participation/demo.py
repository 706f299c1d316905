"""Demonstration co-creation data for `manage.py seed_demo` (listed in COCREA_DEMO_SEEDERS): the
consultation that preceded the current plan, with its timeline, proposals from several
departments (one from an in-person workshop), comments and replies, supports, and an answer of
every kind, one proposal left unanswered, and a hidden comment. Every text says it is a
demonstration.

The consultation happened before the plan began, so its rows carry those past dates. The
services refuse what the rules refuse today (nobody proposes outside the proposal phase), so
this history is written directly, in one transaction, and is not in the audit log; nothing in
it pretends to be a real person's words.

The next plan's consultation is the living one: published, and taking proposals on the day the
demo is loaded (its dates are counted from the next plan's, which seed_demo dates from that
day), so a signed-in citizen can propose, support and comment at once. Its proposals, supports,
comments and answers are written through the services, as people would, and their rows' dates
are then spread over the weeks the phase has been open (the audit log keeps the day they were
loaded). Safe to run again: each part does nothing once its consultation exists."""

from datetime import date, datetime, time, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cocrea.accounts.models import User
from cocrea.forum.demo import _contact
from cocrea.participation import services
from cocrea.participation.models import (
    Comment,
    Consultation,
    Department,
    Phase,
    Proposal,
    Response,
    Support,
    Workshop,
)
from cocrea.participation.services import consultation_figures_refresh
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.management import demo_data, demo_local
from cocrea.plans.models import ActionPlan, Commitment, Institution, PolicyArea

NOTE = "Demostración:"
TIMELINE = [  # kind, days from the plan's start (negative: before), length in days
    (Phase.Kind.INFORMATION, -150, 14),
    (Phase.Kind.PROPOSALS, -135, 30),
    (Phase.Kind.DELIBERATION, -104, 20),
    (Phase.Kind.DRAFTING, -83, 30),
    (Phase.Kind.VALIDATION, -52, 14),
    (Phase.Kind.RESPONSE, -37, 30),
]
PROPOSALS = [
    ("Datos abiertos de compras municipales", Department.QUETZALTENANGO, "Quetzaltenango"),
    ("Consulta en idiomas mayas sobre salud", Department.QUICHE, "Santa Cruz del Quiché"),
    ("Presupuesto escolar visible para las familias", Department.ALTA_VERAPAZ, "Cobán"),
    ("Registro público de permisos ambientales", Department.IZABAL, "Puerto Barrios"),
    ("Seguimiento ciudadano de obras de agua", Department.HUEHUETENANGO, "Huehuetenango"),
    ("Mesa de diálogo sobre migración", Department.SAN_MARCOS, "San Marcos"),
    ("Portal de becas y subsidios", Department.GUATEMALA, "Guatemala"),
    ("Audiencias públicas sobre contrataciones", Department.ESCUINTLA, "Escuintla"),
]
ANSWERS: list[str | None] = [
    Response.Kind.ADOPTED,
    Response.Kind.PARTLY_ADOPTED,
    Response.Kind.ADOPTED,
    Response.Kind.NOT_ADOPTED,
    Response.Kind.MERGED,
    Response.Kind.OUT_OF_SCOPE,
    Response.Kind.NOT_ADOPTED,
    None,  # still unanswered: the standards panel shows the gap
]


def _person(username: str, public_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, email=f"{username}@demo.invalid", public_name=public_name
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _at(day: Any, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed(stdout: Any, today: date | None = None) -> None:
    _past(stdout)
    _open(stdout, today or timezone.localdate())
    _open_local(today or timezone.localdate())


# The OGP Local member's consultation (plans/management/demo_local.py): its next plan's, taking
# proposals today, on the national one's timeline.
LOCAL_PROPOSALS = [
    ("Horarios y turnos del mercado municipal en línea", Department.QUETZALTENANGO),
    ("Alumbrado público: reportes vecinales con respuesta", Department.QUETZALTENANGO),
]


def _open_consultation(
    following: ActionPlan, contact: Any, anchor: date, description: str
) -> Consultation:
    """The next plan's consultation, its timeline (the proposal phase open today) published
    on the day the timeline says."""
    consultation = services.consultation_save(
        actor=contact,
        consultation=Consultation(
            plan=following,
            slug=f"consulta-{following.slug}",
            title=f"Consulta para el {following.title}",
            description=description,
        ),
    )
    for kind, first, last in OPEN_TIMELINE:
        services.phase_save(
            actor=contact,
            phase=Phase(
                consultation=consultation,
                kind=kind,
                starts_on=anchor + timedelta(days=first),
                ends_on=anchor + timedelta(days=last),
            ),
        )
    services.consultation_publish(actor=contact, consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        published_at=_when(anchor, PUBLISHED, timezone.now())
    )
    consultation.refresh_from_db()
    return consultation


def _open_local(today: date) -> None:
    following = (
        ActionPlan.objects.filter(member__code=demo_local.CODE, number=2)
        .select_related("member")
        .first()
    )
    if (
        following is None
        or following.start_date <= today
        or Consultation.objects.filter(plan=following).exists()
    ):
        return
    months = 12 * demo_data.PLAN_YEARS - demo_data.MONTHS_INTO_CURRENT
    anchor = demo_data.add_months(following.start_date, -months)
    quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with quiet, transaction.atomic():
        contact = demo_local.contact(following.member)
        consultation = _open_consultation(
            following,
            contact,
            anchor,
            f"{NOTE} consulta de un municipio inventado para la demostración: envíe su "
            "propuesta para el próximo plan local mientras la fase de propuestas esté abierta.",
        )
        now = timezone.now()
        neighbour = _person("demo-participante-1", "Participante 1 (demostración)")
        for index, (title, department) in enumerate(LOCAL_PROPOSALS):
            proposal = services.proposal_create(
                actor=neighbour,
                consultation=consultation,
                title=title,
                problem=f"{NOTE} problema escrito para la demostración.",
                proposal=f"{NOTE} propuesta escrita para la demostración.",
                policy_area=None,
                department=department,
                municipality="Municipio de Ejemplo",
            )
            Proposal.objects.filter(pk=proposal.pk).update(
                created_at=_when(anchor, -20 + index * 5, now)
            )
        consultation_figures_refresh(consultation=consultation)


def _past(stdout: Any) -> None:
    _, plan = plan_selectors.home_plan()
    if plan is None or Consultation.objects.filter(plan=plan).exists():
        return
    commitments = list(Commitment.objects.filter(plan=plan).order_by("number_sort")[:3])
    areas = list(PolicyArea.objects.filter(parent__isnull=False).order_by("position")[:8])
    cso = (
        Institution.objects.filter(member_id=plan.member_id, kind=Institution.Kind.CIVIL_SOCIETY)
        .order_by("name")
        .first()
    )
    start = plan.start_date
    with transaction.atomic():
        consultation = Consultation.objects.create(
            plan=plan,
            slug=f"consulta-{plan.slug}",
            title=f"Consulta para el {plan.title}",
            description=f"{NOTE} propuestas en línea y en talleres departamentales; el punto de "
            "contacto responde cada propuesta con sus razones.",
        )
        for kind, offset, length in TIMELINE:
            begins = start + timedelta(days=offset)
            Phase.objects.create(
                consultation=consultation,
                kind=kind,
                starts_on=begins,
                ends_on=begins + timedelta(days=length - 1),
            )
        proposals_open = start + timedelta(days=-135)
        # Published 16 days before proposals opened: the notice the standards ask for.
        Consultation.objects.filter(pk=consultation.pk).update(
            published_at=_at(proposals_open - timedelta(days=16))
        )
        people = [
            _person(f"demo-participante-{i}", f"Participante {i} (demostración)")
            for i in range(1, 6)
        ]
        contact = _person("demo-punto-de-contacto", "Punto de contacto (demostración)")
        workshop = Workshop.objects.create(
            consultation=consultation,
            title="Taller departamental de Sololá",
            held_on=proposals_open + timedelta(days=10),
            place="Salón municipal, Sololá",
            department=Department.SOLOLA,
            municipality="Sololá",
            participants=34,
            notes=f"{NOTE} taller presencial con organizaciones comunitarias.",
            recorded_by=contact,
        )
        created = []
        for index, (title, department, municipality) in enumerate(PROPOSALS):
            author = people[index % len(people)]
            proposal = Proposal.objects.create(
                consultation=consultation,
                author=contact if index == 1 else author,
                workshop=workshop if index == 1 else None,
                organisation=cso if index == 2 else None,
                title=title,
                problem=f"{NOTE} descripción del problema escrita para la demostración, no "
                "tomada de una propuesta real.",
                proposal=f"{NOTE} propuesta escrita para la demostración.",
                policy_area=areas[index % len(areas)] if areas else None,
                department=department,
                municipality=municipality,
            )
            Proposal.objects.filter(pk=proposal.pk).update(
                created_at=_at(proposals_open + timedelta(days=2 + index * 3))
            )
            proposal.refresh_from_db()
            created.append(proposal)
        for index, proposal in enumerate(created):
            supporters = people[: (index % 4) + 1]
            for person in supporters:
                Support.objects.create(proposal=proposal, user=person)
            first = Comment.objects.create(
                proposal=proposal,
                author=people[(index + 1) % len(people)],
                body=f"{NOTE} comentario de apoyo con una pregunta.",
            )
            Comment.objects.create(
                proposal=proposal,
                parent=first,
                author=proposal.author,
                body=f"{NOTE} respuesta de quien propuso.",
            )
            Proposal.objects.filter(pk=proposal.pk).update(
                support_count=len(supporters), comment_count=2
            )
        hidden = Comment.objects.create(
            proposal=created[0],
            author=people[4],
            body=f"{NOTE} comentario que la moderación ocultó.",
        )
        Comment.objects.filter(pk=hidden.pk).update(
            hidden_at=_at(proposals_open + timedelta(days=20)),
            hidden_reason=Comment.HideReason.PERSONAL_DATA,
            hidden_note="Incluía el teléfono de otra persona.",
        )
        Proposal.objects.filter(pk=created[0].pk).update(comment_count=3)
        answered_on = start + timedelta(days=-30)
        for index, (proposal, answer) in enumerate(zip(created, ANSWERS, strict=True)):
            if answer is None:
                continue
            response = Response.objects.create(
                proposal=proposal,
                kind=answer,
                reasons=f"{NOTE} razones de la respuesta, escritas para la demostración.",
                merged_into=created[0] if answer == Response.Kind.MERGED else None,
                author=contact,
                answered_at=_at(answered_on + timedelta(days=index)),
            )
            if answer in Response.INTO_COMMITMENTS and commitments:
                response.commitments.set([commitments[index % len(commitments)]])
        consultation_figures_refresh(consultation=consultation)
    stdout.write(f"Demo consultation: {len(created)} proposals for {plan.title}.")


# The next plan's consultation, counted in days from the first of the month the demo was dated
# from (`anchor`; the day it is loaded falls in the month after it): proposals opened 25 days
# before and close 45 days after, so they are open on any day of that month.
OPEN_TIMELINE = [
    (Phase.Kind.INFORMATION, -44, -26),
    (Phase.Kind.PROPOSALS, -25, 45),
    (Phase.Kind.DELIBERATION, 46, 65),
    (Phase.Kind.DRAFTING, 66, 95),
    (Phase.Kind.VALIDATION, 96, 109),
    (Phase.Kind.RESPONSE, 110, 139),
]
PUBLISHED = -45  # 20 days before proposals open: the notice the standards ask for
# (title, department, municipality, answer): answered as they arrive, some not yet.
OPEN_PROPOSALS: list[tuple[str, str, str, str | None]] = [
    ("Mapa abierto de las escuelas sin agua potable", Department.PETEN, "Flores",
     Response.Kind.MERGED),
    ("Calendario público de las obras viales del departamento", Department.TOTONICAPAN,
     "Totonicapán", None),
    ("Datos abiertos sobre tiempos de espera en los hospitales", Department.CHIQUIMULA,
     "Chiquimula", None),
    ("Registro público de las ayudas por sequía", Department.JUTIAPA, "Jutiapa",
     Response.Kind.NOT_ADOPTED),
    ("Consultas en línea sobre el presupuesto municipal", Department.RETALHULEU, "Retalhuleu",
     None),
    ("Abastecimiento de agua en las escuelas", Department.ALTA_VERAPAZ, "Cobán", None),
    ("Información accesible en lenguas mayas sobre los trámites", Department.TOTONICAPAN,
     "Momostenango", Response.Kind.OUT_OF_SCOPE),
    ("Seguimiento ciudadano de las compras de medicamentos", Department.ZACAPA, "Zacapa", None),
]  # fmt: skip
OPEN_REASONS: dict[str, str] = {
    Response.Kind.MERGED: "se une a la propuesta sobre el agua en las escuelas, que plantea "
    "lo mismo.",
    Response.Kind.NOT_ADOPTED: "el registro ya existe y se publica cada mes; se enlazará "
    "desde el plan.",
    Response.Kind.OUT_OF_SCOPE: "no depende del Organismo Ejecutivo; se traslada a las "
    "municipalidades.",
}


def _when(anchor: date, days: float, now: datetime) -> datetime:
    """The moment `days` after the anchor's 9:00, never later than now."""
    return min(_at(anchor, 9) + timedelta(days=days), now)


def _open(stdout: Any, today: date) -> None:
    _, current = plan_selectors.home_plan()
    following = (
        ActionPlan.objects.filter(member=current.member, number=current.number + 1).first()
        if current
        else None
    )
    if (
        following is None
        or following.start_date <= today
        or Consultation.objects.filter(plan=following).exists()
    ):
        return
    months = 12 * demo_data.PLAN_YEARS - demo_data.MONTHS_INTO_CURRENT
    anchor = demo_data.add_months(following.start_date, -months)
    # The answers would email the demonstration people (at .invalid addresses): not sent.
    quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with quiet, transaction.atomic():
        contact = _contact(following.member)
        consultation = _open_consultation(
            following,
            contact,
            anchor,
            f"{NOTE} envíe su propuesta en línea mientras la fase de propuestas esté abierta, "
            "o en los talleres departamentales. El punto de contacto responde cada propuesta "
            "con sus razones.",
        )
        now = timezone.now()
        people = [
            _person(f"demo-participante-{i}", f"Participante {i} (demostración)")
            for i in range(1, 6)
        ]
        areas = list(PolicyArea.objects.filter(parent__isnull=False).order_by("position")[:8])
        created: list[Proposal] = []
        for index, (title, department, municipality, _answer) in enumerate(OPEN_PROPOSALS):
            proposal = services.proposal_create(
                actor=people[index % len(people)],
                consultation=consultation,
                title=title,
                problem=f"{NOTE} descripción del problema escrita para la demostración, no "
                "tomada de una propuesta real.",
                proposal=f"{NOTE} propuesta escrita para la demostración.",
                policy_area=areas[(index + 3) % len(areas)] if areas else None,
                department=department,
                municipality=municipality,
            )
            day = -23 + index * 3  # one every three days since proposals opened
            Proposal.objects.filter(pk=proposal.pk).update(created_at=_when(anchor, day, now))
            created.append(proposal)
            for offset, person in enumerate(people[: (index * 3) % 5]):
                if person.pk != proposal.author_id:
                    services.support_add(actor=person, proposal=proposal)
                    Support.objects.filter(proposal=proposal, user=person).update(
                        created_at=_when(anchor, day + 1 + offset / 4, now)
                    )
            if index % 3 == 2:
                continue  # a few without comments yet
            question = services.comment_add(
                actor=people[(index + 1) % len(people)],
                proposal=proposal,
                body=f"{NOTE} comentario con una pregunta a quien propuso.",
            )
            answer = services.comment_add(
                actor=proposal.author,
                proposal=proposal,
                parent=question,
                body=f"{NOTE} respuesta de quien propuso.",
            )
            Comment.objects.filter(pk=question.pk).update(created_at=_when(anchor, day + 1, now))
            Comment.objects.filter(pk=answer.pk).update(created_at=_when(anchor, day + 2, now))
        for index, (proposal, row) in enumerate(zip(created, OPEN_PROPOSALS, strict=True)):
            answer_kind = row[3]
            if answer_kind is None:
                continue
            response = services.response_save(
                actor=contact,
                proposal=proposal,
                kind=answer_kind,
                reasons=f"{NOTE} {OPEN_REASONS[answer_kind]}",
                merged_into=created[5] if answer_kind == Response.Kind.MERGED else None,
            )
            Response.objects.filter(pk=response.pk).update(
                answered_at=_when(anchor, -23 + index * 3 + 6, now)
            )
        consultation_figures_refresh(consultation=consultation)
    stdout.write(f"Demo consultation open: {len(created)} proposals for {following.title}.")
