"""Every public page, in both languages, through every gate: accessibility (axe, WCAG 2.0/2.1 A
and AA), valid HTML (vnu), weight (under 100 KB on the wire), no horizontal scrolling on a phone,
and security headers. The pages come from the URL configuration and the data (tests/pages.py)."""

import pytest
from django.test import Client

from conftest import build_plan
from tests.e2e import gates
from tests.headers import security_header_problems
from tests.pages import plan_samples, public_pages

pytestmark = pytest.mark.django_db(transaction=True)


def _pages(plan, extra: dict | None = None) -> list[str]:
    samples = {**plan_samples(plan), **(extra or {})}
    return public_pages(samples, "es") + public_pages(samples, "en")


@pytest.fixture
def site_plan():
    plan = build_plan(commitments=12, milestones_each=5)
    build_plan(commitments=2, milestones_each=2, status="closed")
    return plan


def test_no_public_page_has_an_accessibility_violation(live_server, browser, site_plan):
    pages = _pages(site_plan)
    assert gates.accessibility_violations(browser, live_server.url, pages) == {}


def test_every_public_page_is_valid_html(site_plan):
    client = Client()
    documents = {page: client.get(page).content.decode() for page in _pages(site_plan)}
    assert gates.html_errors(documents) == {}


def test_every_public_page_weighs_under_100_kb(live_server, browser, site_plan):
    weights = gates.transferred_bytes(browser, live_server.url, _pages(site_plan))
    heavy = {page: size for page, size in weights.items() if size >= gates.MAX_PAGE_BYTES}
    assert heavy == {}
    assert all(size > 1000 for size in weights.values()), weights  # really measured


def test_no_public_page_scrolls_sideways_on_a_phone(live_server, browser, site_plan):
    assert gates.horizontal_overflow(browser, live_server.url, _pages(site_plan)) == {}


def test_a_new_broken_page_fails_every_gate_without_editing_any_list(
    live_server, browser, site_plan, settings
):
    """The broken page is only added to a URL configuration; every gate finds and flags it."""
    settings.ROOT_URLCONF = "tests.e2e.broken_urls"
    with pytest.raises(AssertionError, match="broken"):
        _pages(site_plan)  # a public page without sample arguments cannot slip through
    pages = _pages(site_plan, {"broken": dict})
    assert "/roto/" in pages and "/en/roto/" in pages

    found = gates.accessibility_violations(browser, live_server.url, pages)
    assert set(found) == {"/roto/", "/en/roto/"}
    client = Client()
    documents = {page: client.get(page).content.decode() for page in pages}
    assert set(gates.html_errors(documents)) == {"/roto/", "/en/roto/"}
    weights = gates.transferred_bytes(browser, live_server.url, pages)
    assert {p for p, size in weights.items() if size >= gates.MAX_PAGE_BYTES} == {
        "/roto/",
        "/en/roto/",
    }
    assert set(gates.horizontal_overflow(browser, live_server.url, pages)) == {
        "/roto/",
        "/en/roto/",
    }
    flagged = {page for page in pages if security_header_problems(client.get(page))}
    assert flagged == {"/roto/", "/en/roto/"}


