"""The person's notifications page, marking read, the header's unread count (never another
person's, never from the page cache), and "What I follow" in My space."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocrea.core.pagecache import HEADER
from cocrea.notifications import services
from cocrea.notifications.models import Follow, Notification
from conftest import build_plan, make_person

pytestmark = pytest.mark.django_db


def _notify(person, count: int, *, start: int = 0, read: bool = False):
    now = timezone.now()
    return Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind="report",
            key=f"event:{start + n}",
            title=f"Compromiso {start + n}",
            url=f"/planes/p/compromisos/c-{start + n}/",
            created_at=now - timedelta(hours=start + n),
            read_at=now if read else None,
        )
        for n in range(count)
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_needs_a_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/cuentas/login/" in response["Location"]


def test_newest_first_with_the_unread_marked_and_only_ones_own(client, personas):
    citizen = personas["citizen"]
    _notify(citizen, 2)
    _notify(citizen, 1, start=5, read=True)
    _notify(personas["cso_member"], 1, start=9)
    client.force_login(citizen)
    html = client.get(reverse("notifications:list")).content.decode()
    assert html.index("Compromiso 0") < html.index("Compromiso 1") < html.index("Compromiso 5")
    assert "Compromiso 9" not in html  # another person's
    assert html.count("Marcar como leída") == 2
    assert "Marcar todas como leídas" in html
    assert 'href="/planes/p/compromisos/c-0/"' in html
    assert "Informe de avance publicado" in html  # the kind


def test_the_empty_page_explains_how_to_follow(client, personas):
    client.force_login(personas["citizen"])
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Todavía no tiene notificaciones" in html and "«Seguir»" in html


def test_the_page_is_paginated_at_the_same_query_cost(client, personas, settings):
    settings.COCREA_PAGE_SIZE = 5
    citizen = personas["citizen"]
    client.force_login(citizen)
    _notify(citizen, 2)
    few = _queries(client, reverse("notifications:list"))
    _notify(citizen, 30, start=2)
    assert _queries(client, reverse("notifications:list")) == few
    html = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert "Página 2 de 7" in html and "Compromiso 5" in html and "Compromiso 4" not in html


def test_mark_one_read_then_all(client, personas):
    citizen = personas["citizen"]
    first, second, third = _notify(citizen, 3)
    client.force_login(citizen)
    url = reverse("notifications:mark_read")
    response = client.post(url, {"id": str(first.pk)})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    assert list(Notification.objects.filter(read_at__isnull=True).order_by("pk")) == [
        second,
        third,
    ]
    client.post(url, {})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_another_persons_notification_is_not_marked(client, personas):
    (theirs,) = _notify(personas["cso_member"], 1)
    client.force_login(personas["citizen"])
    client.post(reverse("notifications:mark_read"), {"id": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "9" * 30, " ; drop"])
def test_a_bad_id_is_refused_with_a_400(client, personas, bad):
    _notify(personas["citizen"], 1)
    client.force_login(personas["citizen"])
    response = client.post(reverse("notifications:mark_read"), {"id": bad})
    assert response.status_code == 400
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_mark_read_needs_post(client, personas):
    client.force_login(personas["citizen"])
    assert client.get(reverse("notifications:mark_read")).status_code == 405


def test_the_header_shows_the_unread_count_at_one_query(client, personas, plan):
    citizen = personas["citizen"]
    client.force_login(citizen)
    page = plan.get_absolute_url()
    html = client.get(page).content.decode()
    assert reverse("notifications:list") in html and "sin leer" not in html
    none = _queries(client, page)
    _notify(citizen, 3)
    _notify(citizen, 4, start=3, read=True)
    html = client.get(page).content.decode()
    assert '<span class="count">3<span class="visually-hidden"> sin leer</span></span>' in html
    assert _queries(client, page) == none


def test_a_visitor_has_no_notifications_link(client, plan):
    html = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("notifications:list") not in html


def test_the_page_cache_never_serves_one_persons_count_to_another(client, personas, settings):
    settings.COCREA_PAGE_CACHE = True
    plan = build_plan(commitments=1, slug="plan-c", number=1)
    page = plan.get_absolute_url()
    client.get(page)
    assert client.get(page)[HEADER] == "hit"  # the visitors' copy
    ana, beto = make_person("Ana"), make_person("Beto")
    _notify(ana, 2)
    client.force_login(ana)
    response = client.get(page)
    assert HEADER not in response
    assert '<span class="count">2<' in response.content.decode()
    client.force_login(beto)
    response = client.get(page)
    assert HEADER not in response and '<span class="count">' not in response.content.decode()
    client.logout()
    assert '<span class="count">' not in client.get(page).content.decode()


def test_my_space_lists_what_i_follow_with_an_unfollow_button(client, personas):
    citizen = personas["citizen"]
    plan = build_plan(commitments=1, slug="plan-m", number=1)
    commitment = plan.commitments.select_related("plan").get()
    services.follow_add(actor=citizen, target=plan)
    services.follow_add(actor=citizen, target=commitment)
    client.force_login(citizen)
    html = client.get(reverse("accounts:my_space")).content.decode()
    assert "Lo que sigo" in html and reverse("notifications:list") in html
    assert f'href="{commitment.get_absolute_url()}"' in html and plan.title in html
    assert f'value="{plan.slug}/{commitment.slug}"' in html
    assert html.count(f'action="{reverse("notifications:unfollow")}"') == 2
    response = client.post(
        reverse("notifications:unfollow"),
        {"kind": "commitment", "target": f"{plan.slug}/{commitment.slug}", "next": "/mi-espacio/"},
    )
    assert response["Location"] == "/mi-espacio/"
    assert list(Follow.objects.values_list("target_type", flat=True)) == ["plans.actionplan"]


def test_my_space_says_how_to_follow_when_nothing_is_followed(client, personas):
    client.force_login(personas["citizen"])
    html = client.get(reverse("accounts:my_space")).content.decode()
    assert "Todavía no sigue nada" in html


def test_my_space_does_not_show_a_followed_proposal_hidden_since(client, personas):
    from tests.appchecks.participation import _proposal, open_consultation

    consultation = open_consultation(build_plan(commitments=1, slug="plan-z", number=1))
    proposal = _proposal(consultation, personas["cso_member"], title="Título que se ocultará")
    services.follow_add(actor=personas["citizen"], target=proposal)
    client.force_login(personas["citizen"])
    assert "Título que se ocultará" in client.get(reverse("accounts:my_space")).content.decode()
    proposal.hidden_at = timezone.now()
    proposal.save(update_fields=["hidden_at"])
    assert "Título que se ocultará" not in client.get(reverse("accounts:my_space")).content.decode()
