"""The forum's part of the project-wide checks (tests/appchecks/__init__.py): its acting views
for the authorization matrix (only the point of contact, with two-factor authentication, manages
the forum), the file download that changes nothing, and sample arguments for its public pages."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from tests.appchecks import ALLOWED, FORBIDDEN, LOGIN

READ_ONLY = {"forum:document"}  # a file of a public meeting, served to anyone


def _forum(member, institutions=None):
    from cocrea.forum.models import Forum, ForumSeat
    from cocrea.plans.models import Institution

    forum = Forum.objects.filter(member=member).first()
    if forum is not None:
        return forum
    forum = Forum.objects.create(
        member=member,
        name="Comité Técnico de Gobierno Abierto",
        slug="comite-tecnico",
        established_on=date(2023, 1, 15),
        mandate="Da seguimiento al plan de acción. <script>alert(1)</script>",
        rules="Cada sector elige a sus **ocho** integrantes.",
        rules_published_on=date(2023, 2, 1),
    )
    government = (
        institutions["mineduc"]
        if institutions
        else Institution.objects.filter(kind=Institution.Kind.GOVERNMENT).order_by("pk").first()
    )
    civil = (
        institutions["cso"]
        if institutions
        else Institution.objects.filter(kind=Institution.Kind.CIVIL_SOCIETY).order_by("pk").first()
    )
    if civil is None:
        civil = Institution.objects.create(
            name="Colectivo de Muestra", slug="colectivo-de-muestra", kind="civil_society"
        )
    start = date(2023, 1, 15)
    ForumSeat.objects.create(
        forum=forum, institution=government, sector="government", role="chair", start_date=start
    )
    ForumSeat.objects.create(
        forum=forum,
        institution=civil,
        sector="non_government",
        role="member",
        representative="Quetzal",
        start_date=start,
    )
    return forum


def _meeting(forum, *, days_ahead: int = 20, **fields):
    from cocrea.forum.models import Meeting

    now = timezone.now()
    values = {
        "kind": "forum",
        "title": "Sesión ordinaria",
        "starts_at": now + timedelta(days=days_ahead),
        "place": "Ciudad de Guatemala",
        "agenda": "1. Avances del plan",
        "announced_at": now - timedelta(days=10),
        "schedule_changed_at": now - timedelta(days=10),
    }
    values.update(fields)
    return Meeting.objects.create(forum=forum, **values)


def _point_of_contact_only(personas):
    """The forum's member's point of contact, or an administrator (every member)."""
    expected = dict.fromkeys(personas, FORBIDDEN)
    expected.update(anonymous=LOGIN, point_of_contact=ALLOWED, administrator=ALLOWED)
    return expected


def _member():
    from cocrea.plans.tests.factories import MemberFactory

    return MemberFactory()


def meeting_new(personas, institutions):
    from cocrea.forum.models import Meeting

    forum = _forum(_member(), institutions)
    url = reverse("forum:meeting_new", kwargs={"slug": forum.slug})
    data = {
        "kind": "civil_society",
        "title": "Presentación de resultados",
        "starts_at": (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT10:00"),
        "place": "Ciudad de Guatemala",
        "agenda": "Resultados del primer semestre",
    }
    return url, data, _point_of_contact_only(personas), Meeting.objects.exists


def meeting_edit(personas, institutions):
    meeting = _meeting(_forum(_member(), institutions))
    url = reverse(
        "forum:meeting_edit", kwargs={"slug": meeting.forum.slug, "public_id": meeting.public_id}
    )
    data = {
        "kind": "forum",
        "title": "Sesión ordinaria (nuevo título)",
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "place": "Ciudad de Guatemala",
        "agenda": "1. Avances del plan",
    }

    def changed():
        meeting.refresh_from_db()
        return meeting.title == "Sesión ordinaria (nuevo título)"

    return url, data, _point_of_contact_only(personas), changed


def meeting_cancel(personas, institutions):
    meeting = _meeting(_forum(_member(), institutions))
    url = reverse(
        "forum:meeting_cancel",
        kwargs={"slug": meeting.forum.slug, "public_id": meeting.public_id},
    )

    def changed():
        meeting.refresh_from_db()
        return meeting.status == "cancelled"

    return url, {"reason": "Falta de quórum"}, _point_of_contact_only(personas), changed


def meeting_minutes(personas, institutions):
    forum = _forum(_member(), institutions)
    meeting = _meeting(forum, days_ahead=-2)
    seat = forum.seats.order_by("pk").first()
    url = reverse(
        "forum:meeting_minutes",
        kwargs={"slug": forum.slug, "public_id": meeting.public_id},
    )
    data = {
        "minutes": "Se revisaron los avances.",
        "decisions": "Aprobar el calendario",
        "attendance": [seat.pk],
        "other_participants": "3",
    }

    def changed():
        meeting.refresh_from_db()
        return meeting.status == "held"

    return url, data, _point_of_contact_only(personas), changed


def document_new(personas, institutions):
    from cocrea.forum.models import MeetingDocument

    meeting = _meeting(_forum(_member(), institutions))
    url = reverse(
        "forum:document_new",
        kwargs={"slug": meeting.forum.slug, "public_id": meeting.public_id},
    )
    data = {"title": "Convocatoria", "url": "https://example.org/convocatoria"}
    return url, data, _point_of_contact_only(personas), MeetingDocument.objects.exists


SCENARIOS = {
    "forum:meeting_new": meeting_new,
    "forum:meeting_edit": meeting_edit,
    "forum:meeting_cancel": meeting_cancel,
    "forum:meeting_minutes": meeting_minutes,
    "forum:document_new": document_new,
}


def _sample_meeting(forum, plan):
    """A held meeting with minutes, decisions, attendance and a document, once."""
    from cocrea.forum.models import Attendance, Decision, Meeting, MeetingDocument

    meeting = Meeting.objects.filter(forum=forum, status="held").first()
    if meeting is not None:
        return meeting
    now = timezone.now()
    meeting = _meeting(
        forum,
        days_ahead=-30,
        plan=plan if plan.member_id == forum.member_id else None,
        status="held",
        ends_at=now - timedelta(days=30) + timedelta(hours=2),
        online_url="https://example.org/sesion",
        minutes="Se revisó el avance del **plan**.\n\n- Primer punto\n- Segundo punto",
        minutes_published_at=now - timedelta(days=28),
        announced_at=now - timedelta(days=33),
        schedule_changed_at=now - timedelta(days=33),
        other_participants=4,
    )
    Decision.objects.create(meeting=meeting, number=1, text="Aprobar el calendario de sesiones.")
    Decision.objects.create(meeting=meeting, number=2, text="Convocar a la sociedad civil.")
    for seat in forum.seats.all():
        Attendance.objects.create(meeting=meeting, seat=seat)
    MeetingDocument.objects.create(
        meeting=meeting, title="Presentación", url="https://example.org/presentacion.pdf"
    )
    _meeting(forum, title="Próxima sesión", days_ahead=5)  # upcoming, at short notice
    return meeting


def samples(plan, commitment, person):
    from cocrea.forum.models import Forum

    forum = Forum.objects.order_by("pk").first() or _forum(plan.member)
    meeting = _sample_meeting(forum, plan)
    return {
        "forum:index": dict,
        "forum:forum": lambda: {"slug": forum.slug},
        "forum:meeting": lambda: {"slug": forum.slug, "public_id": meeting.public_id},
    }
