"""The explorer: its figures against an independent count of the same data (a live commitment
and an imported one each counted by its own rule), the filters, bad input, the commitments
behind each figure, and the same number of queries at any data size."""

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocrea.explorer import selectors
from cocrea.explorer.selectors import Filters
from cocrea.plans import progress
from cocrea.plans.models import Member
from cocrea.plans.selectors import plan_commitments
from cocrea.plans.tests.factories import ActionPlanFactory, CommitmentFactory, MemberFactory
from cocrea.tracking.selectors import disputed_commitment_ids

pytestmark = pytest.mark.django_db


def independent() -> dict[str, dict[str, set[str]]]:
    """{member slug: {figure: the slugs of its commitments}}, read commitment by commitment
    through the plans' own selector (which sets each commitment's derived completion) and
    tracking's rule, not through the explorer."""
    found: dict[str, dict[str, set[str]]] = {}
    for member in Member.objects.all():
        figures: dict[str, set[str]] = {name: set() for name in selectors.FIGURES}
        everything = [c for plan in member.plans.all() for c in plan_commitments(plan=plan)]
        tracked = any(list(c.milestones.all()) for c in everything)
        disputed = disputed_commitment_ids(everything) if tracked else set()
        for c in everything:
            figures[selectors.TOTAL].add(c.slug)
            review = getattr(c, "irm_review", None)
            if list(c.milestones.all()):
                complete = c.completion == progress.COMPLETE
            else:
                latest = review and (review.completion_end or review.completion_midterm)
                complete = latest == "complete"
            if complete:
                figures[selectors.COMPLETE].add(c.slug)
            if review is not None and review.starred is True:
                figures[selectors.STARRED].add(c.slug)
            if c.pk in disputed:
                figures[selectors.DISPUTED].add(c.slug)
        if not tracked:
            figures.pop(selectors.DISPUTED)
        if everything:
            found[member.slug] = figures
    return found


def test_member_figures_match_an_independent_count(ogp):
    rows = {row.member["slug"]: row for row in selectors.by_member(Filters())}
    counted = independent()
    assert set(rows) == set(counted)
    for slug, figures in counted.items():
        for name in selectors.FIGURES:
            expected = len(figures[name]) if name in figures else None
            assert rows[slug].figure(name) == expected, (slug, name)


def test_live_and_imported_commitments_each_count_by_their_own_rule(ogp):
    rows = {row.member["slug"]: row for row in selectors.by_member(Filters())}
    guatemala, valencia = rows["guatemala"], rows["valencia"]
    # g1, g2 by their milestones (g4's IRM "complete" does not count), g5 by the IRM.
    assert (guatemala.total, guatemala.complete, guatemala.starred) == (6, 3, 1)
    assert guatemala.disputed == 2 and guatemala.live == 5  # g4 and g5
    # v1 at the end of term, v2 at mid-term with the end unknown; v3's end says limited.
    assert (valencia.total, valencia.complete, valencia.starred, valencia.live) == (4, 2, 1, 0)
    assert valencia.figure(selectors.DISPUTED) is None  # nothing tracked: no figure


def test_by_area_counts_a_commitment_once_per_theme(ogp):
    rows = {row.params["area"]: row for row in selectors.by_area(Filters())}
    theme = rows[ogp.theme.slug]
    assert (theme.total, theme.complete, theme.starred, theme.disputed) == (3, 3, 2, 0)
    other = rows[ogp.area_y.parent.slug]
    assert (other.total, other.complete) == (1, 1)
    assert other.figure(selectors.DISPUTED) is None


def test_by_area_with_a_theme_chosen_shows_its_areas(ogp):
    ids = (ogp.theme.pk, *ogp.theme.children.values_list("pk", flat=True))
    rows = selectors.by_area(Filters(area=ogp.theme.slug, area_ids=ids))
    assert {r.params["area"]: r.total for r in rows} == {ogp.theme.slug: 1, ogp.area_x.slug: 2}


