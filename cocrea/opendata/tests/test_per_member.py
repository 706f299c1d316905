"""Open data per OGP member: the API's `member` filter on every list and `/api/v1/members`, one
bulk package per member beside the whole site's, a feed per member and one for the whole site,
and the OGP export limited to one member. (What must never leave, across members, is
tests/test_privacy_across_members.py.)"""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from frictionless import validate

from cocrea.forum.models import Forum, Meeting
from cocrea.opendata.export import TABLES
from cocrea.participation import services as participation
from cocrea.participation.models import Response
from cocrea.plans.models import Member
from cocrea.plans.tests.factories import InstitutionFactory, MemberFactory
from conftest import build_plan, other_member, sign_in_with_second_factor
from tests.appchecks.participation import _proposal, open_consultation
from tests.pages import API_LISTS, plan_samples

pytestmark = pytest.mark.django_db

# The lists a member filters (the policy areas are OGP's, the audit log the site's).
FILTERED = [name for name in API_LISTS if name not in ("members", "policy-areas", "audit-events")]


def _all(client, name, **params):
    rows, url, query = [], f"/api/v1/{name}", {**params, "page_size": 200}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, (name, params, response.content[:300])
        body = json.loads(response.content)
        rows += body["results"]
        url, query = body["next"], {}
    return rows


def _meeting(forum, plan, title):
    now = timezone.now()
    return Meeting.objects.create(
        forum=forum,
        plan=plan,
        title=title,
        starts_at=now,
        announced_at=now,
        schedule_changed_at=now,
        agenda="Agenda",
    )


def _answer(proposal, plan):
    answer = Response.objects.create(
        proposal=proposal,
        kind=Response.Kind.values[0],
        reasons="Razones",
        answered_at=timezone.now(),
    )
    answer.commitments.set(plan.commitments.all()[:1])
    return answer


def _member_world(member, slug, personas, commitments=2):
    """A plan of `member` with everything the lists show: milestones, reports, assessments,
    an IRM review, a consultation with proposals and a comment, a forum meeting."""
    plan = build_plan(commitments=commitments, slug=slug, number=1, member=member)
    institution = InstitutionFactory(member=member, name=f"Institución de {slug}")
    plan.commitments.update(lead_institution=institution)
    consultation = open_consultation(plan)
    proposal = _proposal(consultation, personas["citizen"], title=f"Propuesta {slug}")
    participation.comment_add(actor=personas["citizen"], proposal=proposal, body=f"Sí {slug}")
    _answer(proposal, plan)
    plan_samples(plan)
    forum, _ = Forum.objects.get_or_create(
        member=member, defaults={"name": f"Foro {slug}", "slug": f"foro-{slug}"}
    )
    _meeting(forum, plan, f"Reunión {slug}")
    return plan


@pytest.fixture
def two(personas):
    guatemala, xela = MemberFactory(), other_member()
    _member_world(guatemala, "guate", personas)
    _member_world(xela, "xela", personas)
    return guatemala, xela


def _member_of_rows(client) -> dict[str, dict]:
    """Each row's member read another way: through its plan, consultation or proposal."""
    plan = {row["slug"]: row["member_code"] for row in _all(client, "plans")}
    consultation = {row["slug"]: plan[row["plan"]] for row in _all(client, "consultations")}
    proposal = {row["id"]: consultation[row["consultation"]] for row in _all(client, "proposals")}
    forum = dict(Forum.objects.values_list("slug", "member__code"))
    return {
        "plans": lambda row: row["member_code"],
        "institutions": lambda row: row["member_code"],
        "proposals": lambda row: consultation[row["consultation"]],
        "responses": lambda row: proposal[row["proposal"]],
        "comments": lambda row: proposal[row["proposal"]],
        "meetings": lambda row: forum[row["forum"]],
        **{
            name: (lambda row: plan[row["plan"]])
            for name in (
                "commitments",
                "milestones",
                "progress-reports",
                "assessments",
                "irm-reviews",
                "consultations",
            )
        },
    }


