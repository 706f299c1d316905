"""Background work of notifications (django-tasks, run by `manage.py run_worker`): after every
committed change (`core.signals.data_changed`) one fan-out is queued, a moment later, so no web
request waits for it and the changes of that moment are told together."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from cocrea.notifications.services import fan_out

QUEUED = "notifications:fan-out-queued"


@task()
def notifications_fan_out() -> int:
    cache.delete(QUEUED)
    return fan_out()


def fan_out_soon(**kwargs: Any) -> None:
    delay = settings.COCREA_NOTIFICATIONS_DELAY
    if not cache.add(QUEUED, True, timeout=max(delay, 1) + 60):
        return
    notifications_fan_out.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()


@task()
def notifications_periodic() -> dict[str, int]:
    """What `manage.py send_notifications` does, for a worker that runs it on a schedule."""
    from cocrea.notifications import periodic

    return periodic.run()
