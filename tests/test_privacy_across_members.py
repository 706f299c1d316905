"""Privacy across OGP members (issue 25's acceptance): nothing of one member's unpublished work
appears on another's pages, API or exports.

Two members: Guatemala (A, `MemberFactory()`) and Quetzaltenango (B, `conftest.other_member()`).
B has public work (which must show, in its own outputs and the whole site's, so the checks below
look at real output) and unpublished work, each with a unique marker: an unpublished consultation
with its phases, a proposal and a draft commitment; a progress report in draft and one submitted;
a hidden proposal and a hidden comment; a private membership; the responsible person's email and
phone. No marker may appear in A's pages, in any API list (whole, A's, B's), in any bulk file
(whole site's and each member's package, XLSX included), in any feed, or in the OGP export."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from cocrea.drafting.models import Draft
from cocrea.forum.models import Forum, Meeting
from cocrea.participation import services as participation
from cocrea.plans.models import Membership
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MemberFactory,
    MilestoneFactory,
)
from cocrea.tracking.models import ProgressReport
from conftest import build_plan, make_person, other_member
from tests.appchecks.participation import _proposal, open_consultation
from tests.pages import API_LISTS

pytestmark = pytest.mark.django_db

# B's unpublished work: none of these may leave anywhere.
SECRETS = (
    "XELA-CONSULTA-OCULTA",
    "XELA-DESCRIPCION-OCULTA",
    "XELA-PROPUESTA-EN-CONSULTA-OCULTA",
    "XELA-BORRADOR-DE-COMPROMISO",
    "XELA-INFORME-BORRADOR",
    "XELA-INFORME-ENVIADO",
    "XELA-PROPUESTA-OCULTA",
    "XELA-COMENTARIO-OCULTO",
    "XelaMiembroPrivado",
    "xela.responsable@privado.example",
    "+502 7777 0123",
)
# B's public work: shows in B's outputs and the whole site's, never in A's.
B_PUBLIC = "XELA-COMPROMISO-PUBLICO"
A_PUBLIC = "GUATE-COMPROMISO-PUBLICO"


@pytest.fixture
def two_members(personas, tmp_path, settings):
    settings.COCREA_OPENDATA_ROOT = tmp_path / "datos"
    guatemala = MemberFactory()
    xela = other_member()
    plan_a = build_plan(commitments=1, slug="plan-guate", number=1)
    plan_a.commitments.update(title=A_PUBLIC, ogp_id="GTM0001")
    consultation_a = open_consultation(plan_a)
    _proposal(consultation_a, personas["citizen"], title="Propuesta de Guatemala")

    municipality = InstitutionFactory(member=xela, name="Municipalidad de Quetzaltenango")
    plan_b = ActionPlanFactory(member=xela, slug="plan-xela", title="Plan de Xela", number=1)
    commitment = CommitmentFactory(
        plan=plan_b,
        slug="xela-c1",
        number="1",
        ogp_id="GTMXELA0001",
        title=B_PUBLIC,
        lead_institution=municipality,
        responsible_name="Responsable de Xela",
        responsible_email="xela.responsable@privado.example",
        responsible_phone="+502 7777 0123",
    )
    milestone = MilestoneFactory(
        commitment=commitment, number=1, responsible_institution=municipality
    )
    for status, text in (("draft", "XELA-INFORME-BORRADOR"), ("submitted", "XELA-INFORME-ENVIADO")):
        ProgressReport.objects.create(
            milestone=milestone,
            institution=municipality,
            author=personas["wrong_member"],
            status=status,
            completion="limited",
            percent=10,
            done=text,
            facts_date=timezone.localdate(),
        )
    published = open_consultation(plan_b)
    public = _proposal(published, personas["citizen"], title="Propuesta pública de Xela")
    hidden = _proposal(published, personas["citizen"], title="XELA-PROPUESTA-OCULTA")
    participation.content_hide(actor=personas["wrong_member"], target=hidden, reason="spam")
    comment = participation.comment_add(
        actor=personas["citizen"], proposal=public, body="XELA-COMENTARIO-OCULTO"
    )
    participation.content_hide(actor=personas["wrong_member"], target=comment, reason="abuse")

    plan_b2 = ActionPlanFactory(member=xela, slug="plan-xela-2", title="Segundo plan", number=2)
    unpublished = open_consultation(plan_b2)
    unpublished.published_at = None
    unpublished.title = "XELA-CONSULTA-OCULTA"
    unpublished.description = "XELA-DESCRIPCION-OCULTA"
    unpublished.save()
    _proposal(unpublished, personas["citizen"], title="XELA-PROPUESTA-EN-CONSULTA-OCULTA")
    Draft.objects.create(consultation=unpublished, title="XELA-BORRADOR-DE-COMPROMISO")

    private = make_person("XelaMiembroPrivado")
    Membership.objects.create(
        user=private,
        institution=municipality,
        status=Membership.Status.APPROVED,
        show_on_profile=False,
    )
    forum = Forum.objects.create(member=xela, name="Foro de Xela", slug="foro-xela")
    Meeting.objects.create(
        forum=forum,
        plan=plan_b,
        title="Reunión del foro de Xela",
        starts_at=timezone.now(),
        announced_at=timezone.now(),
        schedule_changed_at=timezone.now(),
        agenda="Agenda pública",
    )
    call_command("export_opendata", stdout=io.StringIO())
    return {"a": guatemala, "b": xela, "plan_a": plan_a, "plan_b": plan_b, "public": published}


def _clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, (secret, where)


def _api(client, name: str, **params: str) -> str:
    rows, url, query = [], f"/api/v1/{name}", {**params, "page_size": "200"}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, (name, params, response.content[:200])
        body = json.loads(response.content)
        rows += body["results"]
        url, query = body["next"], {}
    return json.dumps(rows, ensure_ascii=False)


def _zip_text(path: Path) -> str:
    """Every file of a zip as text, the XLSX workbooks' own parts included."""
    texts = []
    with zipfile.ZipFile(path) as zipped:
        for name in zipped.namelist():
            data = zipped.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as workbook:
                    texts += [
                        workbook.read(n).decode("utf-8", "ignore") for n in workbook.namelist()
                    ]
            else:
                texts.append(data.decode("utf-8", "ignore"))
    return "\n".join(texts)


