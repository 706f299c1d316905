"""ETag and Last-Modified for the API, with Django's own conditional handling
(`django.views.decorators.http.condition`): a client that sends back what it got is answered
304 before the view runs. The ETag follows the data version (which every committed change
bumps, core/versioning.py) and the address; Last-Modified is the time of the latest public
change."""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.views.decorators.http import condition

from cocrea.audit.models import AuditEvent
from cocrea.core.versioning import data_version_get


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    key = f"{data_version_get()}|{request.get_full_path()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    return (
        AuditEvent.objects.filter(public=True)
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )


def conditional(view: Callable[..., Any]) -> Callable[..., Any]:
    return condition(etag_func=_etag, last_modified_func=_last_modified)(view)