def test_every_list_filtered_by_member_keeps_that_members_rows_and_only_those(client, two):
    member_of = _member_of_rows(client)
    for name in FILTERED:
        everything = _all(client, name)
        for member in two:
            kept = _all(client, name, member=member.code)
            expected = [row for row in everything if member_of[name](row) == member.code]
            assert kept, (name, member.code, "keeps nothing: the check would prove nothing")
            key = sorted(json.dumps(row, sort_keys=True) for row in kept)
            assert key == sorted(json.dumps(row, sort_keys=True) for row in expected), name


def test_an_unknown_member_finds_nothing_and_bad_values_are_refused(client, two):
    for name in FILTERED:
        response = client.get(f"/api/v1/{name}", {"member": "NO-EXISTE"})
        assert response.status_code == 200 and json.loads(response.content)["results"] == []
        assert client.get(f"/api/v1/{name}", {"member": "X" * 21}).status_code == 422, name
        assert client.get(f"/api/v1/{name}?member=G%00T").status_code in (400, 422), name
    assert client.get("/api/v1/members", {"national": "X" * 21}).status_code == 422


def test_the_openapi_document_names_the_member_filter_on_every_list(client, db):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    for name in FILTERED:
        parameters = schema["paths"][f"/api/v1/{name}"]["get"]["parameters"]
        assert "member" in [p["name"] for p in parameters], name
    assert "/api/v1/members" in schema["paths"]
    fields = schema["components"]["schemas"]["InstitutionOut"]["properties"]
    assert {"member", "member_code"} <= set(fields)


def test_the_members_list_says_who_each_member_is(client, two):
    guatemala, _xela = two
    rows = {row["code"]: row for row in _all(client, "members")}
    assert set(rows) == {"GTM", "GTM-XELA"}
    local = rows["GTM-XELA"]
    assert local["name"] == "Quetzaltenango" and local["slug"] == "quetzaltenango"
    assert local["level"] == "local" and local["region"] == "Américas"
    assert local["national"] == guatemala.slug and local["national_code"] == "GTM"
    assert rows["GTM"]["national"] is None
    assert local["url"] == "/miembros/quetzaltenango/"
    assert local["feed"] == "/miembros/quetzaltenango/novedades.atom"
    plans = client.get(local["plans"])
    assert [p["member_code"] for p in json.loads(plans.content)["results"]] == ["GTM-XELA"]
    assert client.get(local["feed"]).status_code == 200
    assert [r["code"] for r in _all(client, "members", national="GTM")] == ["GTM-XELA"]
    assert _all(client, "members", national="NO-EXISTE") == []
    institutions = _all(client, "institutions", member="GTM-XELA")
    assert institutions and {i["member"] for i in institutions} == {"Quetzaltenango"}


