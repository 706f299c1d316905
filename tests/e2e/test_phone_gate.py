"""The long-content phone gate: every public page and every signed-in form, filled with the longest
content people really write (a ministry's full name, 64-character hashes, addresses and words that
never break, a commitment with 20 milestones, a plan with 22 commitments), seen on a 360 x 740
phone: nothing makes the page scroll sideways, and every chart's text is at least 12 px."""

import hashlib
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import models, transaction
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page

from conftest import build_plan, make_member, make_person, sign_in_with_second_factor
from tests.appchecks.participation import open_consultation
from tests.e2e import gates
from tests.pages import plan_samples, public_pages

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
MIN_CHART_TEXT_PX = 12

INSTITUTION = (
    "Secretaría de Planificación y Programación de la Presidencia de la República de Guatemala "
    "– SEGEPLAN, Dirección de Seguimiento y Evaluación de Políticas Públicas Territoriales"
)
WORD = "Interinstitucionalización" + "Descentralizadamente" * 3  # 85 letters, no break
URL = (
    "https://datos.example.gt/conjuntos/presupuesto-abierto/ejecucion-presupuestaria-municipal-"
    "2024-2025/recursos/descarga-completa?formato=csv&version=ultima-publicada&idioma=es"
)
HASH = hashlib.sha256(b"informe-de-avance.pdf").hexdigest()
FILE_NAME = "Informe_de_avance_del_compromiso_de_datos_abiertos_de_compras_publicas_" + (
    "municipales_segundo_semestre_version_final_revisada_firmada.pdf"
)


def long(text: str) -> str:
    return f"{text} {WORD} {URL} {INSTITUTION}"


def stretch(obj: models.Model, **values: str) -> None:
    """Write each text field as long as its column allows (PostgreSQL refuses longer), through an
    update so that no save() rule or audit event gets in the way."""
    fitted = {}
    for name, text in values.items():
        field = obj._meta.get_field(name)
        fitted[name] = text[: field.max_length] if field.max_length else text
    type(obj).objects.filter(pk=obj.pk).update(**fitted)
    for name, text in fitted.items():
        setattr(obj, name, text)


def build_long_site() -> dict:
    """A plan of 22 commitments whose first has 20 milestones, every name and text at its
    longest, and the other apps' sample objects (tests/pages.py) stretched the same way."""
    from cocrea.audit.services import event_record
    from cocrea.plans.models import Institution, Milestone
    from cocrea.plans.tests.factories import MilestoneFactory
    from cocrea.tracking.models import Evidence, ProgressReport

    plan = build_plan(commitments=22, milestones_each=2)
    stretch(plan, title=long("Quinto Plan de Acción Nacional de Gobierno Abierto 2024-2026"))
    for index, institution in enumerate(Institution.objects.order_by("pk")):
        acronym = "" if index % 2 else "SEGEPLAN-DSEPPT-GUATEMALA"
        stretch(institution, name=f"{INSTITUTION} {index}", acronym=acronym)
    commitments = list(plan.commitments.order_by("number_sort"))
    for commitment in commitments:
        stretch(
            commitment,
            title=long(f"Compromiso {commitment.number}: transparencia fiscal"),
            short_description=long("Publicar los datos"),
            responsible_name="María de los Ángeles Hernández Castañeda de Villagrán",
        )
    first = commitments[0]
    today = timezone.localdate()
    for number in range(3, 21):
        MilestoneFactory(
            commitment=first,
            number=number,
            start_date=today - timedelta(days=400 - number * 30),
            end_date=today + timedelta(days=number * 25 - 200),
            completion=Milestone.Completion.SUBSTANTIAL,
            responsible_institution=first.lead_institution,
        )
    for milestone in first.milestones.all():
        stretch(milestone, description=long("Publicar"), expected_output=long("Portal"))

    # 20 public events in the commitment's history and the log, before the samples (which then
    # record none of their own).
    with transaction.atomic():
        for index in range(20):
            event_record(
                actor=None,
                action="update",
                target=first,
                changes={
                    "title": [first.title, long(f"Título {index}")],
                    "evidence": [None, {"file": FILE_NAME, "sha256": HASH, "url": URL}],
                },
                public=True,
                institution=INSTITUTION,
            )
    samples = plan_samples(plan)
    person = _stretch_samples(plan, first)

    report = ProgressReport.objects.filter(milestone__commitment=first).first()
    assert report is not None
    title_max = Evidence._meta.get_field("title").max_length  # PostgreSQL refuses longer
    Evidence.objects.create(
        report=report,
        title=long("Informe")[:title_max],
        file=f"evidence/2025/01/{FILE_NAME}",
        file_name=FILE_NAME,
        content_type="application/pdf",
        size=168960,
        sha256=HASH,
    )
    Evidence.objects.create(report=report, title=long("Portal")[:title_max], url=URL)
    return {"plan": plan, "commitment": first, "samples": samples, "person": person}