def test_signed_in_pages_have_no_accessibility_violation(live_server, browser, site_plan):
    """My space (with a request to decide), account deletion, two-factor set-up and a public
    page as a signed-in person sees it (header with log-out, join form)."""
    from django.conf import settings
    from django.test import Client

    from cocrea.accounts.models import RoleGrant
    from cocrea.plans.models import Membership
    from conftest import grant, make_person

    staff = make_person("Punto de Contacto", mfa=True)
    grant(staff, RoleGrant.Role.POINT_OF_CONTACT)
    asker = make_person("Quien Pide")
    institution = site_plan.commitments.first().lead_institution
    Membership.objects.create(user=asker, institution=institution)
    client = Client()
    client.force_login(staff)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = live_server.url.split("//", 1)[1].split(":")[0]
    cookies = [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    pages = [
        "/mi-espacio/",
        "/en/mi-espacio/",
        "/mi-espacio/eliminar-cuenta/",
        "/cuentas/2fa/",
        f"/instituciones/{institution.slug}/",
        "/notificaciones/",  # empty: how to follow
        site_plan.commitments.first().get_absolute_url(),  # its follow form
    ]
    assert gates.accessibility_violations(browser, live_server.url, pages, cookies) == {}
    context = browser.new_context()
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(live_server.url + "/mi-espacio/")
    assert page.locator("h1").inner_text() == "Mi espacio"  # really signed in
    assert "Quien Pide" in page.locator("main").inner_text()  # the request to decide is shown
    context.close()


def test_tracking_forms_are_accessible_and_valid_html_for_who_uses_them(
    live_server, browser, site_plan
):
    """The pages behind sign-in where officials report, the point of contact publishes or enters
    the IRM's findings, and civil society assesses: axe and the HTML checker, with the forms
    empty and with their error messages shown."""
    from django.conf import settings
    from django.utils import timezone

    from cocrea.accounts.models import RoleGrant
    from cocrea.tracking.models import ProgressReport
    from conftest import grant, make_member, make_person

    commitment = site_plan.commitments.order_by("number_sort").first()
    milestone = commitment.milestones.order_by("number").first()
    base = f"/planes/{site_plan.slug}/compromisos/{commitment.slug}"
    official = make_person("Funcionaria", mfa=False)
    make_member(official, milestone.responsible_institution, role="reporting_official")
    contact = make_person("Punto de Contacto", mfa=True)
    grant(contact, RoleGrant.Role.POINT_OF_CONTACT)
    member = make_person("Sociedad Civil")
    cso = site_plan.commitments.first().supporting_institutions.first()
    make_member(member, cso)
    draft = ProgressReport.objects.create(
        milestone=milestone,
        institution=milestone.responsible_institution,
        author=official,
        completion="limited",
        percent=20,
        done="Borrador",
        facts_date=timezone.localdate(),
    )
    sent = ProgressReport.objects.create(
        milestone=milestone,
        institution=milestone.responsible_institution,
        author=official,
        completion="limited",
        percent=20,
        done="Enviado",
        facts_date=timezone.localdate(),
        status=ProgressReport.Status.SUBMITTED,
    )
    host = live_server.url.split("//", 1)[1].split(":")[0]
    documents: dict[str, str] = {}
    for person, pages, bad_posts in (
        (
            official,
            [f"{base}/hitos/1/informar/", f"/informes/{draft.public_id}/"],
            {f"{base}/hitos/1/informar/": {"percent": "150", "facts_date": "2999-01-01"}},
        ),
        (
            contact,
            [f"/informes/{sent.public_id}/", f"{base}/irm/", "/mi-espacio/"],
            {f"{base}/irm/": {"verifiable": "maybe", "report_url": "nope"}},
        ),
        (member, [f"{base}/valorar/"], {f"{base}/valorar/": {"completion": "x"}}),
    ):
        client = Client()
        client.force_login(person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies = [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}
        ]
        assert gates.accessibility_violations(browser, live_server.url, pages, cookies) == {}
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            documents[path] = response.content.decode()
        for path, data in bad_posts.items():
            response = client.post(path, data)
            assert response.status_code == 400, path
            documents[f"{path} (errors)"] = response.content.decode()
    assert gates.html_errors(documents) == {}


def _error_pages(client: Client) -> dict[str, str]:
    """The pages that refuse, in both languages: 400 (a NUL in the address), 403 (a signed-in
    person at the administration's door), 404, 405 (a POST to a page that only reads) and 413 (a
    body past the form's limit)."""
    from django.conf import settings

    from conftest import make_person

    documents = {}
    for prefix in ("", "/en"):
        documents[f"{prefix}/planes/?area=%00"] = client.get(f"{prefix}/planes/?area=%00")
        documents[f"{prefix}/no-existe/"] = client.get(f"{prefix}/no-existe/")
        documents[f"{prefix}/planes/ (POST)"] = client.post(f"{prefix}/planes/")
        documents[f"{prefix}/cuentas/login/ (too large)"] = client.post(
            f"{prefix}/cuentas/login/",
            b"x",
            content_type="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        )
    client.force_login(make_person("Ciudadana Curiosa"))
    for prefix in ("", "/en"):
        documents[f"{prefix}/admin/login/"] = client.get(f"{prefix}/admin/login/")
    statuses = {page: response.status_code for page, response in documents.items()}
    assert sorted(set(statuses.values())) == [400, 403, 404, 405, 413], statuses
    return {page: response.content.decode() for page, response in documents.items()}


def test_the_error_pages_are_valid_html_in_both_languages(db):
    assert gates.html_errors(_error_pages(Client())) == {}


ERROR_ADDRESSES = ["/planes/?area=%00", "/no-existe/"]


def test_the_error_pages_reached_by_an_address_are_accessible(live_server, browser):
    pages = [f"{prefix}{path}" for prefix in ("", "/en") for path in ERROR_ADDRESSES]
    assert gates.accessibility_violations(browser, live_server.url, pages) == {}
