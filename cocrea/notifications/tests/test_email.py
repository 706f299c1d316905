"""Notifications by email, sent through a real SMTP server on loopback: at once or in a daily
digest as each person chooses, in their language, once whatever number of runs, with a signed
one-click unsubscribe link that works signed out and refuses a forged token."""

import re
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client

from cocrea.accounts.selectors import personal_data
from cocrea.notifications import delivery
from cocrea.notifications.models import Delivery, Digest, Kind, Notification, Preference
from cocrea.notifications.services_mail import preferences_set
from conftest import make_person
from tests.smtp import Inbox, serving

pytestmark = pytest.mark.django_db
GT = ZoneInfo("America/Guatemala")
PREFERENCES = "/notificaciones/preferencias/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.COCREA_SITE_NAME = "Cocrea Guatemala"
    settings.COCREA_SITE_URL = "https://cocrea.example.gt"


def _notify(person, n: int, kind: str = Kind.COMMENT, when: datetime | None = None):
    return Notification.objects.create(
        recipient=person,
        kind=kind,
        key=f"event:test-{n}",
        title=f"Propuesta número {n}",
        url=f"/propuestas/p{n}/",
        created_at=when or datetime.now(GT),
    )


def _subject(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def _part(message, subtype: str) -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode()
    raise AssertionError(f"no text/{subtype} part")


def _unsubscribe_path(message) -> str:
    link = re.search(r"<(https://cocrea\.example\.gt[^>]+)>", message["List-Unsubscribe"])
    assert link is not None
    return link.group(1).removeprefix("https://cocrea.example.gt")


def test_an_instant_notification_is_one_email_in_spanish_with_both_parts_and_rfc_8058(smtp):
    person = make_person("Lectora")
    preferences_set(actor=person, deliveries={Kind.COMMENT: Delivery.INSTANT})
    _notify(person, 1)

    assert delivery.deliver() == {"instant": 1, "digests": 0}
    assert delivery.deliver() == {"instant": 0, "digests": 0}

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "lectora@correo-privado.example"
    assert _subject(message) == "[Cocrea Guatemala] Comentario nuevo: Propuesta número 1"
    text = _part(message, "plain")
    assert "Hola, Lectora:" in text
    assert "https://cocrea.example.gt/propuestas/p1/" in text
    assert "Cocrea Guatemala" in text
    assert 'href="https://cocrea.example.gt/propuestas/p1/"' in _part(message, "html")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _unsubscribe_path(message).startswith("/notificaciones/baja/")
    assert Notification.objects.get().emailed_at is not None


def test_none_sends_nothing_and_the_notification_stays_on_the_site(smtp):
    person = make_person("Silenciosa")
    preferences_set(actor=person, deliveries={Kind.WORK: Delivery.NONE})
    _notify(person, 1, kind=Kind.WORK)

    assert delivery.deliver() == {"instant": 0, "digests": 0}
    assert smtp.messages == []
    assert Notification.objects.get().emailed_at is None


def test_work_notices_are_emailed_at_once_by_default_and_news_is_not(smtp):
    person = make_person("Por Defecto")
    _notify(person, 1, kind=Kind.WORK)
    _notify(person, 2, kind=Kind.COMMENT)

    delivery.send_instant()

    assert len(smtp.messages) == 1
    assert "Propuesta número 1" in _subject(smtp.messages[0])


def test_an_english_speaking_recipient_gets_english(smtp):
    person = make_person("Reader", language="en")
    preferences_set(actor=person, deliveries={Kind.COMMENT: Delivery.INSTANT})
    _notify(person, 1)

    delivery.send_instant()

    message = smtp.messages[0]
    assert _subject(message) == "[Cocrea Guatemala] New comment: Propuesta número 1"
    text = _part(message, "plain")
    assert "Hello Reader," in text and "Stop these emails" in text
    assert "Hola" not in text
    assert "https://cocrea.example.gt/en/notificaciones/preferencias/" in text


def test_deleted_inactive_and_unverified_accounts_get_nothing(smtp):
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    deleted = make_person("Borrada", deleted_at=timezone.now())
    inactive = make_person("Inactiva", is_active=False)
    unverified = make_person("Sin Verificar")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    for n, person in enumerate([deleted, inactive, unverified]):
        _notify(person, n, kind=Kind.WORK)

    assert delivery.deliver() == {"instant": 0, "digests": 0}
    assert smtp.messages == []


def test_a_day_of_three_events_is_one_digest_of_three_items_and_nothing_repeats(smtp):
    person = make_person("Seguidora")  # news of what she follows: a daily digest by default
    for n, hour in enumerate([8, 13, 21]):
        _notify(person, n, when=datetime(2026, 3, 10, hour, tzinfo=GT))

    with time_machine.travel(datetime(2026, 3, 10, 22, tzinfo=GT), tick=False):
        assert delivery.deliver()["digests"] == 0  # the day is not over
    with time_machine.travel(datetime(2026, 3, 11, 0, 20, tzinfo=GT), tick=False):
        assert delivery.deliver()["digests"] == 1
        assert delivery.deliver()["digests"] == 0
    with time_machine.travel(datetime(2026, 3, 11, 9, tzinfo=GT), tick=False):
        _notify(person, 9, when=datetime(2026, 3, 11, 8, tzinfo=GT))
        assert delivery.deliver()["digests"] == 0  # the 11th is not over
    with time_machine.travel(datetime(2026, 3, 12, 0, 5, tzinfo=GT), tick=False):
        assert delivery.deliver()["digests"] == 1

    assert len(smtp.messages) == 2
    first, second = (_part(m, "plain") for m in smtp.messages)
    assert _subject(smtp.messages[0]) == "[Cocrea Guatemala] Su día: 3 notificaciones"
    assert [first.count(f"Propuesta número {n}") for n in range(3)] == [1, 1, 1]
    assert "Propuesta número 9" in second
    assert not any(f"Propuesta número {n}" in second for n in range(3))
    assert Digest.objects.filter(user=person).count() == 2


def test_a_weekly_digest_waits_for_the_week_to_end(smtp):
    person = make_person("Semanal")
    preferences_set(actor=person, deliveries={Kind.COMMENT: Delivery.WEEKLY})
    _notify(person, 1, when=datetime(2026, 3, 10, 9, tzinfo=GT))  # a Tuesday

    with time_machine.travel(datetime(2026, 3, 11, 0, 5, tzinfo=GT), tick=False):
        assert delivery.deliver()["digests"] == 0
    with time_machine.travel(datetime(2026, 3, 16, 0, 5, tzinfo=GT), tick=False):  # Monday
        assert delivery.deliver()["digests"] == 1
        assert delivery.deliver()["digests"] == 0
    assert len(smtp.messages) == 1


def test_a_digest_is_recorded_once_per_person_and_period():
    person = make_person("Única")
    Digest.objects.create(user=person, period=Delivery.DAILY, starts=datetime(2026, 3, 10).date())
    with pytest.raises(IntegrityError), transaction.atomic():
        Digest.objects.create(
            user=person, period=Delivery.DAILY, starts=datetime(2026, 3, 10).date()
        )


# ---- unsubscribe -----------------------------------------------------------------------------


def _instant_email(smtp, person):
    preferences_set(actor=person, deliveries={Kind.COMMENT: Delivery.INSTANT})
    _notify(person, 1)
    delivery.send_instant()
    return smtp.messages[-1]


def _delivery_of(person, kind=Kind.COMMENT) -> str:
    return Preference.objects.get(user=person, kind=kind).delivery


def test_the_unsubscribe_link_asks_signed_out_and_a_get_changes_nothing(smtp, client):
    person = make_person("Baja")
    path = _unsubscribe_path(_instant_email(smtp, person))

    response = client.get(path)

    assert response.status_code == 200
    assert "Dejar de recibir" in response.content.decode()
    assert _delivery_of(person) == Delivery.INSTANT


def test_the_confirm_form_turns_that_kind_off_signed_out(smtp):
    person = make_person("Baja Formulario")
    path = _unsubscribe_path(_instant_email(smtp, person))

    response = Client(enforce_csrf_checks=True).post(path)

    assert response.status_code == 200
    assert _delivery_of(person) == Delivery.NONE
    assert list(Preference.objects.filter(user=person).values_list("kind", flat=True)) == [
        Kind.COMMENT
    ]  # only the kind it names
    _notify(person, 2)
    assert delivery.send_instant() == 0


def test_the_rfc_8058_one_click_post_works_without_csrf_or_session(smtp):
    person = make_person("Un Clic")
    path = _unsubscribe_path(_instant_email(smtp, person))

    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert _delivery_of(person) == Delivery.NONE


def test_a_digest_link_turns_every_kind_off():
    person = make_person("Todo")
    token = delivery.unsubscribe_token(person, "all")

    Client(enforce_csrf_checks=True).post(f"/notificaciones/baja/{token}/")

    assert set(Preference.objects.filter(user=person).values_list("delivery", flat=True)) == {
        Delivery.NONE
    }
    assert Preference.objects.filter(user=person).count() == len(Kind.values)


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "eyJ1IjoiYWJjIiwiayI6ImFsbCJ9:1tX:abc",
    ],
)
def test_a_forged_token_changes_nothing_and_says_so_in_spanish(client, token):
    person = make_person("Intacta")

    for response in (
        client.get(f"/notificaciones/baja/{token}/"),
        client.post(f"/notificaciones/baja/{token}/"),
    ):
        assert response.status_code == 400
        assert "Este enlace no funciona" in response.content.decode()
    assert not Preference.objects.filter(user=person).exists()