def _stretch_samples(plan, commitment):
    """The other apps' sample objects (consultation, proposals, comments, drafts, forum) made
    as long as they can be; 25 more proposals and 20 comments with addresses."""
    from cocrea.accounts.models import User
    from cocrea.drafting.models import Draft, DraftVersion
    from cocrea.forum.models import Forum, Meeting
    from cocrea.participation.models import Comment, Consultation, Proposal, Workshop

    person = User.objects.get(username="sample-person")
    stretch(person, public_name="Asociación de Mujeres Mayas por la Transparencia Municipal " * 2)
    consultation = Consultation.objects.get(plan=plan)
    stretch(consultation, title=long("Consulta"), description=long("Participe"))
    proposal = Proposal.objects.filter(consultation=consultation).order_by("pk").first()
    for index in range(25):
        Proposal.objects.create(
            consultation=consultation,
            author=person,
            title=f"Propuesta {index}",
            problem=long("Problema"),
            proposal=long("Propuesta"),
            department="quiche",
        )
    for item in Proposal.objects.filter(consultation=consultation):
        stretch(item, title=long("Publicar"), problem=long("Problema"), proposal=long("Propuesta"))
    for index in range(20):
        Comment.objects.create(proposal=proposal, author=person, body=long(f"Comentario {index}"))
    for workshop in Workshop.objects.filter(consultation=consultation):
        stretch(workshop, title=long("Taller"), place=long("Salón"))
    for draft in Draft.objects.filter(consultation=consultation):
        stretch(draft, title=long("Borrador"))
        for version in DraftVersion.objects.filter(draft=draft):
            stretch(version, title=long("Versión"), problem=long("Problema"))
    for forum in Forum.objects.all():
        stretch(forum, name=long("Comité Técnico"), mandate=long("Mandato"))
    for meeting in Meeting.objects.all():
        stretch(meeting, title=long("Reunión"), place=long("Salón"))
    commitment.refresh_from_db()
    return person


