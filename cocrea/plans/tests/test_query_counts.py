"""Every public page costs the same number of queries at 5 and at 50 commitments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import build_plan
from tests.pages import plan_samples, public_pages


def _query_counts(client, plan) -> dict[str, int]:
    counts = {}
    for page in public_pages(plan_samples(plan)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200, page
        counts[page.replace(plan.slug, "<plan>")] = len(queries)
    return counts


@pytest.mark.django_db
def test_public_pages_cost_the_same_queries_at_5_and_50_commitments(client):
    small = _query_counts(
        client, build_plan(commitments=5, milestones_each=3, slug="small", number=1)
    )
    large = _query_counts(
        client, build_plan(commitments=50, milestones_each=6, slug="large", number=2)
    )
    # institution pages differ by slug; compare page by page in order
    assert list(small.values()) == list(large.values()), (small, large)
    assert max(small.values()) <= 12, small
