from datetime import date, timedelta

import pytest
from django.utils import timezone

from cocrea.core.tests.files import BLANK_PDF
from cocrea.forum import services
from cocrea.forum.models import Forum, ForumSeat
from cocrea.plans.tests.factories import ActionPlanFactory, InstitutionFactory, MemberFactory

PDF = BLANK_PDF  # a real PDF, unchanged by the metadata cleaning (cocrea/core/scrub.py)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def contact(personas):
    return personas["point_of_contact"]


@pytest.fixture
def forum(personas, institutions, contact):
    """Guatemala's forum with one government chair, one civil-society member and a seat that
    ended, through the services."""
    member = MemberFactory()
    forum = services.forum_save(
        actor=contact,
        forum=Forum(
            member=member,
            name="Comité Técnico de Gobierno Abierto",
            slug="comite-tecnico",
            established_on=date(2023, 1, 15),
            mandate="Da seguimiento al plan.",
            rules="Cada sector elige a sus integrantes.",
        ),
    )
    start = date(2023, 1, 15)
    for institution, sector, role in [
        (institutions["mineduc"], "government", "chair"),
        (institutions["cso"], "non_government", "member"),
    ]:
        services.seat_save(
            actor=contact,
            seat=ForumSeat(
                forum=forum, institution=institution, sector=sector, role=role, start_date=start
            ),
        )
    ended = services.seat_save(
        actor=contact,
        seat=ForumSeat(
            forum=forum,
            institution=InstitutionFactory(name="Ministerio Saliente", acronym="MS"),
            sector="government",
            start_date=start,
        ),
    )
    services.seat_end(actor=contact, seat=ended, end_date=date(2023, 6, 30))
    return forum


@pytest.fixture
def plan(forum):
    return ActionPlanFactory(member=forum.member, slug="plan-vi")


def future(days: int = 30, hour: int = 10):
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def meeting(forum, contact):
    return services.meeting_create(
        actor=contact,
        forum=forum,
        kind="forum",
        title="Sesión ordinaria",
        starts_at=future(),
        place="Ciudad de Guatemala",
        agenda="1. Avances",
    )


@pytest.fixture
def past_meeting(forum, contact):
    now = timezone.now()
    return services.meeting_create(
        actor=contact,
        forum=forum,
        kind="civil_society",
        title="Presentación de resultados",
        starts_at=now - timedelta(days=2),
        online_url="https://example.org/sala",
        agenda="Resultados",
        announced_at=now - timedelta(days=20),
    )