def test_by_value(ogp):
    rows = {row.params["valor"]: row for row in selectors.by_value(Filters())}
    assert list(rows) == list(selectors.VALUES)
    access = rows["access_to_information"]
    assert (access.total, access.complete, access.starred, access.disputed) == (2, 2, 2, 0)
    civic = rows["civic_participation"]
    assert (civic.total, civic.complete, civic.disputed) == (1, 0, 1)
    assert rows["inclusion"].total == 1 and rows["inclusion"].figure("disputados") is None
    assert rows["technology_innovation"].total == 0


def _row_names(client, **params) -> list[str]:
    page = client.get("/explorar/", params)
    assert page.status_code == 200
    body = page.content.decode().split("<tbody>", 1)[-1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row">([^<]+)</th>', body)


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, ["Guatemala", "Valencia"]),
        ({"region": "Europa"}, ["Valencia"]),
        ({"nivel": "local"}, ["Valencia"]),
        ({"nivel": "nacional"}, ["Guatemala"]),
        ({"valor": "civic_participation"}, ["Guatemala"]),
        ({"valor": "inclusion", "region": "Europa"}, ["Valencia"]),
    ],
)
def test_filters_keep_their_members(client, ogp, params, names):
    assert _row_names(client, **params) == names


def test_an_area_filter_counts_the_theme_and_its_areas(client, ogp):
    rows = {
        r.member["slug"]: r.total
        for r in selectors.by_member(Filters(area=ogp.area_x.slug, area_ids=(ogp.area_x.pk,)))
    }
    assert rows == {"guatemala": 1, "valencia": 1}
    page = client.get("/explorar/", {"area": ogp.theme.slug}).content.decode()
    assert "Guatemala" in page and "Valencia" in page


@pytest.mark.parametrize(
    "params",
    [
        {"region": "Marte"},
        {"nivel": "galáctico"},
        {"area": "no-existe"},
        {"valor": "1;DROP TABLE plans_member"},
        {"por": "nada"},
        {"region": "x" * 5000},
    ],
)
def test_bad_filters_are_reported_and_left_out(client, ogp, params):
    page = client.get("/explorar/", params)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'role="alert"' in text
    assert "Guatemala" in text and "Valencia" in text


@pytest.mark.parametrize(
    "params",
    [
        {"miembro": "atlantida"},
        {"figura": "todos"},
        {"miembro": "../../etc"},
        {"page": "abc"},
        {"page": "999999999"},
    ],
)
def test_bad_figure_addresses_never_fail(client, ogp, params):
    assert client.get("/explorar/compromisos/", params).status_code == 200


def test_the_pages_mark_where_figures_come_from(client, ogp):
    page = client.get("/explorar/").content.decode()
    assert "En vivo" in page and "Datos de OGP" in page
    body = page.split("<tbody>", 1)[1]
    assert "—" in body.split('scope="row">Valencia', 1)[1].split("</tr>", 1)[0]


