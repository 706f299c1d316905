"""Demonstration forum for `manage.py seed_demo` (listed in COCREA_DEMO_SEEDERS): Guatemala's
Comité Técnico de Gobierno Abierto with eight government and eight non-government seats, its
rules, and meetings across the current plan's co-creation and implementation, one every few
months (each half-year has its forum meeting), and the session that opened the next plan's
co-creation, written through the services by the demonstration point of contact. Every text says
it is a demonstration; the dates follow the plan's. Civil society's results meetings were held
twice in the first year; the first of the second year was cancelled, so the co-creation
standards (standard 5) show a gap once that year ends. Safe to run again: it does nothing once
the forum exists."""

from datetime import date, datetime, time, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils import timezone

from cocrea.accounts.models import RoleGrant, User
from cocrea.accounts.services import role_grant
from cocrea.forum import services
from cocrea.forum.models import Forum, ForumSeat, Meeting
from cocrea.plans import selectors as plan_selectors
from cocrea.plans import services as plan_services
from cocrea.plans.models import ActionPlan, Institution, Member

NOTE = "Demostración:"
SLUG = "comite-tecnico-de-gobierno-abierto"
GOVERNMENT = ["gae", "mingob", "mineduc", "mspas", "marn", "minfin", "segeplan", "cgc"]
NON_GOVERNMENT = ["red-ciudadana", "accion-ciudadana", "guatecambia", "usac", "cost-guatemala"]
# Seats for which the demo institutions have no organisation: invented, and named as such.
EXTRA = [
    ("colectivo-juvenil-demo", "Colectivo Juvenil por la Transparencia (demostración)"),
    ("red-mujeres-demo", "Red de Mujeres por la Participación (demostración)"),
    ("camara-empresarial-demo", "Cámara Empresarial (demostración)"),
]
LINK = "https://www.opengovpartnership.org/members/guatemala/"

MANDATE = f"""{NOTE} texto escrito para la demostración, no tomado del acuerdo real.

El Comité Técnico de Gobierno Abierto acompaña la cocreación, la implementación y el
seguimiento de los planes de acción de Guatemala ante la Alianza para el Gobierno Abierto."""

RULES = f"""{NOTE} reglamento escrito para la demostración.

### Integración
- Hasta ocho instituciones públicas y hasta ocho organizaciones no gubernamentales.
- Las organizaciones eligen a sus representantes en una convocatoria abierta y pública.

### Decisiones
- Se decide por consenso; si no lo hay, por mayoría de cada sector.
- Las actas se publican en esta plataforma en un plazo de diez días.

### Participación del público
- Las sesiones se anuncian con al menos quince días de anticipación.
- Dos veces al año se presentan los resultados a la sociedad civil y se escuchan sus comentarios.
"""


def _contact(member: Member) -> User:
    """The demonstration point of contact (the same account tracking's demo uses), who cannot
    log in, with the two-factor authentication the rules ask of staff."""
    user = User.objects.filter(username="demo-punto-de-contacto").first()
    if user is None:
        user = User.objects.create_user(
            username="demo-punto-de-contacto",
            email="demo-punto-de-contacto@demo.invalid",
            public_name="Punto de contacto (demostración)",
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    role_grant(actor=None, user=user, role=RoleGrant.Role.POINT_OF_CONTACT, member=member)
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def _months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _institutions(member: Member) -> tuple[list[Institution], list[Institution]]:
    by_slug = {i.slug: i for i in Institution.objects.filter(slug__in=GOVERNMENT + NON_GOVERNMENT)}
    government = [by_slug[s] for s in GOVERNMENT if s in by_slug]
    others = [by_slug[s] for s in NON_GOVERNMENT if s in by_slug]
    for slug, name in EXTRA[: max(0, 8 - len(others))]:
        institution = Institution.objects.filter(slug=slug).first() or Institution(
            member=member, slug=slug, name=name, kind=Institution.Kind.CIVIL_SOCIETY
        )
        if "Cámara" in name:
            institution.kind = Institution.Kind.PRIVATE_SECTOR
        others.append(plan_services.institution_save(actor=None, institution=institution))
    return government, others


def _held(
    contact: User,
    forum: Forum,
    plan: ActionPlan,
    seats: list[ForumSeat],
    *,
    day: date,
    kind: str,
    title: str,
    notice: int = 20,
    decisions: tuple[str, ...] = (),
    absent: int = 0,
    others: int = 0,
) -> Meeting:
    starts = _at(day)
    meeting = services.meeting_create(
        actor=contact,
        forum=forum,
        plan=plan,
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2, minutes=30),
        place="Salón de sesiones, Ciudad de Guatemala",
        online_url="https://example.org/sala-virtual-demostracion" if kind != "forum" else "",
        agenda=f"{NOTE} agenda escrita para la demostración.\n\n1. Lectura del acta anterior\n"
        f"2. {title}\n3. Varios",
        announced_at=starts - timedelta(days=notice),
    )
    present = [s for i, s in enumerate(seats) if i % 8 >= absent]  # some seats absent
    services.meeting_minutes_publish(
        actor=contact,
        meeting=meeting,
        minutes=f"{NOTE} acta escrita para la demostración, no tomada de la realidad.\n\n"
        f"Se abrió la sesión con quórum. Se trató: **{title.lower()}**. Las organizaciones "
        "pidieron que las convocatorias lleguen con quince días de anticipación.",
        decisions=decisions,
        seats=present,
        other_participants=others,
    )
    services.meeting_document_add(
        actor=contact, meeting=meeting, title="Guatemala en la OGP (enlace de referencia)", url=LINK
    )
    # Minutes published a week after the session, as the rules ask (the row only: the audit
    # log keeps the day the demo was loaded).
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_published_at=min(starts + timedelta(days=7), timezone.now())
    )
    return meeting


