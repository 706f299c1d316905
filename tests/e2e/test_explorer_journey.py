"""Issue 25's explorer journey, in Chromium on a 360 x 740 phone, in Spanish, on the demo as
`make run` loads it with a member imported from OGP's database beside it: open the explorer,
filter by region and policy area, follow a figure to its commitments, open one."""

import re

import pytest
from django.db.models import Count
from playwright.sync_api import Page, expect

from cocrea.plans.models import Member, PolicyArea
from cocrea.plans.tests.factories import ActionPlanFactory, CommitmentFactory, MemberFactory
from tests.e2e.test_demo_journeys import _no_sideways_scroll, made_run, phone  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_explore_filter_by_region_and_area_and_open_a_figures_commitment(
    live_server,
    phone: Page,  # noqa: F811
    made_run,  # noqa: F811
):
    area = (
        PolicyArea.objects.filter(parent__isnull=False, commitments__plan__member__code="GTM")
        .annotate(n=Count("commitments"))
        .order_by("-n", "position")
        .first()
    )
    valencia = MemberFactory(
        name="Valencia",
        code="ESVLC",
        slug="valencia",
        level=Member.Level.LOCAL,
        region="Europa",
        is_default=False,
    )
    CommitmentFactory(
        plan=ActionPlanFactory(member=valencia, slug="valencia-1", number=1),
        slug="valencia-1-1",
        policy_areas=[area],
    )
    page = phone
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Explorar OGP").click()
    expect(page.locator("h1")).to_have_text("Explorador OGP")
    expect(page.locator("tbody th", has_text="Valencia")).to_be_visible()
    _no_sideways_scroll(page)

    page.get_by_label("Región").select_option("Américas")
    page.get_by_label("Área de política").select_option(area.slug)
    page.get_by_role("button", name="Filtrar").click()
    expect(page.locator("tbody th", has_text="Guatemala")).to_be_visible()
    expect(page.locator("tbody th", has_text="Valencia")).to_have_count(0)
    _no_sideways_scroll(page)

    figure = page.get_by_role("link", name=re.compile(r"Compromisos: Guatemala$")).first
    count = int(re.match(r"\d+", figure.inner_text()).group())
    figure.click()
    expect(page.locator("h1")).to_have_text("Los compromisos detrás de la cifra")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(min(count, 50))
    _no_sideways_scroll(page)

    link = rows.first.get_by_role("link").first
    title = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text(title)
    _no_sideways_scroll(page)