def test_a_tampered_token_naming_another_person_changes_nothing(client):
    victim = make_person("Víctima")
    attacker = make_person("Atacante")
    token = delivery.unsubscribe_token(attacker, Kind.COMMENT)
    value, signature = token.split(":", 1)
    forged_value = delivery.signing.b64_encode(
        f'{{"u":"{victim.public_id}","k":"all"}}'.encode()
    ).decode()

    response = client.post(f"/notificaciones/baja/{forged_value}:{signature}/")

    assert response.status_code == 400
    assert not Preference.objects.exists()
    assert value != forged_value


def test_a_token_with_another_salt_is_refused(client):
    from django.core import signing

    person = make_person("Sal")
    token = signing.dumps({"u": person.public_id, "k": "all"}, salt="another.purpose")

    assert client.post(f"/notificaciones/baja/{token}/").status_code == 400
    assert not Preference.objects.exists()


# ---- preferences page ----------------------------------------------------------------------


def test_the_preferences_page_asks_to_log_in(client):
    response = client.get(PREFERENCES)
    assert response.status_code == 302 and "/cuentas/login/" in response["Location"]
    assert client.post(PREFERENCES, {"language": "en"}).status_code == 302
    assert not Preference.objects.exists()


def _all(how: str, **more: str) -> dict[str, str]:
    return {**dict.fromkeys(Kind.values, how), "language": "es", **more}


