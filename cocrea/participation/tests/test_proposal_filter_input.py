"""The proposal list's area filter looks up only what can be a slug (issue 20): a NUL in `?area=`
reached PostgreSQL, which refuses it (a 500). The middleware (cocrea.core.badinput) refuses a NUL
in any address first; this keeps the filter safe on its own."""

import pytest

from cocrea.participation import selectors
from cocrea.plans.models import PolicyArea

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("area", ["\x00", "a\x00b", "x" * 81, "a b", "' OR 1=1--", "ñandú"])
def test_an_area_that_cannot_be_a_slug_is_ignored_without_a_query(area, django_assert_num_queries):
    with django_assert_num_queries(0):
        filters = selectors.proposal_filters({"area": area})
    assert filters.area is None


def test_an_area_slug_is_still_looked_up(django_assert_num_queries):
    area = PolicyArea.objects.filter(parent__isnull=False).first()
    with django_assert_num_queries(1):
        filters = selectors.proposal_filters({"area": area.slug, "orden": "\x00"})
    assert filters.area == area
    assert filters.sort == selectors.DEFAULT_SORT
    with django_assert_num_queries(1):
        assert selectors.proposal_filters({"area": "no-existe"}).area is None
