"""The point of contact's desk: with the role and two factors, and no staff or superuser flag,
they run the process. The administration opens to the role (accounts/rules.py) for what the job
needs and nothing else; every save goes through the services and is audited; the queues are in
their space. Each desk action is also refused to every other persona (the matrix at the end)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cocrea.audit.models import AuditEvent
from cocrea.participation.models import Consultation, Phase, Proposal
from cocrea.plans.models import ActionPlan, Commitment, Member
from cocrea.plans.tests.factories import ActionPlanFactory, MemberFactory
from conftest import build_plan, make_person, sign_in_with_second_factor
from tests.appchecks.participation import open_consultation
from tests.test_authorization_matrix import PERSONAS as MATRIX_PERSONAS

pytestmark = pytest.mark.django_db

# Everyone the authorization matrix knows who can sign in.
PERSONAS = [persona for persona in MATRIX_PERSONAS if persona != "anonymous"]
DESK = {"point_of_contact", "administrator"}


@pytest.fixture
def contact(client, personas):
    user = personas["point_of_contact"]
    assert not user.is_staff and not user.is_superuser
    sign_in_with_second_factor(client, user)
    return user


def _plan_form(member, **overrides):
    today = timezone.localdate()
    data = {
        "member": member.pk,
        "number": "8",
        "title": "Octavo Plan de Acción Nacional",
        "slug": "octavo-plan",
        "start_date": (today + timedelta(days=300)).isoformat(),
        "end_date": (today + timedelta(days=1000)).isoformat(),
        "status": "co_creation",
        "summary": "",
        "ogp_id": "",
    }
    data.update(overrides)
    return data


def _consultation_form(plan):
    today = timezone.localdate()
    return {
        "plan": plan.pk,
        "slug": "consulta-octavo",
        "title": "Consulta del octavo plan",
        "description": "Propuestas en línea y talleres.",
        "phases-TOTAL_FORMS": "1",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "1000",
        "phases-0-kind": "proposals",
        "phases-0-starts_on": today.isoformat(),
        "phases-0-ends_on": (today + timedelta(days=30)).isoformat(),
        "phases-0-description": "Cualquier persona propone.",
    }


def test_the_desk_lists_what_the_role_may_do_and_nothing_more(client, contact):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for model in ("actionplan", "commitment", "institution", "consultation", "forumseat"):
        assert reverse(f"admin:{_app(model)}_{model}_changelist") in html
    assert reverse("admin:opendata_ogpimport_changelist") in html
    # People's accounts, the audit log and the task queue stay with administrators.
    assert "/admin/accounts/" not in html
    assert "/admin/audit/" not in html
    for url in ("/admin/accounts/user/", "/admin/audit/auditevent/"):
        assert client.get(url).status_code == 403, url


def _app(model):
    return {"consultation": "participation", "forumseat": "forum"}.get(model, "plans")


def test_the_point_of_contact_creates_a_plan_through_the_services(client, contact):
    member = MemberFactory()
    response = client.post(reverse("admin:plans_actionplan_add"), _plan_form(member))
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = ActionPlan.objects.get(slug="octavo-plan")
    event = AuditEvent.objects.get(action="actionplan.create")
    assert event.actor_id == contact.pk and event.public
    assert event.target_id == str(plan.pk)


def test_a_bad_plan_is_refused_with_a_message_and_nothing_saved(client, contact):
    member = MemberFactory()
    today = timezone.localdate()
    bad = _plan_form(member, end_date=(today - timedelta(days=400)).isoformat())
    response = client.post(reverse("admin:plans_actionplan_add"), bad)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not ActionPlan.objects.filter(slug="octavo-plan").exists()
    assert not AuditEvent.objects.filter(action="actionplan.create").exists()


def test_the_point_of_contact_prepares_and_publishes_a_consultation(client, contact):
    plan = ActionPlanFactory(slug="octavo")
    response = client.post(
        reverse("admin:participation_consultation_add"), _consultation_form(plan)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    consultation = Consultation.objects.get(slug="consulta-octavo")
    assert consultation.phases.get().kind == Phase.Kind.PROPOSALS
    assert consultation.published_at is None
    response = client.post(
        reverse("admin:participation_consultation_changelist"),
        {"action": "publish", "_selected_action": [consultation.pk]},
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.published_at is not None
    actions = set(AuditEvent.objects.filter(actor=contact).values_list("action", flat=True))
    assert {"consultation.create", "phase.create", "consultation.publish"} <= actions


def test_the_point_of_contact_may_not_delete_a_plan(client, contact):
    plan = ActionPlanFactory(slug="no-se-borra")
    response = client.post(
        reverse("admin:plans_actionplan_delete", args=[plan.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ActionPlan.objects.filter(pk=plan.pk).exists()


def test_the_ogp_export_downloads_a_plan_in_ogp_columns(client, contact):
    plan = build_plan(commitments=2, slug="exportable", number=3)
    Commitment.objects.filter(plan=plan).update(ogp_id="")
    response = client.get(reverse("admin:opendata_ogpimport_export"), {"plan": plan.slug})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="ogp-commitments-exportable.csv"'
    )
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Commitment Unique Identifier,")
    assert len(lines) == 3  # the header and both commitments, which have no OGP id yet
    # Without a plan: only commitments OGP knows (with an id), as the command exports.
    everything = client.get(reverse("admin:opendata_ogpimport_export"))
    assert len(everything.content.decode().splitlines()) == 1
    missing = client.get(reverse("admin:opendata_ogpimport_export"), {"plan": "no-existe"})
    assert missing.status_code == 404
    assert client.post(reverse("admin:opendata_ogpimport_export")).status_code == 405


def test_without_two_factors_the_role_opens_nothing(client, personas):
    contact = personas["point_of_contact"]
    contact.authenticator_set.all().delete()
    client.force_login(contact)
    response = client.get(reverse("admin:plans_actionplan_add"))
    assert response.status_code == 302
    login = client.get(reverse("admin:login"))
    assert reverse("mfa_activate_totp") in login["Location"]
    my_space = client.get(reverse("accounts:my_space")).content.decode()
    assert reverse("mfa_activate_totp") in my_space
    assert reverse("admin:plans_actionplan_add") not in my_space


def test_a_password_only_session_is_asked_for_the_code(client, personas):
    client.force_login(personas["point_of_contact"])
    response = client.get(reverse("admin:login"))
    assert reverse("mfa_reauthenticate") in response["Location"]
    assert client.get(reverse("admin:plans_actionplan_changelist")).status_code == 302


def test_the_desk_in_my_space_links_every_task(client, contact):
    html = client.get(reverse("accounts:my_space")).content.decode()
    for name in (
        "admin:plans_actionplan_add",
        "admin:plans_commitment_changelist",
        "admin:participation_consultation_add",
        "admin:opendata_ogpimport_add",
        "admin:opendata_ogpimport_export",
    ):
        assert reverse(name) in html, name


def test_the_answer_queue_is_oldest_first_with_the_days_waited(client, contact):
    consultation = open_consultation(build_plan(commitments=1, slug="cola", number=4))
    author = make_person("Autora")
    now = timezone.now()
    made = {}
    for title, days in (("Reciente propuesta", 2), ("Antigua propuesta", 40), ("Media", 9)):
        made[title] = Proposal.objects.create(
            consultation=consultation, author=author, title=title, problem="p", proposal="q"
        )
        Proposal.objects.filter(pk=made[title].pk).update(created_at=now - timedelta(days=days))
    hidden = Proposal.objects.create(
        consultation=consultation, author=author, title="Oculta spam", problem="p", proposal="q"
    )
    Proposal.objects.filter(pk=hidden.pk).update(hidden_at=now)
    html = client.get(reverse("accounts:my_space")).content.decode()
    queue = html[html.index('id="to-answer"') :]
    assert queue.index("Antigua propuesta") < queue.index("Media") < queue.index("Reciente")
    assert "40 días" in queue and "2 días" in queue
    assert "Oculta spam" not in queue
    assert reverse("participation:respond", kwargs={"public_id": made["Media"].public_id}) in queue


def test_the_days_waited_count_calendar_days_in_guatemala(client, contact):
    """Sent on Thursday at 20:00 in Guatemala (Friday in UTC), read on Saturday at 19:00
    (Sunday in UTC): two days waited, received on Thursday, whatever the hour of the run."""
    consultation = open_consultation(build_plan(commitments=1, slug="cola", number=4))
    guatemala = ZoneInfo("America/Guatemala")
    proposal = Proposal.objects.create(
        consultation=consultation,
        author=make_person("Autora"),
        title="Tarde",
        problem="p",
        proposal="q",
    )
    sent = datetime(2026, 12, 3, 20, 0, tzinfo=guatemala)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=sent)
    with time_machine.travel(datetime(2026, 12, 5, 19, 0, tzinfo=guatemala), tick=False):
        html = client.get(reverse("accounts:my_space")).content.decode()
    queue = html[html.index('id="to-answer"') :]
    assert "2 días" in queue
    assert '<time datetime="2026-12-03">' in queue


def test_others_see_no_desk_and_no_queue(client, personas):
    open_consultation(build_plan(commitments=1, slug="cola", number=4))
    for persona in ("citizen", "official", "moderator"):
        sign_in_with_second_factor(client, personas[persona])
        html = client.get(reverse("accounts:my_space")).content.decode()
        assert 'id="desk"' not in html and 'id="to-answer"' not in html, persona


def test_the_queue_costs_the_same_queries_at_any_size(client, contact, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consultation = open_consultation(build_plan(commitments=1, slug="cola", number=4))
    author = make_person("Autora")

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("accounts:my_space")).status_code == 200
        return len(context.captured_queries)

    Proposal.objects.create(consultation=consultation, author=author, title="Una", problem="p")
    few = queries()
    for n in range(30):
        Proposal.objects.create(
            consultation=consultation, author=author, title=f"Propuesta {n}", problem="p"
        )
    assert queries() == few


# The matrix: each desk action, for every persona signed in with both factors (the strongest
# case: the second factor alone opens nothing).


def _create_plan(client):
    member = Member.objects.get_or_create(code="GTM", defaults={"name": "G", "slug": "g"})[0]
    client.post(reverse("admin:plans_actionplan_add"), _plan_form(member))
    return ActionPlan.objects.filter(slug="octavo-plan").exists()


def _prepare_consultation(client):
    plan = ActionPlanFactory(slug="octavo")
    client.post(reverse("admin:participation_consultation_add"), _consultation_form(plan))
    return Consultation.objects.filter(slug="consulta-octavo").exists()


def _publish_timeline(client):
    consultation = open_consultation(build_plan(commitments=1, slug="por-publicar", number=6))
    Consultation.objects.filter(pk=consultation.pk).update(published_at=None)
    client.post(
        reverse("admin:participation_consultation_changelist"),
        {"action": "publish", "_selected_action": [consultation.pk]},
    )
    return Consultation.objects.get(pk=consultation.pk).published_at is not None


def _rename_institution(client):
    plan = build_plan(commitments=1, slug="instituciones", number=7)
    institution = plan.commitments.get().lead_institution
    url = reverse("admin:plans_institution_change", args=[institution.pk])
    page = client.get(url)
    if page.status_code != 200:
        return False
    data = {
        "member": institution.member_id,
        "name": "Nombre nuevo de la institución",
        "acronym": institution.acronym,
        "slug": institution.slug,
        "kind": institution.kind,
        "website": "",
    }
    client.post(url, data)
    institution.refresh_from_db()
    return institution.name == "Nombre nuevo de la institución"


def _export(client):
    response = client.get(reverse("admin:opendata_ogpimport_export"))
    return response.status_code == 200 and response.content.startswith(b"Commitment")


DESK_ACTIONS = {
    "create a plan": _create_plan,
    "prepare a consultation": _prepare_consultation,
    "publish a timeline": _publish_timeline,
    "edit an institution": _rename_institution,
    "export in OGP's format": _export,
}


@pytest.mark.parametrize("action", sorted(DESK_ACTIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_desk_matrix(client, personas, persona, action):
    user = personas[persona]
    sign_in_with_second_factor(client, user)
    # The point of contact of another member opens the desk, but nothing of Guatemala's is
    # theirs to change; OGP's export is public data, theirs to download like the others'.
    expected = persona in DESK or (persona == "wrong_member" and action == "export in OGP's format")
    assert DESK_ACTIONS[action](client) is expected, f"{persona}: {action}"


def test_the_desk_of_one_member_shows_and_changes_nothing_of_anothers(client, personas):
    """Quetzaltenango's point of contact: Guatemala's plans, commitments, institutions and
    consultations are not listed, do not open, and are not offered in the forms; their own
    member's are."""
    from conftest import other_member

    guatemala = build_plan(commitments=1, slug="de-guatemala", number=9)
    consultation = open_consultation(guatemala)
    xela = other_member()
    sign_in_with_second_factor(client, personas["wrong_member"])
    for model, obj in (
        ("plans_actionplan", guatemala),
        ("plans_commitment", guatemala.commitments.get()),
        ("plans_institution", guatemala.commitments.get().lead_institution),
        ("participation_consultation", consultation),
    ):
        listing = client.get(reverse(f"admin:{model}_changelist")).content.decode()
        assert reverse(f"admin:{model}_change", args=[obj.pk]) not in listing, model
        assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 302
    form = client.get(reverse("admin:plans_actionplan_add")).content.decode()
    assert f'value="{xela.pk}"' in form and f'value="{guatemala.member_id}"' not in form
    refused = client.post(reverse("admin:plans_actionplan_add"), _plan_form(guatemala.member))
    assert refused.status_code == 200 and not ActionPlan.objects.filter(slug="octavo-plan").exists()
    done = client.post(reverse("admin:plans_actionplan_add"), _plan_form(xela))
    assert done.status_code == 302
    assert ActionPlan.objects.get(slug="octavo-plan").member == xela


