from typing import Any

from django.dispatch import Signal

from cocrea.core.versioning import data_version_bump

# Sent after the commit of every transaction that recorded an audit event, i.e. after every
# change made through the services (audit.services.event_record). Receivers run outside the
# transaction; what they do next (the background open-data export) must not fail the change.
data_changed = Signal()


def bump_after_migrate(sender: Any, **kwargs: Any) -> None:
    """Migrations can change data (reference data, data migrations): cached pages must go."""
    data_version_bump()
