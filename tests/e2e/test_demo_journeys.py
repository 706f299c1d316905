"""Issue 21's acceptance, in Chromium on a 360 x 740 phone, in Spanish, on the demo exactly as
`make run` leaves it (seed_demo with the development's demo log-ins): a new citizen signs up,
proposes, supports and comments with no set-up; the point of contact, with no staff or superuser
flag, creates a plan and a consultation, publishes its timeline, answers a proposal and publishes
a report; a visitor answers "is this commitment on track, and does civil society agree?" from
the top of its page."""

import io
import re
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cocrea.accounts import demo
from cocrea.accounts.models import User
from cocrea.audit.models import AuditEvent
from cocrea.participation.models import Comment, Consultation, Proposal, Response, Support
from cocrea.plans.models import ActionPlan
from cocrea.tracking.models import ProgressReport

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-cocrea-2026"  # the development default (settings.COCREA_DEMO_PASSWORD)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-GT")
    yield context.new_page()
    context.close()


@pytest.fixture
def made_run(settings):
    """The demo as `make run` loads it on a development machine."""
    settings.COCREA_DEMO_PASSWORD = PASSWORD
    call_command("seed_demo", stdout=io.StringIO())


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide on a 360 px phone"


def test_a_new_citizen_signs_up_proposes_supports_and_comments(live_server, phone, made_run):
    page = phone
    page.goto(live_server.url + "/")
    _no_sideways_scroll(page)
    consultation = Consultation.objects.get(published_at__isnull=False, plan__number=7)
    # The home page leads to taking part: its main action goes to the open consultation.
    page.locator("main a.button").first.click()
    expect(page).to_have_url(re.compile(re.escape(consultation.slug)))

    page.goto(live_server.url + reverse("account_signup"))
    page.locator("#id_email").fill("quetzal@correo-privado.example")
    page.locator("#id_public_name").fill("Quetzal de Xela")
    page.locator("#id_password1").fill("una-clave-bastante-larga-7")
    page.locator("#id_password2").fill("una-clave-bastante-larga-7")
    page.locator("main form button[type=submit]").click()
    link = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill("quetzal@correo-privado.example")
    page.locator("#id_password").fill("una-clave-bastante-larga-7")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/mi-espacio/$"))

    # Propose: from the consultation's page, its proposal form.
    page.goto(live_server.url + consultation.get_absolute_url())
    _no_sideways_scroll(page)
    new = reverse("participation:proposal_new", kwargs={"slug": consultation.slug})
    page.locator(f'main a[href="{new}"]').first.click()
    page.locator("#id_title").fill("Datos abiertos de las compras municipales")
    page.locator("#id_problem").fill(
        "Las compras de las municipalidades no se publican en formatos abiertos."
    )
    page.locator("#id_proposal").fill(
        "Publicar cada compra municipal en datos abiertos, con su contrato, cada mes."
    )
    page.locator("#id_department").select_option(index=1)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Datos abiertos de las compras municipales")
    _no_sideways_scroll(page)
    mine = Proposal.objects.get(title="Datos abiertos de las compras municipales")
    assert mine.author.public_name == "Quetzal de Xela"

    # Support and comment on someone else's proposal.
    other = (
        Proposal.objects.filter(consultation=consultation, hidden_at__isnull=True)
        .exclude(pk=mine.pk)
        .order_by("created_at")
        .first()
    )
    page.goto(live_server.url + other.get_absolute_url())
    supports = Support.objects.filter(proposal=other).count()
    support = reverse("participation:support", kwargs={"public_id": other.public_id})
    page.locator(f'form[action="{support}"] button').click()
    expect(page.locator("main")).to_be_visible()
    assert Support.objects.filter(proposal=other).count() == supports + 1
    comment = reverse("participation:comment", kwargs={"public_id": other.public_id})
    form = page.locator(f'form[action="{comment}"]').last  # the new thread's, after the replies
    form.locator("textarea").fill("Estoy de acuerdo: en Quetzaltenango pasa lo mismo.")
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("en Quetzaltenango pasa lo mismo")
    assert Comment.objects.filter(proposal=other, author__public_name="Quetzal de Xela").exists()
    _no_sideways_scroll(page)


def _log_in_as_contact(page: Page, base: str) -> None:
    page.goto(base + reverse("account_login"))
    page.locator("#id_login").fill("demo-punto-de-contacto@demo.invalid")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/2fa/authenticate/$"))
    from django.conf import settings

    page.locator("#id_code").fill(demo.current_code(settings.COCREA_DEMO_TOTP_SECRET, time.time()))
    page.locator("main form button[type=submit]").first.click()  # not "Cancel", the log-out
    expect(page).to_have_url(re.compile(r"/mi-espacio/$"))


def _go(page: Page, name: str) -> None:
    page.locator(f'main a[href="{reverse(name)}"]').first.click()


