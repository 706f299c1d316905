"""Accountability in a browser: an official reports progress with a PDF, the point of contact
publishes it, a civil-society member disagrees with evidence, and an anonymous visitor sees both
views side by side and the public history."""

import re
import time
from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from playwright.sync_api import Browser, Page, expect

from cocrea.core.tests.files import BLANK_PDF
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "una-clave-larga-de-prueba-1"  # conftest.make_person's
PDF = BLANK_PDF  # a real PDF: an unreadable one is refused (cocrea/core/scrub.py)


def sign_in(page: Page, base: str, user) -> None:
    page.goto(base + "/cuentas/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        expect(page).to_have_url(re.compile(r"/2fa/authenticate/$"))
        secret = decrypt(totp.data["secret"])
        page.locator("#id_code").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
        page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/mi-espacio/$"))


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_report_publish_disagree_and_see_both_views(
    live_server, browser: Browser, page: Page, personas, institutions
):
    commitment = CommitmentFactory(
        lead_institution=institutions["mineduc"], title="Datos abiertos de educación"
    )
    MilestoneFactory(
        commitment=commitment,
        number=1,
        description="Publicar el portal de datos",
        end_date=date(2099, 1, 1),
    )
    base = live_server.url + "/en"
    commitment_url = base + commitment.get_absolute_url().removeprefix("/en")

    # The official reports progress with a PDF and sends it for publication.
    sign_in(page, base, personas["official"])
    page.goto(commitment_url)
    page.get_by_role("link", name="Report progress on this milestone").click()
    page.get_by_label("Completion").select_option("substantial")
    page.get_by_label("Percentage done").fill("70")
    page.get_by_label("What was done").fill("The portal is online with 12 datasets.")
    page.get_by_label("Date of the facts").fill("2025-03-01")
    page.get_by_label("Evidence file").set_input_files(
        {"name": "portal.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Save the draft").first.click()
    expect(page.locator("main")).to_contain_text("portal.pdf")
    page.get_by_role("button", name="Send for publication").click()
    expect(page.locator("main")).to_contain_text("Awaiting publication")
    sign_out(page)

    # The point of contact publishes it from their space.
    sign_in(page, base, personas["point_of_contact"])
    page.get_by_role("link", name=re.compile("Datos abiertos de educación")).click()
    page.get_by_role("button", name="Publish the report").click()
    expect(page.locator("main")).to_contain_text("The report is published.")
    sign_out(page)

    # A civil-society member disagrees, with a link as evidence.
    sign_in(page, base, personas["cso_member"])
    page.goto(commitment_url)
    page.get_by_role("link", name="Publish your organisation's assessment").click()
    page.get_by_label("What you assess").select_option(label="1. Publicar el portal de datos")
    page.get_by_label("Completion, in your reading").select_option("limited")
    page.get_by_label("Your reading of the evidence").fill("Only 3 of the 12 datasets open.")
    page.get_by_label("Evidence link").fill("https://example.org/capture")
    page.get_by_role("button", name="Publish the assessment").click()
    expect(page.locator("main")).to_contain_text("Your assessment is published.")
    sign_out(page)

    # Anyone sees both views, the difference, the evidence and the history.
    visitor = browser.new_context(locale="en").new_page()
    visitor.goto(commitment_url)
    main = visitor.locator("main")
    expect(main).to_contain_text("The portal is online with 12 datasets.")
    expect(main).to_contain_text("Only 3 of the 12 datasets open.")
    expect(main).to_contain_text("Views differ")
    expect(visitor.get_by_role("link", name="portal.pdf")).to_be_visible()
    visitor.get_by_role("link", name="History of this commitment").click()
    expect(visitor.locator("main")).to_contain_text("Red Ciudadana")
    expect(visitor.locator("main")).to_contain_text("Funcionaria Mineduc")
    visitor.context.close()
