"""Issue 24's journey, in Chromium on a 360 x 740 phone, in Spanish, on the demo as `make run`
loads it: search from the header's box, filter the results by department, open a result."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_demo_journeys import _no_sideways_scroll, made_run, phone  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_from_the_header_filter_by_department_and_open_a_result(
    live_server,
    phone: Page,  # noqa: F811
    made_run,  # noqa: F811
):
    page = phone
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="Buscar en el sitio")
    box.fill("agua")
    box.press("Enter")
    expect(page.locator("h1")).to_have_text("Buscar")
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ resultados"))).to_be_visible()
    expect(page.locator(".results mark").first).to_have_text(re.compile("agua", re.I))
    _no_sideways_scroll(page)

    page.locator("summary", has_text="Filtros").click()
    page.get_by_label("Departamento").select_option("alta-verapaz")
    page.get_by_label("Tipo").select_option("proposal")
    page.get_by_role("button", name="Filtrar").click()
    results = page.locator(".results > li")
    expect(results).to_have_count(1)
    expect(page.get_by_role("heading", name=re.compile("1 resultado"))).to_contain_text(
        "con filtros"
    )
    _no_sideways_scroll(page)

    results.first.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Abastecimiento de agua en las escuelas")
    _no_sideways_scroll(page)
