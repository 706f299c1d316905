"""Issue 25's journey, in Chromium on a 360 x 740 phone, in Spanish, on the demo as `make run`
loads it: from the site's home (Guatemala's) to the national member's page, to an OGP Local
member's page, on to its open consultation, and back to the national member's page."""

import re

import pytest
from playwright.sync_api import Page, expect

from cocrea.participation.models import Consultation
from cocrea.plans.management import demo_local
from tests.e2e.test_demo_journeys import _no_sideways_scroll, made_run, phone  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_the_national_home_to_a_local_members_consultation_and_back(
    live_server,
    phone: Page,  # noqa: F811
    made_run,  # noqa: F811
):
    page = phone
    consultation = Consultation.objects.get(plan__member__code=demo_local.CODE)
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Gobierno abierto en Guatemala")
    _no_sideways_scroll(page)
    page.get_by_role("link", name=re.compile("^Todo sobre Guatemala")).click()
    expect(page.locator("h1")).to_have_text("Gobierno abierto en Guatemala")
    locals_section = page.get_by_role("region", name="Miembros de OGP Local")

    locals_section.get_by_role("link", name=demo_local.NAME).click()
    expect(page.locator("h1")).to_have_text(f"Gobierno abierto en {demo_local.NAME}")
    expect(page.locator(".eyebrow").first).to_contain_text("miembro de OGP Local de Guatemala")
    _no_sideways_scroll(page)

    # Its home leads to taking part: the main action goes to its own consultation.
    page.locator("main a.button").first.click()
    expect(page).to_have_url(re.compile(re.escape(consultation.slug)))
    _no_sideways_scroll(page)

    page.go_back()
    expect(page.locator("h1")).to_have_text(f"Gobierno abierto en {demo_local.NAME}")
    page.get_by_role("region", name="Miembro nacional").get_by_role(
        "link", name="Guatemala"
    ).click()
    expect(page.locator("h1")).to_have_text("Gobierno abierto en Guatemala")
    expect(page.get_by_role("region", name="Miembros de OGP Local")).to_contain_text(
        demo_local.NAME
    )
    _no_sideways_scroll(page)
