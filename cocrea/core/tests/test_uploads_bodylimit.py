"""A request body past its view's limit is refused from its Content-Length with the 413 page,
before a byte of it is read; a chunked body is read no further than the limit."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import get_resolver, resolve, reverse
from django.utils.module_loading import import_string

from cocrea.core.bodylimit import BodyLimitMiddleware

MB = 1024 * 1024


class Body:
    """A request body of `size` bytes that counts what is read of it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        self.read_bytes += size
        return b"a" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def _post(client, path, body, *, length=None, chunked=False):
    extra = {
        "wsgi.input": body,
        "CONTENT_LENGTH": "" if chunked else str(length or body.size),
        "CONTENT_TYPE": "multipart/form-data; boundary=limite",  # generic() sets none: no data
    }
    if chunked:
        extra["HTTP_TRANSFER_ENCODING"] = "chunked"
    return client.generic(
        "POST", path, b"", content_type="multipart/form-data; boundary=limite", **extra
    )


@pytest.mark.django_db
def test_a_100_mb_body_to_a_form_without_files_is_refused_before_it_is_read(client):
    body = Body(100 * MB)
    response = _post(client, "/en/cuentas/login/", body)
    assert response.status_code == 413
    assert body.read_bytes == 0
    page = response.content.decode()
    assert "Too large to receive" in page
    assert "larger than 2.5\xa0MB" in page and "Nothing of it was saved" in page


@pytest.mark.django_db
def test_a_view_that_takes_files_takes_its_file_limit_and_the_fields_limit_and_no_more(client):
    path = reverse("forum:document_new", kwargs={"slug": "foro", "public_id": "abc"})
    assert resolve(path).view_name in settings.COCREA_UPLOAD_VIEWS
    limit = settings.COCREA_EVIDENCE_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    over = Body(limit + 1)
    assert _post(client, path, over).status_code == 413
    assert over.read_bytes == 0
    within = Body(limit)
    assert _post(client, path, within).status_code != 413  # on to the view (log-in first)


@pytest.mark.django_db
def test_the_api_answers_a_body_too_large_in_json(client):
    body = Body(100 * MB)
    response = _post(client, "/api/v1/progress-reports/abc/evidence", body)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert "detail" in response.json()


@pytest.mark.django_db
def test_a_chunked_body_without_length_is_read_no_further_than_the_limit(client):
    body = Body(100 * MB)
    response = _post(client, "/en/cuentas/login/", body, chunked=True)
    assert response.status_code == 413
    assert body.read_bytes == settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1


def test_a_chunked_body_within_the_limit_reaches_the_view_whole():
    payload = b"titulo=Acta&nota=" + b"x" * 1000
    request = RequestFactory().generic(
        "POST",
        "/en/cuentas/login/",
        b"",
        content_type="application/x-www-form-urlencoded",
        **{
            "wsgi.input": io.BytesIO(payload),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": "",
            "HTTP_TRANSFER_ENCODING": "chunked",
        },
    )
    request.resolver_match = resolve("/cuentas/login/")
    assert BodyLimitMiddleware(lambda r: None).process_view(request, None, (), {}) is None
    assert request.POST["titulo"] == "Acta"
    assert request.POST["nota"] == "x" * 1000


def test_a_view_that_takes_files_stops_each_file_at_its_own_limit(settings):
    settings.COCREA_EVIDENCE_MAX_BYTES = 10 * 1024
    settings.COCREA_UPLOAD_MAX_BYTES = 50 * MB
    path = reverse("forum:document_new", kwargs={"slug": "foro", "public_id": "abc"})
    request = RequestFactory().post(path, {"file": SimpleUploadedFile("a.pdf", b"1" * 20 * 1024)})
    request.resolver_match = resolve(path)
    BodyLimitMiddleware(lambda r: None).process_view(request, None, (), {})
    assert "file" not in request.FILES
    assert request.oversized_upload == "a.pdf"


def _view_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _view_names(pattern, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_view_named_as_taking_files_exists_and_its_limit_is_a_setting():
    names = set(_view_names())
    for view_name, setting in settings.COCREA_UPLOAD_VIEWS.items():
        assert view_name in names, view_name
        assert isinstance(getattr(settings, setting), int)


def test_the_body_limit_runs_before_anything_reads_the_body():
    """Its process_view is the first: the others' (CSRF's, the NUL check's) read the form."""
    with_views = [
        path for path in settings.MIDDLEWARE if hasattr(import_string(path), "process_view")
    ]
    assert with_views[0] == "cocrea.core.bodylimit.BodyLimitMiddleware"
