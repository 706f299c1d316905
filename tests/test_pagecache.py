"""Public pages are cached for anonymous visitors, and a committed change is visible on the very
next request."""

import pytest

from cocrea.core.pagecache import HEADER
from cocrea.core.versioning import data_version_bump, data_version_get
from cocrea.plans import services
from tests.pages import plan_samples, public_pages


@pytest.fixture
def page_cache(settings):
    settings.COCREA_PAGE_CACHE = True


def test_the_second_anonymous_request_is_served_from_the_cache(client, plan, page_cache):
    assert client.get("/planes/")[HEADER] == "miss"
    assert client.get("/planes/")[HEADER] == "hit"
    assert client.get("/en/planes/")[HEADER] == "miss"  # each language is its own page


def test_a_change_made_through_a_service_shows_on_the_next_request(client, plan, page_cache):
    page = f"/planes/{plan.slug}/"
    assert plan.title in client.get(page).content.decode()
    assert client.get(page)[HEADER] == "hit"
    plan.title = "Plan con un título nuevo"
    services.action_plan_save(actor=None, plan=plan)
    response = client.get(page)
    assert response[HEADER] == "miss"
    assert "Plan con un título nuevo" in response.content.decode()


def test_a_change_to_a_commitment_refreshes_every_page_that_shows_it(client, plan, page_cache):
    commitment = plan.commitments.get(number=1)
    pages = [
        "/",
        "/planes/",
        f"/planes/{plan.slug}/",
        f"/instituciones/{commitment.lead_institution.slug}/",
    ]
    for page in pages:
        client.get(page)
        assert client.get(page)[HEADER] == "hit", page
    commitment.title = "Compromiso renombrado"
    services.commitment_save(actor=None, commitment=commitment)
    for page in pages:
        response = client.get(page)
        assert response[HEADER] == "miss", page
    assert "Compromiso renombrado" in client.get(f"/planes/{plan.slug}/").content.decode()


def test_every_public_page_is_cached(client, plan, page_cache):
    from django.urls import resolve
    from django.utils import translation

    cached = []
    for lang in ("es", "en"):
        with translation.override(lang):
            pages = public_pages(plan_samples(plan), lang)
            cached += [page for page in pages if getattr(resolve(page).func, "public_page", False)]
    assert len(cached) >= 16
    for page in cached:
        assert client.get(page)[HEADER] == "miss", page
        assert client.get(page)[HEADER] == "hit", page


def test_compressed_and_plain_responses_are_kept_apart(client, plan, page_cache):
    gzip = client.get("/planes/", headers={"Accept-Encoding": "gzip"})
    assert gzip["Content-Encoding"] == "gzip"
    plain = client.get("/planes/")
    assert plain[HEADER] == "miss"
    assert "Content-Encoding" not in plain
    assert client.get("/planes/", headers={"Accept-Encoding": "gzip"})[HEADER] == "hit"


def test_cached_pages_keep_their_security_headers(client, plan, page_cache):
    from tests.headers import security_header_problems

    client.get("/planes/")
    response = client.get("/planes/")
    assert response[HEADER] == "hit"
    assert security_header_problems(response) == []


def test_query_strings_are_part_of_the_key(client, plan, page_cache):
    client.get(f"/planes/{plan.slug}/")
    assert client.get(f"/planes/{plan.slug}/?completion=complete")[HEADER] == "miss"


def test_signed_in_people_are_never_served_a_cached_page(
    client, plan, page_cache, django_user_model
):
    client.get("/planes/")
    client.force_login(django_user_model.objects.create_user("ana", password="a-long-password-1"))
    response = client.get("/planes/")
    assert HEADER not in response


def test_error_pages_are_not_cached(client, db, page_cache):
    client.get("/planes/nada/")
    assert HEADER not in client.get("/planes/nada/")


def test_the_cache_can_be_switched_off(client, plan, settings):
    settings.COCREA_PAGE_CACHE = False
    client.get("/planes/")
    assert HEADER not in client.get("/planes/")


def test_the_version_moves_on_with_every_bump_and_after_migrations(db):
    before = data_version_get()
    data_version_bump()
    assert data_version_get() == before + 1
    assert before >= 1  # the migrations of the test database bumped it already


def test_the_version_is_zero_before_the_first_bump_and_then_one(db):
    from cocrea.core.models import DataVersion

    DataVersion.objects.all().delete()
    assert data_version_get() == 0
    data_version_bump()
    assert data_version_get() == 1


def test_account_pages_with_forms_are_never_cached(client, db, page_cache):
    client.get("/cuentas/login/")
    assert HEADER not in client.get("/cuentas/login/")


def test_addresses_that_are_not_public_pages_skip_the_cache(client, db, page_cache):
    response = client.get("/health/")
    assert HEADER not in response
    assert HEADER not in client.get("/health/")
