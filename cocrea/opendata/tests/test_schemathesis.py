"""schemathesis against the OpenAPI document, through the WSGI application: for every operation,
requests generated from the document (positive: what it admits, cursors included, which must be
accepted) and against it (negative: what it refuses, which must be a 4xx), over data of every
kind (the samples the page checks use), the write operations with a real token. Every check
schemathesis has is on: no 5xx, every status documented, every body and header as documented,
admitted data accepted, refused data refused. Bounded: a fixed number of examples per operation
and mode, derandomised, so a run makes the same requests each time."""

import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from cocrea.opendata import services
from conftest import build_plan
from tests.pages import plan_samples

EXAMPLES = 30  # per operation and mode: about 1,000 requests in all


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


def test_the_api_keeps_its_documented_promises(
    db, settings, personas, institutions, _keep_the_test_connection
):
    settings.COCREA_API_RATE = "1000000/m"
    plan_samples(build_plan(commitments=3))  # reports, assessments, proposals, meetings...
    _, token = services.api_token_create(
        actor=personas["coordinator"], institution=institutions["mineduc"], name="schemathesis"
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    statuses: dict[GenerationMode, list[int]] = {mode: [] for mode in GenerationMode}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    started = time.monotonic()
    failures = []
    for operation in operations:
        for mode in GenerationMode:
            try:
                _exercise(operation, mode, token, statuses[mode])
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # hypothesis's groups of failures among them
                failures.append(f"{operation.label} {mode.value}: {str(error)[:2500]}")
    elapsed = time.monotonic() - started
    positive, negative = statuses[GenerationMode.POSITIVE], statuses[GenerationMode.NEGATIVE]
    assert not failures, "\n\n".join(failures)
    assert len(positive) + len(negative) >= 1000, (len(positive), len(negative))
    assert all(status < 500 for status in positive + negative)
    assert sum(1 for status in positive if status == 200) > 300  # not only refusals
    assert sum(1 for status in negative if 400 <= status < 500) > 300
    print(f"schemathesis: {len(positive)} positive, {len(negative)} negative in {elapsed:.0f} s")


def _exercise(operation, mode: GenerationMode, token: str, statuses: list[int]) -> None:
    """EXAMPLES requests to `operation` generated in `mode`, each checked by every check."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        headers = {"Accept-Encoding": "identity"}
        if case.method == "POST":
            headers["Authorization"] = f"Bearer {token}"
        response = case.call(headers=headers)
        statuses.append(response.status_code)
        case.validate_response(response, headers=headers)  # every check schemathesis has

    check()