def _figure_links(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/explorar/compromisos/\?[^"]+)"', text)]


def _listed(client, link: str) -> set[str]:
    text = client.get(link).content.decode()
    return set(re.findall(r'/planes/[^/]+/compromisos/([^/"]+)/"', text))


@pytest.mark.parametrize("view", ["", "area", "valor"])
def test_every_figure_leads_to_exactly_its_commitments(client, ogp, view):
    text = client.get("/explorar/", {"por": view} if view else {}).content.decode()
    links = _figure_links(text)
    assert links
    counted = independent()
    for link in links:
        query = {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
        listed = _listed(client, link)
        shown = re.search(re.escape(html.escape(link, quote=True)) + r'">(\d+)<', text)
        assert shown is not None, link
        assert len(listed) == int(shown.group(1)), link
        if set(query) == {"miembro", "figura"}:
            assert listed == counted[query["miembro"]][query["figura"]], link


def test_the_commitments_page_leads_to_each_commitment(client, ogp):
    text = client.get(
        "/explorar/compromisos/", {"miembro": "guatemala", "figura": "completos"}
    ).content.decode()
    for c in (ogp.g.c1, ogp.g.c2, ogp.g.c5):
        assert f'href="{c.get_absolute_url()}"' in text
    assert ogp.g.c3.get_absolute_url() not in text


def test_the_english_pages_answer(client, ogp):
    assert "OGP explorer" in client.get("/en/explorar/").content.decode()
    assert client.get("/en/explorar/compromisos/", {"figura": "destacados"}).status_code == 200


def _build(prefix: str, members: int, plans_each: int, commitments_each: int) -> None:
    from cocrea.plans.tests.factories import MilestoneFactory
    from cocrea.tracking.models import IrmReview

    for m in range(members):
        member = MemberFactory(
            name=f"Miembro {prefix}{m}",
            code=f"{prefix}{m}",
            slug=f"{prefix}-{m}",
            region="Europa",
            is_default=False,
        )
        for p in range(plans_each):
            plan = ActionPlanFactory(member=member, slug=f"{prefix}{m}-p{p}", number=p + 1)
            for c in range(commitments_each):
                commitment = CommitmentFactory(
                    plan=plan, number=str(c + 1), slug=f"c{c}", inclusion=bool(c % 2)
                )
                if m % 2:
                    MilestoneFactory(commitment=commitment, number=1, completion="complete")
                else:
                    IrmReview.objects.create(commitment=commitment, completion_end="complete")


def _queries(client) -> list[int]:
    counts = []
    for address, params in [
        ("/explorar/", {}),
        ("/explorar/", {"por": "area", "region": "Europa"}),
        ("/explorar/", {"por": "valor", "nivel": "nacional"}),
        ("/explorar/compromisos/", {"figura": "completos", "valor": "inclusion"}),
        ("/explorar/compromisos/", {"figura": "disputados", "miembro": "m-1"}),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address, params).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_same_queries_for_2_members_and_for_6_with_many_commitments(client, ogp):
    _build("m", members=2, plans_each=1, commitments_each=2)
    small = _queries(client)
    _build("l", members=6, plans_each=3, commitments_each=12)
    cache.clear()
    assert _queries(client) == small
    assert max(small) <= 9, small


def test_kept_figures_follow_the_data_version(client, ogp):
    from cocrea.core.versioning import data_version_bump

    def guatemala_total() -> int:
        rows = selectors.figures("", Filters())
        return next(r.total for r in rows if r.member["slug"] == "guatemala")

    assert guatemala_total() == 6
    CommitmentFactory(plan=ogp.g.c1.plan, number="7", slug="gt-5-7")
    assert guatemala_total() == 6  # kept: nothing moved the version (a service would)
    data_version_bump()
    assert guatemala_total() == 7


def test_the_scale_data_is_counted_as_independently(db):
    from django.core.management import call_command

    call_command(
        "seed_scale",
        stdout=None,
        plans=4,
        commitments=16,
        milestones=40,
        institutions=6,
        members=3,
        proposals=2,
        comments=2,
        supports=2,
        imported_members=2,
        imported_plans_each=1,
        imported_commitments_each=4,
        assessments=12,
    )
    assert Member.objects.filter(code__startswith="SCALE-OGP-").count() == 2
    rows = {row.member["slug"]: row for row in selectors.by_member(Filters())}
    # The seeded data has both kinds, and something of each figure (the seed is fixed).
    assert any(r.live == 0 for r in rows.values()) and any(r.live for r in rows.values())
    assert all(sum(r.figure(f) or 0 for r in rows.values()) for f in selectors.FIGURES)
    counted = independent()
    assert set(rows) == set(counted)
    for slug, figures in counted.items():
        for name in selectors.FIGURES:
            expected = len(figures[name]) if name in figures else None
            assert rows[slug].figure(name) == expected, (slug, name)


def test_the_commitments_behind_a_figure_are_paged_with_the_figure_kept(client, settings):
    settings.COCREA_PAGE_SIZE = 2
    member = MemberFactory()
    plan = ActionPlanFactory(member=member)
    for n in range(5):
        CommitmentFactory(plan=plan, title=f"Compromiso paginado {n}")
    query = f"miembro={member.slug}&figura=total"
    first = client.get(f"/explorar/compromisos/?{query}").content.decode()
    assert "Página 1 de 3" in first
    next_link = re.search(r'href="\?([^"]+)" rel="next"', first).group(1)
    assert parse_qs(html.unescape(next_link)) == {
        "miembro": [member.slug],
        "figura": ["total"],
        "page": ["2"],
    }
    second = client.get(f"/explorar/compromisos/?{html.unescape(next_link)}").content.decode()
    assert "Página 2 de 3" in second and 'rel="prev"' in second
