"""Checks of the machine a deployment runs on, for `manage.py check --deploy`
(docs/deployment.md §6): each storage keeps, gives back and deletes a file, and the open-data
folder can be written. Without them, a missing bucket, wrong credentials or a folder the
service user cannot write show only at the first upload, as an error to whoever sent it."""

import tempfile
import uuid
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.storage import storages

PROBE = b"cocrea: a storage check, deleted at once\n"


@checks.register(checks.Tags.files, deploy=True)
def storages_keep_files(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for alias, what in (("default", "Uploaded files"), ("private", "Staff-only files")):
        storage = storages[alias]
        name = ""
        try:
            name = storage.save(f"cocrea-check-{uuid.uuid4().hex}.txt", ContentFile(PROBE))
            with storage.open(name) as kept:
                if kept.read() != PROBE:
                    raise OSError("the file read back is not the file written")
        except Exception as error:  # whatever the backend raises is the answer
            problems.append(
                checks.Error(
                    f"{what} cannot be stored (STORAGES[{alias!r}], "
                    f"{type(storage).__name__}): {type(error).__name__}: {error}",
                    hint="docs/deployment.md §5: COCREA_MEDIA_ROOT and COCREA_PRIVATE_ROOT "
                    "writable by the service user, or COCREA_STORAGE=s3 with a bucket that "
                    "exists and credentials that may write to it (COCREA_S3_*).",
                    id="cocrea.E001",
                )
            )
        finally:
            if name:
                try:
                    storage.delete(name)
                except Exception as error:
                    problems.append(
                        checks.Error(
                            f"{what}: the check's file {name} could not be deleted: {error}",
                            id="cocrea.E002",
                        )
                    )
    root = settings.COCREA_OPENDATA_ROOT
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".check-"):
            pass
    except OSError as error:
        problems.append(
            checks.Error(
                f"The open-data folder {root} cannot be written: {error}",
                hint="docs/deployment.md §5: COCREA_OPENDATA_ROOT, on storage every app "
                "server and the worker see, writable by the service user.",
                id="cocrea.E003",
            )
        )
    return problems
