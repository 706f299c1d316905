"""Uploaded files checked from their content, never from the name a browser sends. A file is
accepted when its bytes are one of the types below, its name's extension agrees with them, it is
not empty and not larger than the limit (COCREA_EVIDENCE_MAX_BYTES unless told otherwise).
Office files (zip files) are refused when they would unpack past COCREA_OFFICE_MAX_UNPACKED_BYTES
or hold more than COCREA_OFFICE_MAX_MEMBERS members, images when they claim more than
COCREA_IMAGE_MAX_PIXELS pixels (core/scrub.py), before anything is unpacked or decoded.
A file that passes has its metadata taken out (core/scrub.py: author, software, dates, GPS
position, camera); the upload then holds the cleaned bytes, which are what is stored, and its
SHA-256 is theirs, so anyone can confirm a download is the file that was published. Checked
files are stored under a name we make. Shared by every app that takes files (tracking's
evidence, the forum's meeting documents, the API's evidence, the OGP import); core imports no
domain app."""

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cocrea.core.scrub import OFFICE, damaged_error, scrub

# Detected extension: (MIME type sent on download, extensions a file name may have).
ACCEPTED: dict[str, tuple[str, set[str]]] = {
    "pdf": ("application/pdf", {"pdf"}),
    "png": ("image/png", {"png"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "webp": ("image/webp", {"webp"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {"docx"},
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        {"pptx"},
    ),
    "odt": ("application/vnd.oasis.opendocument.text", {"odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {"ods"}),
    "odp": ("application/vnd.oasis.opendocument.presentation", {"odp"}),
    "csv": ("text/csv", {"csv"}),
}
SIGNATURE_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def accepted_types() -> str:
    return "PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV"


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def _is_csv(upload: UploadedFile) -> bool:
    """CSV has no signature: it must be UTF-8 text without NUL bytes and with a separator."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    first_line = text.split("\n", 1)[0]
    return any(separator in first_line for separator in (",", ";", "\t"))


def _office_check(data: bytes, *, name: str) -> None:
    """Refuse a zip that would unpack past the limits, from its central directory, before any
    member is unpacked. A member's declared size binds: zipfile stops at it and checks the CRC,
    so a member that says it is small and unpacks large is refused as damaged (core/scrub.py)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,  # a zip version or compression zipfile does not know
        ValueError,
        OSError,
        EOFError,
    ) as error:
        raise damaged_error(name) from error
    if len(members) > settings.COCREA_OFFICE_MAX_MEMBERS:
        raise ValidationError(
            _(
                "The file %(name)s holds more than %(limit)s parts, more than we accept. "
                "Save it as PDF, or split it, and send it again."
            )
            % {"name": name, "limit": settings.COCREA_OFFICE_MAX_MEMBERS},
            code="too_many_members",
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.COCREA_OFFICE_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _(
                "The file %(name)s unpacks to more than %(limit)s, more than we accept. "
                "Save it as PDF, or split it, and send it again."
            )
            % {"name": name, "limit": filesizeformat(settings.COCREA_OFFICE_MAX_UNPACKED_BYTES)},
            code="too_large_unpacked",
        )


def _replace_content(upload: UploadedFile, data: bytes) -> None:
    """Make the upload hold `data`, whichever object a caller goes on to store: the checked
    file's or its own. A file on disk is rewritten in place, since storages move it by path."""
    handle = upload.file
    if handle is not None and hasattr(upload, "temporary_file_path"):
        handle.seek(0)
        handle.truncate()
        handle.write(data)
        handle.flush()
        handle.seek(0)
    else:
        upload.file = io.BytesIO(data)
    upload.size = len(data)


def file_check(
    upload: UploadedFile,
    *,
    limit: int | None = None,
    type_message: str | Promise | None = None,
) -> CheckedFile:
    """The file, checked; or a ValidationError that says what is wrong with it. `type_message`
    (with %(name)s and %(types)s) says what a refused type is refused as."""
    name = os.path.basename(upload.name or "").strip()[:200] or "file"
    limit = settings.COCREA_EVIDENCE_MAX_BYTES if limit is None else limit
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name}, code="empty")
    if size > limit:
        raise ValidationError(
            _("The file %(name)s is larger than %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(SIGNATURE_BYTES))
    upload.seek(0)
    detected = kind.extension if kind is not None else ("csv" if _is_csv(upload) else None)
    if detected is None or detected not in ACCEPTED:
        message = (
            str(type_message)
            if type_message is not None
            else _("The file %(name)s is not of a type we accept. Accepted: %(types)s.")
        )
        raise ValidationError(
            message % {"name": name, "types": accepted_types()},
            code="type",
        )
    content_type, extensions = ACCEPTED[detected]
    if _extension(name) not in extensions:
        raise ValidationError(
            _(
                "The content of %(name)s is %(detected)s, which does not match its name. "
                "Rename it or choose the right file."
            )
            % {"name": name, "detected": detected.upper()},
            code="mismatch",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if detected in OFFICE:
        _office_check(data, name=name)
    cleaned = scrub(data, detected, name=name)
    if cleaned != data:
        again = filetype.guess(cleaned[:SIGNATURE_BYTES])
        if detected != "csv" and (again is None or again.extension != detected):
            raise damaged_error(name)
        _replace_content(upload, cleaned)
    return CheckedFile(
        upload=upload,
        name=name,
        extension=detected,
        content_type=content_type,
        size=len(cleaned),
        sha256=hashlib.sha256(cleaned).hexdigest(),
    )
