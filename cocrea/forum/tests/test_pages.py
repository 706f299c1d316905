"""The forum's public pages show what the forum is and does, and neutralise what people type."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cocrea.forum import services
from cocrea.forum.models import Forum

pytestmark = pytest.mark.django_db


def test_the_forum_page_shows_members_by_sector_rules_and_meetings(client, forum, meeting):
    html = client.get(reverse("forum:forum", kwargs={"slug": forum.slug})).content.decode()
    assert "Comité Técnico de Gobierno Abierto" in html
    assert "Ministerio de Educación" in html and "Red Ciudadana" in html
    assert "Ministerio Saliente" not in html  # its seat ended
    assert "Gubernamental" in html or "Gobierno" in html
    assert "Cada sector elige a sus integrantes." in html
    assert "Sesión ordinaria" in html
    assert meeting.get_absolute_url() in html


def test_the_forum_index_shows_the_default_members_forum(client, forum):
    response = client.get("/foro/")
    assert response.status_code == 200
    assert forum.name in response.content.decode()
    assert client.get("/en/foro/").status_code == 200


def test_the_forum_index_says_so_when_there_is_no_forum(client, db):
    response = client.get("/foro/")
    assert response.status_code == 200
    assert "Cocrea" in response.content.decode()


def test_a_forum_without_rules_says_they_are_not_published(client, forum, contact):
    forum.rules = ""
    services.forum_save(actor=contact, forum=forum)
    html = client.get("/en" + forum.get_absolute_url()).content.decode()
    assert "The forum has not published its rules yet." in html


def test_the_meeting_page_shows_its_schedule_notice_and_agenda(client, meeting):
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Sesión ordinaria" in html
    assert "Ciudad de Guatemala" in html
    assert "1. Avances" in html or "Avances" in html
    local = timezone.localtime(meeting.starts_at)
    assert local.isoformat(timespec="minutes") in html  # Guatemala time, -06:00
    assert local.isoformat(timespec="minutes").endswith("-06:00")


def test_a_short_notice_is_flagged(client, forum, contact):
    soon = services.meeting_create(
        actor=contact,
        forum=forum,
        kind="forum",
        title="Sesión urgente",
        starts_at=timezone.now() + timedelta(days=3, hours=1),
        place="Sala 1",
        agenda="Urgente",
    )
    assert soon.notice_days == 3 and soon.short_notice
    html = client.get(soon.get_absolute_url()).content.decode()
    assert 'class="overdue"' in html


def test_a_held_meeting_shows_minutes_decisions_attendance_and_documents(
    client, forum, past_meeting, contact
):
    seats = list(forum.seats.filter(end_date__isnull=True))
    services.meeting_minutes_publish(
        actor=contact,
        meeting=past_meeting,
        minutes="Se **revisaron** los avances.",
        decisions=["Aprobar el calendario", "Convocar a la sociedad civil"],
        seats=seats,
        other_participants=7,
    )
    services.meeting_document_add(
        actor=contact, meeting=past_meeting, title="Presentación", url="https://example.org/p.pdf"
    )
    html = client.get(past_meeting.get_absolute_url()).content.decode()
    assert "<strong>revisaron</strong>" in html
    assert "Aprobar el calendario" in html and "Convocar a la sociedad civil" in html
    assert "Ministerio de Educación" in html and "Red Ciudadana" in html
    assert "7" in html
    assert "https://example.org/p.pdf" in html


def test_a_cancelled_meeting_stays_public_with_its_reason(client, meeting, contact):
    services.meeting_cancel(actor=contact, meeting=meeting, reason="Falta de quórum")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Falta de quórum" in html
    forum_html = client.get(meeting.forum.get_absolute_url()).content.decode()
    assert "Sesión ordinaria" in forum_html


def test_a_past_meeting_without_minutes_says_they_are_pending(client, past_meeting):
    html = client.get(past_meeting.get_absolute_url()).content.decode()
    assert 'class="notice"' in html


def test_markdown_script_is_neutralised_everywhere(client, forum, past_meeting, contact):
    payload = '<script>alert("x")</script> [clic](javascript:alert(1)) <img src=x onerror=alert(1)>'
    forum.mandate = forum.rules = payload
    services.forum_save(actor=contact, forum=forum)
    services.meeting_minutes_publish(
        actor=contact, meeting=past_meeting, minutes=payload, decisions=[payload]
    )
    for page in (forum.get_absolute_url(), past_meeting.get_absolute_url()):
        html = client.get(page).content.decode()
        assert "<script>alert" not in html
        assert 'href="javascript:' not in html
        assert "<img" not in html


def test_a_meeting_of_another_forum_is_not_found_under_this_one(client, meeting, db):
    from cocrea.plans.tests.factories import MemberFactory

    other = Forum.objects.create(
        member=MemberFactory(code="HND", slug="hn", name="Honduras", is_default=False),
        name="Otro",
        slug="otro",
    )
    url = reverse("forum:meeting", kwargs={"slug": other.slug, "public_id": meeting.public_id})
    assert client.get(url).status_code == 404


def test_the_point_of_contact_sees_the_management_links(client, meeting, contact):
    client.force_login(contact)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert (
        reverse(
            "forum:meeting_cancel",
            kwargs={"slug": meeting.forum.slug, "public_id": meeting.public_id},
        )
        in html
    )
    anonymous = client.__class__()
    assert "cancelar" not in anonymous.get(meeting.get_absolute_url()).content.decode()


def test_the_site_navigation_links_the_forum(client, db):
    assert 'href="/foro/"' in client.get("/").content.decode()


def test_the_public_audit_log_shows_forum_events_linked_to_the_forum(client, meeting):
    html = client.get(reverse("audit:log")).content.decode()
    assert "Sesión ordinaria" in html
    assert meeting.forum.get_absolute_url() in html