# What the browser measures. An element "sticks out" when its box or its text ends right of the
# screen and no ancestor scrolls or clips it (a table inside `.table-scroll` is allowed to).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const clipping = ['auto', 'scroll', 'hidden', 'clip'];
  const clips = (el) => clipping.includes(getComputedStyle(el).overflowX);
  // Whether an ancestor that scrolls or clips holds `el`: for an absolutely positioned element
  // only its containing block and that block's own holders count (a visually hidden span inside a
  // scrolling table is held by no scroll container, and widens the page).
  const held = (el) => {
    let position = getComputedStyle(el).position;
    if (position === 'fixed') return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (position === 'absolute' && style.position === 'static' && style.transform === 'none') {
        continue;
      }
      if (clips(p)) return true;
      position = style.position;
      if (position === 'fixed') return false;
    }
    return false;
  };
  const sticks = (el) => el.getBoundingClientRect().right > width + 0.5 && !held(el);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const path = (el) => {
    const names = [];
    for (let e = el; e && e !== document.body && names.length < 4; e = e.parentElement) {
      names.unshift(name(e));
    }
    return names.join(' > ');
  };
  const found = new Map();
  const note = (el, right, text) => {
    const key = path(el);
    if (!found.has(key)) found.set(key, `${key} (right edge ${Math.round(right)} px): ` +
      text.trim().replace(/\\s+/g, ' ').slice(0, 60));
  };
  const scrolling = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    // Only the outermost element that sticks out: its parent does not.
    const parent = el.parentElement;
    if (box.width && sticks(el) && !(parent !== document.body && sticks(parent))) {
      note(el, box.right, el.textContent || '');
    }
    // A table (or anything) that needs sideways scrolling inside its own region, on a phone,
    // hides columns: stacked tables never need it.
    if (['auto', 'scroll'].includes(getComputedStyle(el).overflowX) &&
        el.scrollWidth > el.clientWidth + 1) {
      scrolling.push(`${path(el)} scrolls inside (${el.scrollWidth} px in ${el.clientWidth})`);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || clips(parent) || held(parent)) continue;
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) note(node.parentElement, box.right, node.textContent);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width,
          offenders: [...found.values()].slice(0, 6), scrolling: scrolling.slice(0, 4)};
}"""

# The size a person sees: the text's font size in the SVG's units times the SVG's scale.
SMALL_TEXT = """(minimum) => {
  const small = [];
  for (const text of document.querySelectorAll('svg text')) {
    if (!text.getClientRects().length || !text.textContent.trim()) continue;
    const m = text.getScreenCTM();
    const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    const px = parseFloat(getComputedStyle(text).fontSize) * scale;
    if (px < minimum) small.push(`"${text.textContent.slice(0, 20)}" ${px.toFixed(1)} px`);
  }
  return small;
}"""


def phone_problems(page: Page, base: str, paths: list[str]) -> dict[str, list[str]]:
    """Each page that scrolls sideways at 360 px (with the elements that stick out) or draws
    chart text under 12 px: page -> problems."""
    problems: dict[str, list[str]] = {}
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        found = page.evaluate(OVERFLOW)
        found_problems = []
        if found["scrollWidth"] > found["width"] or found["offenders"]:
            found_problems.append(f"{found['scrollWidth']} px wide")
            found_problems += found["offenders"]
        found_problems += found["scrolling"]
        small = page.evaluate(SMALL_TEXT, MIN_CHART_TEXT_PX)
        if small:
            found_problems.append(f"{len(small)} chart texts under 12 px, e.g. {small[:3]}")
        if found_problems:
            problems[path] = found_problems
    return problems


def _no_problems(problems: dict[str, list[str]]) -> None:
    if problems:
        lines = [f"{path}\n    " + "\n    ".join(found) for path, found in problems.items()]
        pytest.fail(f"{len(problems)} pages fail on a phone:\n" + "\n".join(lines), False)


def _phone(browser: Browser, cookies: list[dict] | None = None) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="es-GT")
    if cookies:
        context.add_cookies(cookies)
    return context.new_page()


def _cookies(client: Client, base: str) -> list[dict]:
    host = base.split("//", 1)[1].split(":")[0]
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "domain": host, "path": "/"}]


def test_the_gate_names_what_sticks_out_and_the_small_chart_text(browser):
    """The checks themselves: a 492 px table and a long word outside any scroll container are
    named; a wide table inside one is not, but its region is (it hides columns); a visually
    hidden text positioned past the screen from inside a scrolling table (the public log's bug)
    is named; chart text drawn at 7 px is caught."""
    page = _phone(browser)
    page.set_content(
        "<meta name=viewport content='width=device-width'><body style='margin:0'>"
        "<table id=wide style='width:492px'><tr><td>Responsable</td></tr></table>"
        "<p id=word>" + WORD + "</p>"
        "<div id=region style='overflow-x:auto'><table><tr><td style='min-width:800px'>x</td><td>"
        "<span id=hidden style='position:absolute;width:1px;height:1px;overflow:hidden'>"
        "Historial</span></td></tr></table></div>"
        "<svg viewBox='0 0 560 100' style='width:328px'><text y=20 font-size=12>Vencido</text>"
        "<text y=60 font-size=24>Grande</text></svg></body>"
    )
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] > 360
    assert [o.split(" (")[0] for o in found["offenders"]] == [
        "table#wide",
        "tbody > tr > td > span#hidden",
        "p#word",
    ]
    assert [o.split(" (")[0] for o in found["scrolling"]] == ["div#region scrolls inside"]
    small = page.evaluate(SMALL_TEXT, MIN_CHART_TEXT_PX)
    assert small == ['"Vencido" 7.0 px']
    page.context.close()


def test_no_page_scrolls_sideways_on_a_phone_with_long_content(live_server, browser):
    site = build_long_site()
    samples = site["samples"]
    paths = public_pages(samples, "es") + public_pages(samples, "en")
    page = _phone(browser)
    problems = phone_problems(page, live_server.url, paths)
    _no_problems(problems)

    # Stacked, a table is still a table to a screen reader (its header row only hidden from
    # sight), and the stacked pages pass axe at phone size too.
    page.goto(live_server.url + "/planes/")
    tree = page.locator("table.stack").first.aria_snapshot()
    assert "- table:" in tree and '- columnheader "Plan de acción"' in tree, tree
    assert """- 'cell "Miembro: Guatemala"'""" in tree, tree
    plan = site["plan"]
    stacked = ["/planes/", "/instituciones/", "/registro-publico/", f"/planes/{plan.slug}/tablero/"]
    violations = {}
    for path in stacked:
        page.goto(live_server.url + path)
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": gates.WCAG_TAGS}})
        if result.response["violations"]:
            violations[path] = [v["id"] for v in result.response["violations"]]
    page.context.close()
    assert violations == {}


def _long_notifications(person, commitment) -> None:
    """What the person follows and is told of, with long titles: My space's list and the
    notifications page."""
    from cocrea.notifications.models import Follow, Notification

    Follow.objects.create(user=person, target_type="plans.commitment", target_id=str(commitment.pk))
    for number, kind in enumerate(("report", "answer", "comment")):
        Notification.objects.create(
            recipient=person,
            kind=kind,
            key=f"event:{number}",
            title=long("Noticia"),
            url=commitment.get_absolute_url(),
            created_at=timezone.now() - timedelta(hours=number),
        )


def test_no_signed_in_form_scrolls_sideways_on_a_phone_with_long_content(live_server, browser):
    """My space, the proposal, report, assessment and IRM forms, a report waiting to be
    published, the answer to a proposal and the forms of co-creation and the forum, as the
    people who use them see them, with long content."""
    from cocrea.accounts.models import RoleGrant
    from cocrea.drafting.models import Draft
    from cocrea.forum.models import Forum
    from cocrea.participation.models import Consultation, Proposal
    from cocrea.tracking.models import ProgressReport
    from conftest import grant

    site = build_long_site()
    plan, commitment = site["plan"], site["commitment"]
    milestone = commitment.milestones.order_by("number").first()
    base = f"/planes/{plan.slug}/compromisos/{commitment.slug}"
    consultation = Consultation.objects.get(plan=plan)
    proposal = Proposal.objects.filter(consultation=consultation).order_by("pk").first()
    draft = Draft.objects.filter(consultation=consultation).order_by("pk").first()
    forum = Forum.objects.order_by("pk").first()
    # The samples' consultation is drafting today: another one takes proposals.
    proposing = open_consultation(build_plan(commitments=1, milestones_each=1))
    stretch(proposing, title=long("Consulta abierta"))

    official = make_person("Funcionaria", mfa=True)
    make_member(official, milestone.responsible_institution, role="reporting_official")
    contact = make_person("Punto de Contacto", mfa=True)
    grant(contact, RoleGrant.Role.POINT_OF_CONTACT)
    member = make_person("Sociedad Civil")
    make_member(member, commitment.supporting_institutions.first())
    draft_report, sent = (
        ProgressReport.objects.create(
            milestone=milestone,
            institution=milestone.responsible_institution,
            author=official,
            completion="limited",
            percent=20,
            done=long(text),
            facts_date=date(2025, 1, 1),
            status=status,
        )
        for text, status in (
            ("Avance", ProgressReport.Status.DRAFT),
            ("Enviado", ProgressReport.Status.SUBMITTED),
        )
    )
    _long_notifications(member, commitment)
    forms = {
        official: [
            "/mi-espacio/",
            f"{base}/hitos/1/informar/",
            f"/informes/{draft_report.public_id}/",
        ],
        contact: [
            "/mi-espacio/",
            "/en/mi-espacio/",
            f"/informes/{sent.public_id}/",
            f"{base}/irm/",
            f"/propuestas/{proposal.public_id}/responder/",
            f"/consultas/{consultation.slug}/talleres/nuevo/",
            f"/consultas/{consultation.slug}/borradores/nuevo/",
            f"/borradores/{draft.public_id}/nueva-version/",
            f"/foro/{forum.slug}/reuniones/nueva/",
        ],
        member: [
            "/mi-espacio/",
            "/notificaciones/",
            f"{base}/valorar/",
            f"/consultas/{proposing.slug}/propuestas/nueva/",
            f"/propuestas/{proposal.public_id}/",
        ],
    }
    problems: dict[str, list[str]] = {}
    for person, paths in forms.items():
        client = Client()
        sign_in_with_second_factor(client, person)
        page = _phone(browser, _cookies(client, live_server.url))
        for path, found in phone_problems(page, live_server.url, paths).items():
            problems[f"{person.public_name}: {path}"] = found
        page.context.close()
    _no_problems(problems)
