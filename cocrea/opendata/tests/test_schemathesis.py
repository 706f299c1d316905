"""schemathesis against the OpenAPI document, through the WSGI application: generated requests
for every operation over data of every kind (the samples the page checks use). No answer may be
a 5xx, every status code must be documented, every body must match its schema. At least 1,000
requests are made (counted below)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from conftest import build_plan
from tests.pages import plan_samples

EXAMPLES = 90
CHECKS = (
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
)


@pytest.fixture
def _keep_the_test_connection():
    """Requests made straight through the WSGI application end by closing old database
    connections, which on PostgreSQL closes the test's own; Django's test client avoids this the
    same way, by disconnecting the handler for the duration."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_keeps_its_documented_promises(db, settings, _keep_the_test_connection):
    settings.COCREA_API_RATE = "1000000/m"
    plan_samples(build_plan(commitments=3))  # reports, assessments, proposals, meetings...
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers={"Accept-Encoding": "identity"})
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        check()
    assert len(statuses) >= 1000, len(statuses)
    assert all(status < 500 for status in statuses)
    assert sum(1 for status in statuses if status == 200) > 100  # not only refusals