def test_the_point_of_contact_runs_the_process_from_the_desk(live_server, phone, made_run):
    page, base = phone, live_server.url
    contact = User.objects.get(email="demo-punto-de-contacto@demo.invalid")
    assert not contact.is_staff and not contact.is_superuser
    _log_in_as_contact(page, base)
    expect(page.locator("#desk")).to_be_visible()
    _no_sideways_scroll(page)

    # A plan, in the administration opened by the role.
    _go(page, "admin:plans_actionplan_add")
    today = timezone.localdate()
    page.locator("#id_member").select_option(label="Guatemala")
    page.locator("#id_number").fill("8")
    page.locator("#id_title").fill("Octavo Plan de Acción Nacional de Gobierno Abierto")
    page.locator("#id_slug").fill("octavo-plan")
    page.locator("#id_start_date").fill((today + timedelta(days=700)).isoformat())
    page.locator("#id_end_date").fill((today + timedelta(days=1400)).isoformat())
    page.locator("#id_status").select_option("drafting")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    # (the admin's script may rewrite the slug from the title: the plan is found by its title)
    plan = ActionPlan.objects.get(title="Octavo Plan de Acción Nacional de Gobierno Abierto")

    # Its consultation, with a proposal phase, then the timeline published.
    page.goto(base + reverse("accounts:my_space"))
    _go(page, "admin:participation_consultation_add")
    page.locator("#id_plan").select_option(str(plan.pk))
    page.locator("#id_slug").fill("consulta-octavo-plan")
    page.locator("#id_title").fill("Consulta del octavo plan")
    page.locator("#id_description").fill("Propuestas en línea y talleres en los departamentos.")
    page.locator(".add-row a").first.click()
    row = page.locator("tr.form-row:not(.empty-form)").first
    row.locator("select[name$=-kind]").select_option("proposals")
    row.locator("input[name$=-starts_on]").fill((today + timedelta(days=400)).isoformat())
    row.locator("input[name$=-ends_on]").fill((today + timedelta(days=460)).isoformat())
    page.locator("input[name=_save]").click()
    consultation = Consultation.objects.get(title="Consulta del octavo plan")
    assert consultation.phases.count() == 1
    page.locator(f'input[name=_selected_action][value="{consultation.pk}"]').check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("Consulta del octavo plan")
    consultation.refresh_from_db()
    assert consultation.published_at is not None

    # Answer the proposal that has waited longest, from the queue.
    page.goto(base + reverse("accounts:my_space"))
    queue = page.locator("#to-answer").locator("xpath=..")
    expect(queue).to_contain_text("días")
    oldest = (
        Proposal.objects.filter(response__isnull=True, hidden_at__isnull=True)
        .order_by("created_at", "id")
        .first()
    )
    respond = reverse("participation:respond", kwargs={"public_id": oldest.public_id})
    queue.locator(f'a[href="{respond}"]').click()
    page.locator("input[name=kind][value=not_adopted]").check()
    page.locator("#id_reasons").fill(
        "El plan no puede asumirlo este ciclo: la ley de compras está en revisión en el Congreso."
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("la ley de compras está en revisión")
    assert Response.objects.get(proposal=oldest).kind == "not_adopted"
    _no_sideways_scroll(page)

    # Publish the report waiting for publication.
    page.goto(base + reverse("accounts:my_space"))
    waiting = ProgressReport.objects.get(status=ProgressReport.Status.SUBMITTED)
    report = reverse("tracking:report", kwargs={"public_id": waiting.public_id})
    page.locator(f'#to-publish ~ ul a[href="{report}"]').click()
    publish = reverse("tracking:report_publish", kwargs={"public_id": waiting.public_id})
    page.locator(f'form[action="{publish}"] button[type=submit]').click()
    waiting.refresh_from_db()
    assert waiting.status == ProgressReport.Status.PUBLISHED
    _no_sideways_scroll(page)

    # Every step is signed with the point of contact's public name in the audit log.
    actions = set(AuditEvent.objects.filter(actor=contact).values_list("action", flat=True))
    assert {
        "actionplan.create",
        "consultation.create",
        "phase.create",
        "consultation.publish",
        "response.save",
        "progressreport.publish",
    } <= actions, actions


def test_a_visitor_sees_at_the_top_whether_a_commitment_is_on_track_and_disputed(
    live_server, phone, made_run
):
    """From the home page's list of disagreements to the commitment: its status, progress and
    "civil society disagrees on 1 of N milestones" in the first screens, and the link to that
    milestone's assessments."""
    page = phone
    page.goto(live_server.url + "/")
    from cocrea.tracking.models import Assessment

    assessment = (
        Assessment.objects.filter(milestone__isnull=False)
        .select_related("milestone__commitment")
        .exclude(completion=models.F("milestone__completion"))
        .first()
    )
    commitment = assessment.milestone.commitment
    link = page.locator(f'main a[href="{commitment.get_absolute_url()}"]').first
    expect(link).to_be_visible()
    link.click()
    _no_sideways_scroll(page)
    agreement = page.locator(".agreement")
    expect(agreement).to_contain_text("La sociedad civil discrepa")
    expect(agreement).to_contain_text(f"Hito {assessment.milestone.number}")
    # In the first two screens of a phone, with the status and progress above it.
    box = agreement.bounding_box()
    assert box is not None and box["y"] < 2 * 740, box
    head = page.locator("main").inner_text()[: page.locator("main").inner_text().index("discrepa")]
    assert "%" in head  # the progress figure comes before
    agreement.locator("a").first.click()
    anchor = page.evaluate("location.hash")
    target = page.locator(anchor)
    expect(target).to_be_in_viewport()
    expect(target.locator("xpath=ancestor::article[1]")).to_contain_text(
        assessment.organisation.short_name
    )
