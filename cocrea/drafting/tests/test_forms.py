"""Bad input on every drafting form: a clear message, status 400, and nothing changed."""

import pytest
from django.urls import reverse

from cocrea.audit.models import AuditEvent
from cocrea.drafting import services
from cocrea.drafting.models import Draft, DraftVersion, SectionComment
from cocrea.drafting.tests.conftest import VERSION_1
from cocrea.plans.models import Commitment


def _url(name, draft, **kwargs):
    return reverse(f"drafting:{name}", kwargs={"public_id": draft.public_id, **kwargs})


def _unchanged(before_events):
    return AuditEvent.objects.count() == before_events


@pytest.fixture
def contact(client, personas):
    client.force_login(personas["point_of_contact"])
    return personas["point_of_contact"]


def test_the_new_draft_form_is_prefilled_with_iso_dates_and_renders(client, contact, consultation):
    response = client.get(reverse("drafting:draft_new", kwargs={"slug": consultation.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="date"' in html
    assert 'name="change_note"' not in html  # version 1 needs no change note


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": ""},
        {"title": "x" * 301},
        {"title": "Compras", "problem": "x" * 10_001},
        {"title": "Compras", "start_date": "2025-13-40"},
        {"title": "Compras", "start_date": "2025-06-01", "end_date": "2025-01-01"},
        {"title": "Compras", "lead_institution": "999999"},
    ],
)
def test_a_bad_new_draft_is_refused_with_a_message(client, contact, consultation, data):
    events = AuditEvent.objects.count()
    response = client.post(reverse("drafting:draft_new", kwargs={"slug": consultation.slug}), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Draft.objects.exists()
    assert _unchanged(events)


def test_a_new_draft_is_published_with_its_version_1(client, contact, consultation, institutions):
    data = {
        **VERSION_1,
        "lead_institution": institutions["mineduc"].pk,
        "start_date": "2025-01-01",
        "end_date": "2026-06-30",
    }
    response = client.post(reverse("drafting:draft_new", kwargs={"slug": consultation.slug}), data)
    assert response.status_code == 302
    version = DraftVersion.objects.get()
    assert version.lead_institution == institutions["mineduc"]
    assert version.start_date.isoformat() == "2025-01-01"
    assert version.draft.title == VERSION_1["title"]


def test_the_new_version_form_starts_from_the_latest(client, contact, draft):
    html = client.get(_url("version_new", draft)).content.decode()
    assert VERSION_1["problem"] in html
    assert "Portal publicado" in html


@pytest.mark.parametrize(
    "changes",
    [{"change_note": ""}, {"title": ""}, {"causes": "x" * 10_001}, {"change_note": "x" * 501}],
)
def test_a_bad_new_version_is_refused_with_a_message(client, contact, draft, changes):
    data = {**VERSION_1, "change_note": "Cambios", **changes}
    events = AuditEvent.objects.count()
    response = client.post(_url("version_new", draft), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert draft.versions.count() == 1
    assert _unchanged(events)


@pytest.mark.parametrize(
    "data",
    [
        {"section": "problem", "body": ""},
        {"section": "problem", "body": " x "},
        {"section": "problem", "body": "x" * 5001},
        {"section": "secreto", "body": "Un comentario válido"},
        {"section": "", "body": "Un comentario válido"},
        {"body": "Un comentario válido"},
    ],
)
def test_a_bad_comment_is_refused_with_a_message(client, personas, draft, data):
    client.force_login(personas["citizen"])
    events = AuditEvent.objects.count()
    response = client.post(_url("comment_add", draft), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    if data.get("section") == "problem" and data["body"].strip():
        assert data["body"].strip()[:50] in html  # what they typed is kept for correction
    assert not SectionComment.objects.exists()
    assert _unchanged(events)


def test_comments_are_rate_limited_and_the_extra_one_changes_nothing(
    client, personas, draft, settings
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "submission": "2/m/user"}
    client.force_login(personas["citizen"])
    data = {"section": "problem", "body": "Un comentario"}
    statuses = [client.post(_url("comment_add", draft), data).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert SectionComment.objects.count() == 2


@pytest.mark.parametrize("version", ["", "99", "uno"])
def test_approving_an_unknown_version_is_refused(client, contact, draft, version):
    response = client.post(_url("approve", draft), {"version": version})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.is_open and not Commitment.objects.exists()


def test_approving_a_version_without_lead_institution_says_why(client, contact, draft):
    response = client.post(_url("approve", draft), {"version": "1"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_open and not Commitment.objects.exists()


def test_approving_names_the_forum_session(client, contact, draft, institutions):
    from datetime import timedelta

    from django.utils import timezone

    from cocrea.forum.models import Forum, Meeting

    forum = Forum.objects.first() or Forum.objects.create(
        **_forum_fields(Forum, draft.consultation.plan)
    )
    now = timezone.now()
    meeting = Meeting.objects.create(
        forum=forum,
        plan=draft.consultation.plan,
        title="Sesión de validación",
        starts_at=now - timedelta(days=1),
        agenda="Aprobar los compromisos",
        announced_at=now - timedelta(days=20),
        schedule_changed_at=now - timedelta(days=20),
    )
    draft.versions.update(lead_institution=institutions["mineduc"])
    response = client.post(_url("approve", draft), {"version": "1", "meeting": meeting.pk})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.approval_meeting == meeting
    assert draft.commitment is not None
    html = client.get(_url("draft", draft)).content.decode()
    assert meeting.get_absolute_url() in html
    assert draft.commitment.get_absolute_url() in html


def _forum_fields(model, plan):
    """The required fields of the forum app's Forum, filled generically (another app)."""
    fields = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null or field.blank:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            fields[field.name] = field.related_model.objects.first() or plan.member
        elif field.get_internal_type() == "SlugField":
            fields[field.name] = "foro-prueba"
        else:
            fields[field.name] = "Foro de prueba"
    return fields


def test_withdrawing_without_a_reason_is_refused(client, contact, draft):
    response = client.post(_url("withdraw", draft), {"reason": ""})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.is_open


@pytest.mark.parametrize("reason", ["", "because"])
def test_hiding_with_an_unknown_reason_is_refused(client, personas, draft, reason):
    comment = services.section_comment_add(
        actor=personas["citizen"], draft=draft, section="problem", body="Comentario"
    )
    client.force_login(personas["moderator"])
    url = reverse("drafting:comment_hide", kwargs={"public_id": comment.public_id})
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": reason})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert not comment.is_hidden