def _member_list_queries(client, code: str) -> list[int]:
    counts = []
    for name in [*FILTERED, "members"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/{name}", {"page_size": 200, "member": code})
            assert response.status_code == 200, name
        counts.append(len(queries))
    return counts


def test_lists_filtered_by_member_cost_the_same_queries_at_any_size(client, personas):
    xela = other_member()
    Forum.objects.create(member=xela, name="Foro", slug="foro-xela")
    plan = build_plan(commitments=1, milestones_each=1, slug="chico", member=xela)
    consultation = open_consultation(plan)
    first = _proposal(consultation, personas["citizen"])
    participation.comment_add(actor=personas["citizen"], proposal=first, body="Uno")
    _answer(first, plan)
    plan_samples(plan)
    _meeting(xela.forum, plan, "Primera")
    small = _member_list_queries(client, xela.code)
    big = build_plan(commitments=20, milestones_each=4, slug="grande", number=2, member=xela)
    for index in range(20):
        proposal = _proposal(consultation, personas["citizen"], title=f"Propuesta {index}")
        participation.comment_add(actor=personas["citizen"], proposal=proposal, body="Otro")
        _answer(proposal, big)
        _meeting(xela.forum, big, f"Reunión {index}")
    plan_samples(big)
    Member.objects.create(name="Otro", code="OTR", slug="otro")
    assert _member_list_queries(client, xela.code) == small


# Bulk files.


@pytest.fixture
def exported(two, tmp_path, settings):
    settings.COCREA_OPENDATA_ROOT = tmp_path
    call_command("export_opendata", stdout=io.StringIO())
    (archive,) = tmp_path.glob("cocrea-datos-*.zip")
    return tmp_path, archive


def _csv(zipped: zipfile.ZipFile, name: str) -> list[dict]:
    (path,) = [n for n in zipped.namelist() if n.endswith(f"/{name}.csv")]
    return list(csv.DictReader(io.StringIO(zipped.read(path).decode("utf-8"))))


def test_each_member_has_its_package_with_its_rows_only(exported, two):
    root, archive = exported
    day = archive.stem.removeprefix("cocrea-datos-")
    folder = root / archive.stem
    # The whole site's files keep their names; the members' packages sit in miembros/.
    assert {p.name for p in folder.iterdir() if p.is_file()} >= {"commitments.csv", "README.md"}
    packages = sorted(p.name for p in (folder / "miembros").iterdir())
    assert packages == [
        f"cocrea-datos-guatemala-{day}.zip",
        f"cocrea-datos-quetzaltenango-{day}.zip",
    ]
    with zipfile.ZipFile(archive) as zipped:
        whole = {t.name: _csv(zipped, t.name) for t in TABLES}
        assert not [n for n in zipped.namelist() if "miembros" in n]
    together: dict[str, list] = {t.name: [] for t in TABLES}
    for member in two:
        path = folder / "miembros" / f"cocrea-datos-{member.slug}-{day}.zip"
        with zipfile.ZipFile(path) as zipped:
            assert all(
                n.startswith(f"cocrea-datos-{member.slug}-{day}/") for n in zipped.namelist()
            )
            plans = _csv(zipped, "action_plans")
            assert plans and {p["member_code"] for p in plans} == {member.code}
            institutions = _csv(zipped, "institutions")
            assert institutions and {i["member_code"] for i in institutions} == {member.code}
            commitments = _csv(zipped, "commitments")
            assert commitments and {c["plan"] for c in commitments} == {p["slug"] for p in plans}
            for table in TABLES:
                together[table.name] += _csv(zipped, table.name)
            readme = zipped.read(f"cocrea-datos-{member.slug}-{day}/README.md").decode()
            assert member.name in readme
    # Every row of the whole site is in its member's package, once; the policy areas in each.
    for table in TABLES:
        rows = sorted(json.dumps(r, sort_keys=True) for r in together[table.name])
        expected = sorted(json.dumps(r, sort_keys=True) for r in whole[table.name])
        if table.member is None:
            expected = sorted(expected * len(two))
        assert rows == expected, table.name


def test_a_members_package_is_valid_frictionless(exported, tmp_path_factory):
    root, archive = exported
    day = archive.stem.removeprefix("cocrea-datos-")
    unpacked = tmp_path_factory.mktemp("paquete")
    with zipfile.ZipFile(
        root / archive.stem / "miembros" / f"cocrea-datos-quetzaltenango-{day}.zip"
    ) as zipped:
        zipped.extractall(unpacked)
    package = unpacked / f"cocrea-datos-quetzaltenango-{day}" / "datapackage.json"
    report = validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    described = json.loads(package.read_text())
    assert described["name"] == "cocrea-open-data-quetzaltenango"
    assert "Quetzaltenango" in described["title"]


def test_the_page_offers_each_members_package_and_only_listed_names_download(client, exported):
    _root, archive = exported
    day = archive.stem.removeprefix("cocrea-datos-")
    page = client.get("/en/datos-abiertos/").content.decode()
    name = f"cocrea-datos-quetzaltenango-{day}.zip"
    assert f'/datos-abiertos/descargas/{name}"' in page and "Quetzaltenango" in page
    assert "/miembros/quetzaltenango/novedades.atom" in page and "/novedades.atom" in page
    response = client.get(f"/datos-abiertos/descargas/{name}")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    for bad in (
        f"cocrea-datos-nadie-{day}.zip",
        f"miembros%2F{name}",
        "cocrea-datos-quetzaltenango-1999-01-01.zip",
    ):
        assert client.get(f"/datos-abiertos/descargas/{bad}").status_code == 404, bad
    assert '<html lang="es">' in client.get("/datos-abiertos/").content.decode()


def test_the_page_costs_the_same_queries_with_more_members(client, exported, settings):
    def queries() -> int:
        settings.COCREA_PAGE_CACHE_SECONDS = 0
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/datos-abiertos/").status_code == 200
        return len(captured)

    before = queries()
    for index in range(5):
        Member.objects.create(name=f"Miembro {index}", code=f"M{index}", slug=f"miembro-{index}")
    call_command("export_opendata", stdout=io.StringIO())
    assert queries() == before


def test_the_export_reads_each_table_in_a_few_queries_whatever_the_rows(two, tmp_path):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            call_command("export_opendata", "--output", str(tmp_path), stdout=io.StringIO())
        return len(captured)

    before = queries()
    build_plan(commitments=10, milestones_each=3, slug="mas", number=5, member=two[1])
    assert queries() == before


# Feeds.


def test_a_members_feed_has_its_news_only_and_the_sites_feed_has_everyones(client, two):
    _guatemala, xela = two
    of_xela = client.get(reverse("opendata:member_feed", kwargs={"slug": xela.slug}))
    assert of_xela.status_code == 200 and of_xela["Content-Type"].startswith("application/atom")
    text = of_xela.content.decode()
    assert "Reunión xela" in text and "Reunión guate" not in text
    assert "<title>Quetzaltenango</title>" in text
    site = client.get(reverse("opendata:feed")).content.decode()
    assert "Reunión xela" in site and "Reunión guate" in site
    assert client.get("/miembros/nadie/novedades.atom").status_code == 404


# The OGP export.


def test_the_ogp_export_command_takes_one_member(two, tmp_path):
    from cocrea.plans.models import Commitment

    for number, commitment in enumerate(Commitment.objects.select_related("plan__member")):
        Commitment.objects.filter(pk=commitment.pk).update(
            ogp_id=f"{commitment.plan.member.code}{number:04}"
        )
    path = tmp_path / "ogp.csv"
    call_command("export_ogp_commitments", str(path), "--member", "GTM-XELA", stdout=io.StringIO())
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows and {row["Code"] for row in rows} == {"GTM-XELA"}
    call_command("export_ogp_commitments", str(path), stdout=io.StringIO())
    assert {row["Code"] for row in csv.DictReader(path.open(encoding="utf-8"))} == {
        "GTM",
        "GTM-XELA",
    }
    with pytest.raises(CommandError, match="GTM-XELA"):
        call_command("export_ogp_commitments", str(tmp_path / "x.csv"), "--member", "NADA")
    assert not Path(tmp_path / "x.csv").exists()


def test_the_desks_ogp_export_offers_each_member(client, two, personas):
    from cocrea.plans.models import Commitment

    for number, commitment in enumerate(Commitment.objects.select_related("plan__member")):
        Commitment.objects.filter(pk=commitment.pk).update(
            ogp_id=f"{commitment.plan.member.code}{number:04}"
        )
    sign_in_with_second_factor(client, personas["administrator"])
    listing = client.get(reverse("admin:opendata_ogpimport_changelist")).content.decode()
    assert "?member=GTM-XELA" in listing
    url = reverse("admin:opendata_ogpimport_export")
    response = client.get(url, {"member": "GTM-XELA"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="ogp-commitments-quetzaltenango.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and {row["Code"] for row in rows} == {"GTM-XELA"}
    assert client.get(url, {"member": "NADA"}).status_code == 404
