"""Uploads stop being stored at the size limit while they arrive, instead of being written whole
to a temporary file and refused afterwards: the rest of an oversized file is read off the
connection and dropped, so a 2 GB "report" never takes 2 GB of disk. (A body larger than its
view takes is refused before it is read at all, core/bodylimit.py; and the web server in front
bounds bodies too.) The view learns which file was cut from `request.oversized_upload` and says
so; the file never reaches the form."""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and skips the file once it
    passes its view's file limit (`request.upload_limit`, set by core/bodylimit.py from
    COCREA_UPLOAD_VIEWS) or COCREA_UPLOAD_MAX_BYTES, whichever is smaller, noting its name on
    the request."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        limit = min(
            getattr(self.request, "upload_limit", None) or settings.COCREA_UPLOAD_MAX_BYTES,
            settings.COCREA_UPLOAD_MAX_BYTES,
        )
        if self.received > limit:
            if self.request is not None:
                self.request.oversized_upload = self.file_name  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the handlers after this one build the file
