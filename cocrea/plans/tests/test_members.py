"""The OGP members' pages (issue 25): the member list with its filters, each member's home, the
member filters of the plan and institution lists, pages that say their member, members served at
a host of their own, and a fixed number of queries at any number of members and plans."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocrea.core.pagecache import HEADER
from cocrea.plans.models import Member
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    InstitutionFactory,
    MemberFactory,
)
from conftest import build_plan, other_member

pytestmark = pytest.mark.django_db


def _member(code: str, name: str, **fields) -> Member:
    return Member.objects.create(
        code=code, name=name, slug=name.lower().replace(" ", "-"), **fields
    )


def _local_plan(member: Member, number: int = 1, **fields):
    values = {
        "member": member,
        "number": number,
        "slug": f"{member.slug}-plan-{number}",
        "title": f"Plan {number} de {member.name}",
        "start_date": date(2025, 1, 1),
        "end_date": date(2099, 12, 31),
        "status": "implementation",
    }
    values.update(fields)
    return ActionPlanFactory(**values)


@pytest.fixture
def world(db):
    """Guatemala (default, national) with a plan, Quetzaltenango (its OGP Local member) with a
    plan and an institution, and Chile (national, another region) with a plan."""
    plan = build_plan(commitments=2, milestones_each=2)
    xela = other_member()
    xela_plan = _local_plan(xela, title="Plan de acción local de Quetzaltenango")
    InstitutionFactory(member=xela, name="Municipalidad de Quetzaltenango", slug="muni-xela")
    chile = _member("CHL", "Chile", region="Sudamérica", level=Member.Level.NATIONAL)
    chile_plan = _local_plan(chile, title="Plan de Chile")
    return {"plan": plan, "xela": xela, "xela_plan": xela_plan, "chile_plan": chile_plan}


def _text(client, path, **extra) -> str:
    response = client.get(path, **extra)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_member_list_puts_local_members_under_their_national_member(client, world):
    html = _text(client, reverse("plans:member_list"))
    guatemala = html.index(">Guatemala<")
    xela = html.index(">Quetzaltenango<")
    chile = html.index(">Chile<")
    assert chile < guatemala < xela  # by name, Quetzaltenango under Guatemala
    assert html.count("<ul>", guatemala, xela) == 1 and "</li>" not in html[guatemala:xela]


def test_the_member_list_filters_by_region_and_level(client, world):
    local = _text(client, reverse("plans:member_list") + "?nivel=local")
    assert ">Quetzaltenango<" in local and ">Chile<" not in local
    assert "OGP Local de Guatemala" in local or "Guatemala" in local  # names its national
    south = _text(client, reverse("plans:member_list") + "?region=Sudamérica")
    assert ">Chile<" in south and ">Guatemala<" not in south


def _main(html: str) -> str:
    """The page's own content (the header's language switch keeps the query string)."""
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize(
    "query", ["?nivel=provincial", "?region=Marte", "?miembro=nadie", "?region=", "?nivel=a&b"]
)
def test_bad_filter_values_change_nothing(client, world, query):
    for name in ("plans:member_list", "plans:plan_list", "plans:institution_list"):
        plain = _main(_text(client, reverse(name)))
        assert _main(_text(client, reverse(name) + query)) == plain


def test_a_nul_in_a_filter_is_refused_not_an_error(client, world):
    assert client.get(reverse("plans:member_list") + "?nivel=%00").status_code == 400


def test_the_plan_list_filters_by_member_region_and_level(client, world):
    plans = reverse("plans:plan_list")
    xela = _text(client, plans + "?miembro=quetzaltenango")
    assert "Plan de acción local de Quetzaltenango" in xela
    assert world["plan"].title not in xela and "Plan de Chile" not in xela
    local = _text(client, plans + "?nivel=local")
    assert "Plan de acción local de Quetzaltenango" in local and "Plan de Chile" not in local
    national = _text(client, plans + "?nivel=national&region=Sudamérica")
    assert "Plan de Chile" in national and world["plan"].title not in national


def test_the_filtered_plan_list_keeps_its_filters_from_page_to_page(client, world, settings):
    settings.COCREA_PAGE_SIZE = 1
    guatemala = world["plan"].member
    for number in range(2, 4):
        _local_plan(guatemala, number=number + 10, slug=f"gt-{number}")
    html = _text(client, reverse("plans:plan_list") + "?miembro=guatemala")
    assert 'href="?miembro=guatemala&amp;page=2"' in html


def test_the_institution_list_filters_by_member(client, world):
    html = _text(client, reverse("plans:institution_list") + "?miembro=quetzaltenango")
    assert "Municipalidad de Quetzaltenango" in html
    assert world["plan"].commitments.first().lead_institution.name not in html


def test_a_national_members_home_lists_its_local_members_and_their_plans(client, world):
    html = _text(client, reverse("plans:member", kwargs={"slug": "guatemala"}))
    assert world["plan"].title in html  # its current plan, as the site's home shows it
    assert reverse("plans:member", kwargs={"slug": "quetzaltenango"}) in html
    assert "Plan de acción local de Quetzaltenango" in html
    assert reverse("tracking:plan_dashboard", kwargs={"slug": world["plan"].slug}) in html
    assert reverse("plans:institution_list") + "?miembro=guatemala" in html


def test_a_local_members_home_shows_its_plan_and_names_its_national_member(client, world):
    html = _text(client, reverse("plans:member", kwargs={"slug": "quetzaltenango"}))
    assert "Plan de acción local de Quetzaltenango" in html
    assert world["plan"].title not in html
    assert reverse("plans:member", kwargs={"slug": "guatemala"}) in html
    assert reverse("plans:institution_list") + "?miembro=quetzaltenango" in html


def test_an_unknown_member_is_a_404(client, world):
    assert client.get(reverse("plans:member", kwargs={"slug": "nadie"})).status_code == 404


def test_the_site_home_stays_the_default_members_with_a_way_to_the_others(client, world):
    html = _text(client, "/")
    assert world["plan"].title in html
    assert reverse("plans:member", kwargs={"slug": "guatemala"}) in html
    assert reverse("plans:member_list") in html
    # The member's other facts are on its page, not on the site's home (its cost).
    assert "Plan de acción local de Quetzaltenango" not in html


def test_plan_commitment_and_institution_pages_say_their_member(client, world):
    xela_page = reverse("plans:member", kwargs={"slug": "quetzaltenango"})
    assert xela_page in _text(client, world["xela_plan"].get_absolute_url())
    assert xela_page in _text(client, reverse("plans:institution", kwargs={"slug": "muni-xela"}))
    commitment = world["plan"].commitments.first()
    guatemala_page = reverse("plans:member", kwargs={"slug": "guatemala"})
    assert guatemala_page in _text(client, commitment.get_absolute_url())


@pytest.fixture
def hosts(settings):
    settings.COCREA_MEMBER_HOSTS = {"xela.example.org": "quetzaltenango"}
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "xela.example.org", "cocrea.example.org"]
    settings.COCREA_SITE_URL = "https://cocrea.example.org"


def test_a_members_own_host_shows_its_home_at_the_root(client, world, hosts):
    html = _text(client, "/", HTTP_HOST="xela.example.org")
    assert "Plan de acción local de Quetzaltenango" in html
    assert world["plan"].title not in html
    # Its other addresses work as on any host, and links to other members leave for the site.
    assert "https://cocrea.example.org/miembros/guatemala/" in html
    plans = _text(client, reverse("plans:plan_list"), HTTP_HOST="xela.example.org")
    assert 'href="/"' in plans  # Quetzaltenango's home, on its own host


def test_links_to_a_member_with_its_own_host_go_there(client, world, hosts):
    html = _text(client, reverse("plans:member_list"), HTTP_HOST="cocrea.example.org")
    assert 'href="https://xela.example.org/"' in html
    assert 'href="/miembros/guatemala/"' in html
    english = _text(client, "/en/miembros/", HTTP_HOST="cocrea.example.org")
    assert 'href="https://xela.example.org/en/"' in english


def test_an_unknown_host_is_refused(client, world, hosts):
    assert client.get("/", HTTP_HOST="otro.example.org").status_code == 400


def test_each_host_gets_its_own_cached_home(client, world, hosts, settings):
    settings.COCREA_PAGE_CACHE = True
    main = client.get("/", HTTP_HOST="cocrea.example.org")
    xela = client.get("/", HTTP_HOST="xela.example.org")
    assert main[HEADER] == "miss" and xela[HEADER] == "miss"
    again_main = client.get("/", HTTP_HOST="cocrea.example.org")
    again_xela = client.get("/", HTTP_HOST="xela.example.org")
    assert again_main[HEADER] == "hit" and again_xela[HEADER] == "hit"
    assert again_main.content == main.content and again_xela.content == xela.content
    assert main.content != xela.content
    assert world["plan"].title in again_main.content.decode()
    assert world["plan"].title not in again_xela.content.decode()


def _grow(n: int) -> None:
    """`n` more national members, each with two plans and an OGP Local member with one."""
    for i in range(n):
        national = _member(f"N{i:03d}", f"Nacional {i:03d}", region=f"Región {i % 4}")
        _local_plan(national, 1)
        _local_plan(national, 2, status="closed", end_date=date(2026, 1, 1))
        local = _member(f"L{i:03d}", f"Local {i:03d}", level=Member.Level.LOCAL, national=national)
        _local_plan(local, 1)
        InstitutionFactory(member=local, name=f"Municipio {i:03d}", slug=f"municipio-{i:03d}")


def _counts(client) -> dict[str, int]:
    pages = [
        reverse("plans:member_list"),
        reverse("plans:member_list") + "?nivel=local&region=Américas",
        reverse("plans:member", kwargs={"slug": "guatemala"}),
        reverse("plans:member", kwargs={"slug": "quetzaltenango"}),
        reverse("plans:plan_list") + "?nivel=national",
        reverse("plans:institution_list") + "?miembro=quetzaltenango",
        "/",
    ]
    counts = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts[page] = len(queries)
    return counts


def test_member_pages_cost_the_same_queries_at_any_number_of_members(client, world):
    small = _counts(client)
    _grow(30)
    for i in range(5):  # and Guatemala with more local members
        local = _member(f"GL{i}", f"Municipio GT {i}", level=Member.Level.LOCAL)
        local.national = world["plan"].member
        local.save()
        _local_plan(local, 1)
    assert _counts(client) == small
    assert max(small.values()) <= 14, small


def test_member_factory_is_the_default_national_member(world):
    assert MemberFactory().is_default and MemberFactory().level == Member.Level.NATIONAL
