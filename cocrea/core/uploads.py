"""Uploads stop being stored at the size limit while they arrive, instead of being written whole
to a temporary file and refused afterwards: the rest of an oversized file is read off the
connection and dropped, so a 2 GB "report" never takes 2 GB of disk. (The web server in front
should also bound request bodies; this holds even without one.) The view learns which file was
cut from `request.oversized_upload` and says so; the file never reaches the form."""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and skips the file once it
    passes COCREA_UPLOAD_MAX_BYTES, noting its name on the request."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.COCREA_UPLOAD_MAX_BYTES:
            if self.request is not None:
                self.request.oversized_upload = self.file_name  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the handlers after this one build the file
