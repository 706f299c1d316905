"""The co-creation pages behind sign-in, for who uses them: a citizen proposing and commenting,
the point of contact answering and recording a workshop and a meeting, a moderator, a
civil-society member assessing a standard, a forum member drafting. Axe and the HTML checker,
with each form empty and with its error messages shown."""

import pytest
from django.conf import settings
from django.test import Client

from cocrea.accounts.models import RoleGrant
from conftest import build_plan, grant, make_member, make_person
from tests.appchecks.participation import _proposal, open_consultation
from tests.e2e import gates

pytestmark = pytest.mark.django_db(transaction=True)


def _cookies(client: Client, live_server) -> list[dict]:
    host = live_server.url.split("//", 1)[1].split(":")[0]
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "domain": host, "path": "/"}]


def _check(live_server, browser, person, pages, bad_posts):
    client = Client()
    client.force_login(person)
    assert (
        gates.accessibility_violations(
            browser, live_server.url, pages, _cookies(client, live_server)
        )
        == {}
    )
    documents = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        documents[path] = response.content.decode()
    for path, data in bad_posts.items():
        response = client.post(path, data)
        assert response.status_code == 400, path
        documents[f"{path} (errors)"] = response.content.decode()
    return documents


def test_cocreation_forms_are_accessible_and_valid_html_for_who_uses_them(live_server, browser):
    from cocrea.participation.services import flag_add

    plan = build_plan(commitments=2)
    consultation = open_consultation(plan)
    citizen = make_person("Ciudadana")
    contact = make_person("Punto de Contacto", mfa=True)
    grant(contact, RoleGrant.Role.POINT_OF_CONTACT)
    moderator = make_person("Moderadora", mfa=True)
    grant(moderator, RoleGrant.Role.MODERATOR)
    member = make_person("Sociedad Civil")
    make_member(member, plan.commitments.first().supporting_institutions.first())
    proposal = _proposal(consultation, citizen)
    flag_add(actor=member, target=proposal, reason="spam")
    new = f"/consultas/{consultation.slug}/propuestas/nueva/"
    respond = f"/propuestas/{proposal.public_id}/responder/"
    workshop = f"/consultas/{consultation.slug}/talleres/nuevo/"
    flag = f"/moderacion/propuestas/{proposal.public_id}/denunciar/"
    hide = f"/moderacion/propuestas/{proposal.public_id}/ocultar/"
    assess = f"/planes/{plan.slug}/cocreacion/valorar/"
    documents = {}
    documents.update(
        _check(
            live_server,
            browser,
            citizen,
            [new, proposal.get_absolute_url(), "/mi-espacio/"],
            {new: {"title": "x", "problem": "", "department": "nowhere"}},
        )
    )
    documents.update(
        _check(
            live_server,
            browser,
            contact,
            [respond, workshop, proposal.get_absolute_url()],
            {
                respond: {"kind": "adopted", "reasons": "corto"},
                workshop: {"held_on": "2999-01-01", "participants": "-3"},
            },
        )
    )
    documents.update(
        _check(live_server, browser, moderator, [hide, "/mi-espacio/"], {hide: {"reason": "??"}})
    )
    documents.update(
        _check(
            live_server,
            browser,
            member,
            [flag, assess, f"/planes/{plan.slug}/cocreacion/"],
            {flag: {"reason": "??"}, assess: {"standard": "9", "evidence_url": "nope"}},
        )
    )
    # The institution's coordinator: API tokens (with a token just shown) and the forum's
    # point of contact: a new meeting.
    from cocrea.opendata.services import api_token_create
    from tests.appchecks.forum import _forum

    coordinator = make_person("Coordinadora", mfa=True)
    institution = plan.commitments.first().lead_institution
    make_member(coordinator, institution, role="coordinator")
    api_token_create(actor=coordinator, institution=institution, name="Sistema")
    tokens = f"/instituciones/{institution.slug}/tokens/"
    documents.update(
        _check(
            live_server,
            browser,
            coordinator,
            [tokens, "/mi-espacio/"],
            {tokens: {"action": "create", "name": ""}},
        )
    )
    forum = _forum(plan.member)
    meeting_new = f"/foro/{forum.slug}/reuniones/nueva/"
    documents.update(
        _check(live_server, browser, contact, [meeting_new], {meeting_new: {"title": ""}})
    )
    assert gates.html_errors(documents) == {}
