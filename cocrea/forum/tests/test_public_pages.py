"""The forum's public pages, checked like every public page (tests/pages.py): cached for
anonymous visitors, strict headers, no inline script or style, valid in both languages."""

import pytest

from cocrea.core.pagecache import HEADER
from tests.appchecks import forum as forum_checks
from tests.headers import security_header_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(plan):
    from django.urls import reverse
    from django.utils import translation

    commitment = plan.commitments.order_by("number_sort").first()
    samples = forum_checks.samples(plan, commitment, None)
    found = []
    for lang in ("es", "en"):
        with translation.override(lang):
            found += [reverse(name, kwargs=make() or None) for name, make in samples.items()]
    return found


def test_forum_pages_are_public_with_strict_headers_and_no_inline_code(client, pages):
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert security_header_problems(response) == [], page
        html = response.content.decode()
        assert "<script" not in html and "<style" not in html and " style=" not in html, page


def test_forum_pages_are_cached_and_refreshed_by_a_change(client, pages, settings):
    from cocrea.core.versioning import data_version_bump

    settings.COCREA_PAGE_CACHE = True
    for page in pages:
        assert client.get(page)[HEADER] == "miss", page
        assert client.get(page)[HEADER] == "hit", page
    data_version_bump()
    assert client.get(pages[0])[HEADER] == "miss"
