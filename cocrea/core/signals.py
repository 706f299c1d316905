from typing import Any

from cocrea.core.versioning import data_version_bump


def bump_after_migrate(sender: Any, **kwargs: Any) -> None:
    """Migrations can change data (reference data, data migrations): cached pages must go."""
    data_version_bump()
