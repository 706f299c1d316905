"""A server process freezes what it has loaded once its first requests are served
(cocrea.core.warmup), and only the WSGI entry point asks for it."""

import gc
import importlib
import sys
import weakref

import pytest
from django.core.signals import request_started


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_freezer_freezes_only_after_the_given_numbers_of_requests(unfrozen):
    from cocrea.core.warmup import freezer

    receiver = freezer(after=(1, 3))
    receiver()  # the first request starts: nothing served yet
    assert gc.get_freeze_count() == 0
    receiver()  # one served
    frozen = gc.get_freeze_count()
    assert frozen > 1000
    gc.unfreeze()
    receiver()  # two served: not a freeze point
    assert gc.get_freeze_count() == 0
    receiver()  # three served
    assert gc.get_freeze_count() > 1000


def test_garbage_is_collected_before_freezing(unfrozen):
    from cocrea.core.warmup import freezer

    class Cycle:
        pass

    receiver = freezer(after=(1,))
    receiver()
    cycle = Cycle()
    cycle.me = cycle  # type: ignore[attr-defined]
    alive = weakref.ref(cycle)
    del cycle
    assert alive() is not None  # a cycle outlives its last name until a collection
    receiver()
    assert alive() is None


def test_the_wsgi_application_freezes_after_its_first_request(unfrozen, client, db):
    module = sys.modules.get("cocrea.wsgi")
    wsgi = importlib.reload(module) if module else importlib.import_module("cocrea.wsgi")
    try:
        client.get("/health/")
        assert gc.get_freeze_count() == 0
        client.get("/health/")
        assert gc.get_freeze_count() > 1000
    finally:
        assert request_started.disconnect(dispatch_uid="cocrea.core.warmup")
        del wsgi.freeze_what_lasts