def test_the_preferences_page_saves_each_kind_and_the_language(client):
    person = make_person("Preferencias")
    client.force_login(person)

    assert client.get(PREFERENCES).status_code == 200
    response = client.post(PREFERENCES, _all(Delivery.WEEKLY, comment="none", language="en"))

    assert response.status_code == 302
    chosen = dict(Preference.objects.filter(user=person).values_list("kind", "delivery"))
    assert chosen[Kind.COMMENT] == Delivery.NONE and chosen[Kind.DUE] == Delivery.WEEKLY
    person.refresh_from_db()
    assert person.language == "en"


@pytest.mark.parametrize("bad", [{"comment": "hourly"}, {"language": "fr"}, {"due": ""}])
def test_bad_preferences_are_refused_with_a_message_and_change_nothing(client, bad):
    person = make_person("Mal Dato")
    client.force_login(person)

    response = client.post(PREFERENCES, _all(Delivery.WEEKLY, **bad))

    assert response.status_code == 400
    assert "No se cambió nada" in response.content.decode()
    assert not Preference.objects.filter(user=person).exists()
    person.refresh_from_db()
    assert person.language == "es"


def test_the_preferences_form_needs_its_csrf_token():
    person = make_person("Sin Token")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    assert client.post(PREFERENCES, _all(Delivery.NONE)).status_code == 403
    assert not Preference.objects.exists()


def test_the_personal_data_download_has_the_email_preferences():
    person = make_person("Mis Datos", language="en")
    preferences_set(actor=person, deliveries={Kind.DUE: Delivery.WEEKLY})

    data = personal_data(user=person)

    assert data["email_language"] == "en"
    assert data["email_preferences"] == [{"kind": "due", "delivery": "weekly"}]


