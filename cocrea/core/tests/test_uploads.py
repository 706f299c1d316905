"""An uploaded file stops being read once it passes the size limit."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory


def test_a_file_past_the_limit_is_skipped_and_named_on_the_request(settings):
    settings.COCREA_UPLOAD_MAX_BYTES = 100 * 1024
    request = RequestFactory().post(
        "/",
        {
            "small": SimpleUploadedFile("a.csv", b"a,b\n1,2\n"),
            "big": SimpleUploadedFile("b.pdf", b"0" * 300 * 1024),
        },
    )
    assert sorted(request.FILES) == ["small"]
    assert request.oversized_upload == "b.pdf"


def test_a_file_under_the_limit_goes_through_whole(settings):
    settings.COCREA_UPLOAD_MAX_BYTES = 100 * 1024
    request = RequestFactory().post("/", {"f": SimpleUploadedFile("a.pdf", b"1" * 90 * 1024)})
    assert request.FILES["f"].size == 90 * 1024
    assert not hasattr(request, "oversized_upload")
