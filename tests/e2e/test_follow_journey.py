"""Following in a browser, on a 360 px phone, in Spanish: a citizen follows a commitment from
its page; the responsible official's progress report is published by the point of contact;
the fan-out runs as the worker runs it; the citizen sees the unread count in the header, opens
their notifications and follows the news back to the commitment; the next day's digest reaches
a real SMTP server on loopback, and its one-click unsubscribe link works signed out."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from cocrea.notifications import delivery
from cocrea.notifications.models import Follow
from cocrea.notifications.services import fan_out
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from cocrea.tracking import services as tracking
from tests.e2e.test_tracking_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_follows_a_commitment_and_is_told_of_its_report(
    live_server,
    browser: Browser,
    personas,
    institutions,
    smtp,
    settings,
):
    settings.COCREA_SITE_URL = live_server.url  # the email's links lead to this server
    commitment = CommitmentFactory(
        lead_institution=institutions["mineduc"], title="Datos abiertos de educación"
    )
    milestone = MilestoneFactory(
        commitment=commitment,
        number=1,
        responsible_institution=institutions["mineduc"],
        description="Publicar el portal de datos",
        end_date=date(2099, 1, 1),
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-GT")
    page = context.new_page()

    # The citizen follows the commitment from its page.
    sign_in(page, base, personas["citizen"])
    page.goto(base + commitment.get_absolute_url())
    page.get_by_role("button", name="Seguir", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Usted sigue «Datos abiertos de educación»")
    expect(page.get_by_role("button", name="Dejar de seguir")).to_be_visible()
    assert Follow.objects.filter(user=personas["citizen"]).count() == 1

    # The responsible official reports progress; the point of contact publishes it.
    report = tracking.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="substantial",
        percent=70,
        done="El portal está en línea con 12 conjuntos de datos.",
        facts_date=date(2025, 3, 1),
    )
    tracking.progress_report_submit(actor=personas["official"], report=report)
    tracking.progress_report_publish(actor=personas["point_of_contact"], report=report)
    assert fan_out() == 1  # as the worker would, a moment after the change

    # The header tells the citizen; the notifications page leads back to the commitment.
    page.reload()
    link = page.get_by_role("link", name=re.compile(r"^Notificaciones"))
    expect(link).to_contain_text("1")
    expect(link).to_contain_text("sin leer")
    link.click()
    expect(page).to_have_url(re.compile(r"/notificaciones/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Informe de avance publicado")
    expect(main).to_contain_text("Sin leer")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    main.get_by_role("link", name="Datos abiertos de educación").click()
    expect(page).to_have_url(re.compile(re.escape(commitment.get_absolute_url()) + "$"))
    expect(page.locator("h1")).to_have_text("Datos abiertos de educación")

    # Marked read, the count leaves the header.
    page.get_by_role("link", name=re.compile(r"^Notificaciones")).click()
    page.get_by_role("button", name="Marcar todas como leídas").click()
    expect(page.locator(".messages")).to_contain_text("marcadas como leídas")
    expect(page.get_by_role("link", name=re.compile(r"^Notificaciones"))).not_to_contain_text(
        "sin leer"
    )

    # The email: news of what one follows comes in the day's digest, sent by the periodic
    # command on the first run after the day ends (here: run as if tomorrow).
    assert delivery.deliver(now=timezone.now() + timedelta(days=1))["digests"] == 1
    (message,) = smtp.messages
    assert message["To"] == personas["citizen"].email
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "Informe de avance publicado: Datos abiertos de educación" in text
    assert live_server.url + commitment.get_absolute_url() in text

    # Its unsubscribe link works without signing in: a confirm page, then off.
    context.close()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-GT")
    page = context.new_page()
    link = re.search(r"<([^>]+)>", message["List-Unsubscribe"])
    assert link is not None
    page.goto(link.group(1))
    page.get_by_role("button", name=re.compile("Dejar de recibir")).click()
    expect(page.locator("h1")).to_have_text("Ya no recibirá estos correos")
    assert delivery.deliver(now=timezone.now() + timedelta(days=2))["digests"] == 0
    context.close()


def test_the_follow_pages_are_valid_html_and_accessible(
    live_server, browser: Browser, client, personas, institutions
):
    """The notifications page (empty and full), My space's list and a followed page's
    button, as a signed-in person sees them."""
    from django.conf import settings
    from django.utils import timezone

    from cocrea.notifications import services
    from cocrea.notifications.models import Notification
    from tests.e2e import gates

    commitment = CommitmentFactory(lead_institution=institutions["mineduc"])
    citizen = personas["citizen"]
    client.force_login(citizen)
    pages = ["/notificaciones/", commitment.get_absolute_url(), "/mi-espacio/"]
    documents = {f"{path} (empty)": client.get(path).content.decode() for path in pages}
    services.follow_add(actor=citizen, target=commitment)
    for number in range(3):
        Notification.objects.create(
            recipient=citizen,
            kind="report",
            key=f"event:{number}",
            title=commitment.title,
            url=commitment.get_absolute_url(),
            created_at=timezone.now(),
            read_at=timezone.now() if number else None,
        )
    documents |= {path: client.get(path).content.decode() for path in pages}
    assert gates.html_errors(documents) == {}
    host = live_server.url.split("//", 1)[1].split(":")[0]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookies = [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    assert gates.accessibility_violations(browser, live_server.url, pages, cookies) == {}
