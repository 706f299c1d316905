"""The consultation's administration: publishing timelines reports each result in the
administrator's language."""

import pytest

from conftest import build_plan, sign_in_with_second_factor
from tests.appchecks.participation import open_consultation

pytestmark = pytest.mark.django_db


def test_publishing_timelines_reports_each_consultation_in_spanish(client, personas):
    ready = open_consultation(build_plan(commitments=1, slug="lista", number=1))
    ready.published_at = None
    ready.save()
    public = open_consultation(build_plan(commitments=1, slug="publica", number=2))
    from cocrea.accounts.models import RoleGrant
    from conftest import grant

    admin = personas["administrator"]  # staff, and the point of contact who may publish
    grant(admin, RoleGrant.Role.POINT_OF_CONTACT)
    sign_in_with_second_factor(client, admin)
    response = client.post(
        "/admin/participation/consultation/",
        {"action": "publish", "_selected_action": [ready.pk, public.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert f"{ready.title}: calendario publicado." in html
    assert f"{public.title}: El calendario ya es público." in html
    ready.refresh_from_db()
    assert ready.published_at is not None