def seed(stdout: Any, today: date | None = None) -> None:
    member, plan = plan_selectors.home_plan()
    if member is None or plan is None or Forum.objects.filter(member=member).exists():
        return
    today = today or timezone.localdate()
    following = ActionPlan.objects.filter(member=member, number=plan.number + 1).first()
    co_creation = _months(plan.start_date, -6)
    with transaction.atomic():
        contact = _contact(member)
        forum = services.forum_save(
            actor=contact,
            forum=Forum(
                member=member,
                name="Comité Técnico de Gobierno Abierto",
                slug=SLUG,
                established_on=_months(co_creation, -1),
                mandate=MANDATE,
                rules=RULES,
                rules_published_on=_months(co_creation, -1),
            ),
        )
        government, others = _institutions(member)
        start = _months(co_creation, -1)
        seats = []
        for index, institution in enumerate(government):
            seats.append(
                services.seat_save(
                    actor=contact,
                    seat=ForumSeat(
                        forum=forum,
                        institution=institution,
                        sector=ForumSeat.Sector.GOVERNMENT,
                        role=ForumSeat.Role.CHAIR if index == 0 else ForumSeat.Role.MEMBER,
                        start_date=start,
                    ),
                )
            )
        for institution in others:
            seats.append(
                services.seat_save(
                    actor=contact,
                    seat=ForumSeat(
                        forum=forum,
                        institution=institution,
                        sector=ForumSeat.Sector.NON_GOVERNMENT,
                        start_date=start,
                    ),
                )
            )
        sessions = [
            (co_creation, "Instalación de la cocreación y calendario", 20,
             ("Aprobar el calendario de cocreación.", "Abrir la recepción de propuestas.")),
            (_months(co_creation, 2), "Revisión de las propuestas recibidas", 3,
             ("Agrupar las propuestas por tema.",)),
            (_months(co_creation, 4), "Priorización de compromisos", 16,
             ("Priorizar seis compromisos.", "Publicar la respuesta a cada propuesta.")),
            (_months(plan.start_date, 3), "Primer seguimiento de la implementación", 18, ()),
            (_months(plan.start_date, 9), "Segundo seguimiento de la implementación", 15, ()),
            (_months(plan.start_date, 14), "Tercer seguimiento de la implementación", 21, ()),
        ]  # fmt: skip
        held = 0
        for index, (day, title, notice, decisions) in enumerate(sessions):
            if day >= today:
                continue
            _held(
                contact, forum, plan, seats, day=day, kind=Meeting.Kind.FORUM, title=title,
                notice=notice, decisions=decisions, absent=index % 3,
            )  # fmt: skip
            held += 1
        # Results meetings with civil society: one per half-year, in the first year only.
        for months in (5, 11):
            day = _months(plan.start_date, months)
            if day < today:
                _held(
                    contact, forum, plan, seats, day=day, kind=Meeting.Kind.CIVIL_SOCIETY,
                    title="Presentación de resultados a la sociedad civil",
                    decisions=("Responder por escrito los comentarios recibidos.",),
                    absent=2, others=23 + months,
                )  # fmt: skip
                held += 1
        if following is not None and following.start_date > today:
            # The session that set the calendar, days before the consultation announced it.
            day = _months(plan.start_date, 13) + timedelta(days=10)
            if day < today:
                _held(
                    contact, forum, following, seats, day=day, kind=Meeting.Kind.FORUM,
                    title="Calendario de cocreación del próximo plan", notice=17,
                    decisions=("Aprobar el calendario de cocreación del próximo plan.",),
                    absent=1,
                )  # fmt: skip
                held += 1
        cancelled_day = _months(plan.start_date, 12) + timedelta(days=20)
        if cancelled_day < today:
            cancelled = services.meeting_create(
                actor=contact,
                forum=forum,
                plan=plan,
                kind=Meeting.Kind.CIVIL_SOCIETY,
                title="Presentación de resultados a la sociedad civil",
                starts_at=_at(cancelled_day),
                place="Salón de sesiones, Ciudad de Guatemala",
                agenda=f"{NOTE} agenda escrita para la demostración.",
                announced_at=_at(cancelled_day) - timedelta(days=10),
            )
            services.meeting_cancel(
                actor=contact,
                meeting=cancelled,
                reason=f"{NOTE} cancelada por falta de quórum del sector gubernamental.",
            )
        upcoming = _at(today + timedelta(days=30))
        services.meeting_create(
            actor=contact,
            forum=forum,
            plan=plan,
            kind=Meeting.Kind.FORUM,
            title="Cuarto seguimiento de la implementación y propuestas recibidas",
            starts_at=upcoming,
            ends_at=upcoming + timedelta(hours=2),
            place="Salón de sesiones, Ciudad de Guatemala",
            online_url="https://example.org/sala-virtual-demostracion",
            agenda=f"{NOTE} agenda escrita para la demostración.\n\n1. Avance de los hitos\n"
            "2. Propuestas recibidas en la consulta del próximo plan",
        )
    stdout.write(f"Demo forum: {len(seats)} seats, {held} meetings held.")