def test_only_recent_notifications_are_emailed_at_once(smtp):
    person = make_person("Reciente")
    _notify(person, 1, kind=Kind.WORK, when=datetime.now(GT) - timedelta(days=10))

    assert delivery.send_instant() == 0
    assert smtp.messages == []


@pytest.mark.parametrize(("prefix", "language"), [("/en", "en"), ("", "es")])
def test_a_new_account_gets_emails_in_the_language_it_signed_up_in(client, prefix, language):
    from cocrea.accounts.models import User
    from cocrea.accounts.tests.test_signup import GOOD

    response = client.post(f"{prefix}/cuentas/signup/", GOOD)

    assert response.status_code == 302
    assert User.objects.get(email=GOOD["email"]).language == language


def test_the_unsubscribe_page_costs_fixed_queries(client, django_assert_num_queries):
    person = make_person("Consultas")
    token = delivery.unsubscribe_token(person, Kind.COMMENT)

    with django_assert_num_queries(1):  # the person named by the token
        assert client.get(f"/notificaciones/baja/{token}/").status_code == 200


def test_the_preferences_page_costs_the_same_queries_whatever_was_chosen(
    client, django_assert_num_queries
):
    person = make_person("Muchas")
    client.force_login(person)
    client.get(PREFERENCES)
    with django_assert_num_queries(4) as before:  # session, person, unread count, preferences
        client.get(PREFERENCES)
    preferences_set(actor=person, deliveries=dict.fromkeys(Kind.values, Delivery.WEEKLY))
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(PREFERENCES)


class Refusing(Inbox):
    """A mail server that refuses one address."""

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address.startswith("rechazada@"):
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp(settings):
    with serving(settings, Refusing()) as inbox:
        yield inbox


def test_an_address_the_server_refuses_stops_no_one_else_and_is_tried_again(refusing_smtp):
    refused = make_person("Rechazada")
    accepted = make_person("Aceptada")
    _notify(refused, 1, kind=Kind.WORK)
    _notify(accepted, 2, kind=Kind.WORK)
    for n, person in [(3, refused), (4, accepted)]:
        _notify(person, n, when=datetime.now(GT) - timedelta(days=1))

    assert delivery.deliver() == {"instant": 1, "digests": 1}

    assert [m["To"] for m in refusing_smtp.messages] == [accepted.email, accepted.email]
    assert not Notification.objects.filter(recipient=refused, emailed_at__isnull=False).exists()
    assert not Digest.objects.filter(user=refused).exists()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_email_pages_are_in_one_language(client, language):
    from tests.test_language_gate import wrong_language

    person = make_person("Idioma")
    prefix = "/en" if language == "en" else ""
    token = delivery.unsubscribe_token(person, Kind.COMMENT)
    pages = [
        client.get(f"{prefix}/notificaciones/baja/{token}/"),
        client.post(f"{prefix}/notificaciones/baja/{token}/"),
        client.get(f"{prefix}/notificaciones/baja/forged/"),
    ]
    client.force_login(person)
    pages.append(client.get(f"{prefix}{PREFERENCES}"))
    pages.append(client.post(f"{prefix}{PREFERENCES}", {"language": "fr"}))

    assert [page.status_code for page in pages] == [200, 200, 400, 200, 400]
    for page in pages:
        assert wrong_language(page.content.decode(), language) == []


def test_an_email_says_what_the_notification_adds_to_its_kind(smtp):
    """A meeting's date and the notice given (and a phase's dates) are in the email too, in the
    recipient's words."""
    person = make_person("Vecina")
    preferences_set(actor=person, deliveries={Kind.MEETING: Delivery.INSTANT})
    Notification.objects.create(
        recipient=person,
        kind=Kind.MEETING,
        key="event:test-meeting",
        title="Sesión ordinaria del foro",
        url="/foro/comite/reuniones/abc/",
        created_at=datetime.now(GT),
        facts={"starts_at": "2026-12-20T16:00:00+00:00", "notice_days": 15},
    )
    delivery.send_instant()
    (message,) = smtp.messages
    assert "anunciada con 15 días de anticipación" in _part(message, "plain")
    assert "anunciada con 15 días de anticipación" in _part(message, "html")
