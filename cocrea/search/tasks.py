"""Keeping the index in step (django-tasks, run by `manage.py run_worker`): after every
committed change (`core.signals.data_changed`) one run is queued, a moment later, that reads
the audit log from where the last one stopped."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from cocrea.search.services import index_from_log

QUEUED = "search:index-queued"


@task()
def search_index_from_log() -> int:
    cache.delete(QUEUED)
    return index_from_log()


def index_soon(**kwargs: Any) -> None:
    delay = settings.COCREA_SEARCH_DELAY
    if not cache.add(QUEUED, True, timeout=max(delay, 1) + 60):
        return
    search_index_from_log.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()
