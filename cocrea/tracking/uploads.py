"""Evidence files: checked from their content, never from the name a browser sends (the check
itself lives in cocrea.core.filecheck, shared with the forum's documents). A file is accepted
when its bytes are one of the accepted types, its name's extension agrees with them, it is not
empty and not larger than COCREA_EVIDENCE_MAX_BYTES. Checked files are stored under a name we
make and carry their SHA-256, so anyone can confirm a download is the file that was published."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from cocrea.core.filecheck import (
    ACCEPTED,
    SIGNATURE_BYTES,
    CheckedFile,
    accepted_types,
    file_check,
)

__all__ = [
    "ACCEPTED",
    "SIGNATURE_BYTES",
    "CheckedFile",
    "accepted_types",
    "evidence_file_check",
]


def evidence_file_check(upload: UploadedFile) -> CheckedFile:
    """The file, checked; or a ValidationError that says what is wrong with it."""
    return file_check(
        upload,
        limit=settings.COCREA_EVIDENCE_MAX_BYTES,
        type_message=_(
            "The file %(name)s is not of a type we accept as evidence. Accepted: %(types)s."
        ),
    )