def test_member_a_pages_show_nothing_of_member_b_unpublished(client, two_members):
    a = two_members["a"]
    pages = ["/", f"/miembros/{a.slug}/", f"/planes/{two_members['plan_a'].slug}/"]
    shown = 0
    for path in pages:
        response = client.get(path)
        if response.status_code == 404 and path.startswith("/miembros/"):
            continue  # the member page is another branch's; when it is here, it is checked
        assert response.status_code == 200, path
        _clean(response.content.decode(), path)
        shown += 1
    assert shown >= 2


def test_no_api_list_shows_member_b_unpublished_whole_or_per_member(client, two_members):
    a, b = two_members["a"], two_members["b"]
    for name in API_LISTS:
        whole = _api(client, name)
        _clean(whole, name)
        if name in ("policy-areas", "audit-events", "members"):
            continue
        of_a = _api(client, name, member=a.code)
        of_b = _api(client, name, member=b.code)
        _clean(of_a, f"{name}?member={a.code}")
        _clean(of_b, f"{name}?member={b.code}")
        assert "xela" not in of_a.lower(), (name, "B's rows in A's list")
    # The check reads real output: B's public work is in B's list and the whole one.
    assert B_PUBLIC in _api(client, "commitments", member=b.code)
    assert B_PUBLIC in _api(client, "commitments")
    assert A_PUBLIC not in _api(client, "commitments", member=b.code)


def test_no_bulk_file_shows_member_b_unpublished(two_members, settings):
    root = Path(settings.COCREA_OPENDATA_ROOT)
    (whole,) = root.glob("cocrea-datos-*.zip")
    packages = {p.name: p for p in (root / whole.stem / "miembros").glob("*.zip")}
    day = whole.stem.removeprefix("cocrea-datos-")
    a, b = two_members["a"], two_members["b"]
    of_a = _zip_text(packages[f"cocrea-datos-{a.slug}-{day}.zip"])
    of_b = _zip_text(packages[f"cocrea-datos-{b.slug}-{day}.zip"])
    everything = _zip_text(whole)
    loose = "\n".join(
        p.read_text("utf-8", "ignore") for p in (root / whole.stem).iterdir() if p.is_file()
    )
    for where, text in (("whole", everything), ("files", loose), ("A", of_a), ("B", of_b)):
        _clean(text, where)
    assert B_PUBLIC in everything and B_PUBLIC in of_b and A_PUBLIC in of_a
    assert B_PUBLIC not in of_a and A_PUBLIC not in of_b
    assert "Propuesta pública de Xela" in of_b and "Propuesta pública de Xela" not in of_a


def test_no_feed_shows_member_b_unpublished(client, two_members):
    a, b = two_members["a"], two_members["b"]
    feeds = [
        "/novedades.atom",
        f"/miembros/{a.slug}/novedades.atom",
        f"/miembros/{b.slug}/novedades.atom",
        f"/planes/{two_members['plan_b'].slug}/novedades.atom",
        f"/planes/{two_members['plan_a'].slug}/novedades.atom",
        f"/consultas/{two_members['public'].slug}/novedades.atom",
    ]
    for path in feeds:
        response = client.get(path)
        assert response.status_code == 200, path
        _clean(response.content.decode(), path)
    assert "Reunión del foro de Xela" in client.get(feeds[2]).content.decode()
    assert "Reunión del foro de Xela" not in client.get(feeds[1]).content.decode()


def test_the_ogp_export_shows_nothing_unpublished_and_one_member_only(two_members, tmp_path):
    a, b = two_members["a"], two_members["b"]
    texts = {}
    for code in (None, a.code, b.code):
        path = tmp_path / f"ogp-{code}.csv"
        args = [str(path)] + (["--member", code] if code else [])
        call_command("export_ogp_commitments", *args, stdout=io.StringIO())
        texts[code] = path.read_text("utf-8")
        _clean(texts[code], f"OGP export {code}")
    assert B_PUBLIC in texts[None] and B_PUBLIC in texts[b.code]
    assert B_PUBLIC not in texts[a.code] and A_PUBLIC in texts[a.code]
