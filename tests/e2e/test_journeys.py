"""What a person does in a browser: follow the plan down to a commitment, switch language, and
do it all with the keyboard alone."""

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import build_plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_to_plan_to_commitment_then_the_same_commitment_in_english(live_server, page: Page):
    plan = build_plan(commitments=4)
    commitment = plan.commitments.get(number=3)

    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text(f"Gobierno abierto en {plan.member.name}")
    expect(page.locator("#current-plan")).to_contain_text(plan.title)
    page.get_by_role("link", name="Ver todos los compromisos de este plan").click()

    expect(page).to_have_url(re.compile(rf"/planes/{plan.slug}/$"))
    expect(page.get_by_role("heading", level=2, name="4 compromisos")).to_be_visible()
    page.get_by_role("link", name=commitment.title).click()

    expect(page).to_have_url(re.compile(rf"/planes/{plan.slug}/compromisos/{commitment.slug}/$"))
    expect(page.locator("h1")).to_have_text(commitment.title)
    expect(page.get_by_role("heading", name="Hitos")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(rf"/en/planes/{plan.slug}/compromisos/{commitment.slug}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(commitment.title)
    expect(page.get_by_role("heading", name="Milestones")).to_be_visible()

    page.get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(commitment.title)


def _focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName, text: (el.textContent || '').trim(), href: el.getAttribute('href'),
                outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
            };
        }"""
    )


def test_every_main_link_is_reached_with_the_keyboard_and_shows_focus(live_server, page: Page):
    build_plan(commitments=2)
    page.goto(live_server.url + "/")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] == "BODY":
            break
        assert focused["outline"] != "none" and focused["width"] >= 2, focused
        reached.append(focused["text"])
        if focused["text"] == "English":
            break
    assert reached[0] == "Saltar al contenido"
    for link in ["Inicio", "Planes de acción", "Instituciones", "English"]:
        assert link in reached, reached


def test_the_skip_link_and_a_nav_link_work_from_the_keyboard(live_server, page: Page):
    build_plan(commitments=1)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.goto(live_server.url + "/")
    for _ in range(4):  # skip link, brand, Inicio, Planes de acción
        page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Planes de acción"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/planes/$"))
    expect(page.locator("h1")).to_have_text("Planes de acción")


def test_the_plan_filters_work_without_javascript(live_server, browser):
    plan = build_plan(commitments=3)
    first = plan.commitments.get(number=1)
    area = first.policy_areas.get()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/planes/{plan.slug}/")
    page.get_by_label("Área de política").select_option(area.slug)
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("^1 compromiso"))).to_be_visible()
    expect(page.get_by_role("link", name=first.title)).to_be_visible()
    context.close()
