"""Co-creation in a browser: a citizen proposes, another person supports and comments, the
point of contact adopts the proposal into a commitment, and the commitment page shows the
proposal that shaped it."""

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import build_plan
from tests.appchecks.participation import open_consultation
from tests.e2e.test_tracking_journey import sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_propose_support_comment_adopt_and_see_it_on_the_commitment(
    live_server, browser: Browser, page: Page, personas
):
    plan = build_plan(commitments=2)
    consultation = open_consultation(plan)
    commitment = plan.commitments.order_by("number_sort").first()
    base = live_server.url + "/en"

    sign_in(page, base, personas["citizen"])
    page.goto(base + f"/consultas/{consultation.slug}/")
    expect(page.locator("main")).to_contain_text("Phase: Proposals")
    page.get_by_role("link", name="Make a proposal").first.click()
    page.get_by_label("Title").fill("Compras municipales abiertas")
    page.get_by_label("The problem").fill("Nadie puede ver qué compran las municipalidades.")
    page.get_by_label("The proposal").fill("Publicar cada compra municipal en datos abiertos.")
    page.get_by_label("Department").select_option("quiche")
    page.get_by_role("button", name="Publish the proposal").click()
    expect(page.locator("h1")).to_have_text("Compras municipales abiertas")
    proposal_url = page.url
    sign_out(page)

    sign_in(page, base, personas["cso_member"])
    page.goto(proposal_url)
    page.get_by_role("button", name="Support this proposal").click()
    expect(page.locator("main")).to_contain_text("1 person supports this proposal.")
    page.get_by_label("Your comment").fill("Apoyamos, con **datos por municipio**.")
    page.get_by_role("button", name="Publish the comment").click()
    expect(page.locator(".comment strong").last).to_have_text("datos por municipio")
    sign_out(page)

    sign_in(page, base, personas["point_of_contact"])
    page.goto(proposal_url)
    page.get_by_role("link", name="Answer this proposal").click()
    page.get_by_label("Adopted", exact=True).check()
    page.get_by_label("Reasons").fill("Se incorpora al compromiso 1, que publicará las compras.")
    page.get_by_label(f"{commitment}").check()
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.locator("main")).to_contain_text("Adopted into:")
    sign_out(page)

    page.goto(base + commitment.get_absolute_url().removeprefix("/en"))
    shaped = page.locator(
        "section", has=page.get_by_role("heading", name="Proposals that shaped this commitment")
    )
    expect(shaped).to_contain_text("Compras municipales abiertas")