def test_every_admin_page_outside_the_desk_is_refused_to_the_role(client, contact):
    """The crawl of every admin address (accounts' two-factor tests): with the role and both
    factors, each model the role is not granted answers 403 to GET and POST, and nothing private
    shows; the granted models open."""
    from cocrea.accounts.tests.test_admin_two_factors import ADMIN_URLS

    desk_models = {
        "plans": {"member", "actionplan", "commitment", "milestone", "institution"},
        "plans_readonly": {"policyarea", "membership"},
        "participation": {"consultation", "phase", "proposal", "workshop"},
        "tracking": {"progressreport", "assessment"},
        "forum": {"forum", "forumseat", "meeting"},
        "opendata": {"ogpimport"},
    }
    granted = {
        f"{app.split('_')[0]}_{model}" for app, models in desk_models.items() for model in models
    }
    refused, opened, forbidden = 0, 0, 0
    for name, url in ADMIN_URLS:
        prefix = "_".join(name.split("_")[:2])
        if name in {"index", "logout", "password_change", "password_change_done", "jsi18n"}:
            continue
        if name in {"app_list", "autocomplete"}:  # each checks the model it reads: below
            continue
        if prefix in granted:
            if name.endswith("_changelist"):
                assert client.get(url).status_code == 200, name
                opened += 1
            continue
        for method in (client.get, client.post):
            response = method(url)
            # (Django's admin sends an address of an object that does not exist back to its
            # index before it checks permissions, and an old address on to its new one, which
            # the crawl checks itself: a redirect with nothing in it.)
            redirected = response.status_code == 302 and response["Location"].startswith("/admin/")
            assert response.status_code in (403, 404) or redirected, (name, url)
            assert b"correo-privado" not in response.content, (name, url)
            forbidden += response.status_code == 403
        refused += 1
    assert opened >= 12 and refused >= 20 and forbidden >= 20, (opened, refused, forbidden)
    for app in ("accounts", "audit", "django_tasks_database"):
        assert client.get(f"/admin/{app}/").status_code in (403, 404), app
    # Autocomplete reads only what the role may view: institutions, not people's accounts.
    ask = {"app_label": "plans", "model_name": "commitment", "field_name": "lead_institution"}
    assert client.get("/admin/autocomplete/", ask).status_code == 200
    people = {"app_label": "plans", "model_name": "membership", "field_name": "user"}
    assert client.get("/admin/autocomplete/", people).status_code == 403


def test_the_admins_password_change_is_the_sites_own(client, contact):
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
