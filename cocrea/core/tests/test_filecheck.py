"""Files that could hurt are refused before they are unpacked or decoded, and a file that passes
is stored and hashed as it will be published: without its metadata."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation

from cocrea.core.filecheck import file_check
from cocrea.core.tests import files


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_docx_that_unpacks_to_2_gib_is_refused_from_its_directory():
    bomb = files.docx_claiming(2 * 1024**3)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file_check(_upload("informe.docx", bomb))
    assert refused.value.code == "too_large_unpacked"
    assert "informe.docx" in refused.value.messages[0]
    assert "256" in refused.value.messages[0]  # the limit, in the words of filesizeformat


def test_a_docx_that_truly_unpacks_past_the_limit_is_refused(settings):
    settings.COCREA_OFFICE_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = files.docx_with_author(padding=b"\x00" * (2 * 1024 * 1024))
    assert len(bomb) < 20 * 1024  # 2 MiB of zeros packs into a few kilobytes
    with pytest.raises(ValidationError) as refused:
        file_check(_upload("informe.docx", bomb))
    assert refused.value.code == "too_large_unpacked"


def test_a_docx_whose_member_unpacks_past_what_it_declares_is_refused_as_damaged():
    """zipfile stops at the declared size and checks the CRC: declaring little does not help."""
    liar = files.docx_claiming(10)
    with pytest.raises(ValidationError) as refused:
        file_check(_upload("informe.docx", liar))
    assert refused.value.code == "damaged"


def test_an_office_file_with_too_many_members_is_refused(settings):
    settings.COCREA_OFFICE_MAX_MEMBERS = 2000
    base = files.docx_with_author()
    output = io.BytesIO(base)
    with zipfile.ZipFile(output, "a") as archive:
        for number in range(2000):
            archive.writestr(f"word/x{number}.xml", b"")
    with pytest.raises(ValidationError) as refused:
        file_check(_upload("informe.docx", output.getvalue()))
    assert refused.value.code == "too_many_members"
    assert "2000" in refused.value.messages[0]


def test_a_png_claiming_60000_by_60000_pixels_is_refused_before_it_is_decoded():
    bomb = files.png_claiming(60_000, 60_000)
    assert len(bomb) < 200
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file_check(_upload("mapa.png", bomb))
    assert refused.value.code == "too_many_pixels"
    message = refused.value.messages[0]
    assert "mapa.png" in message and "50 million pixels" in message


def test_the_pixel_limit_is_a_setting_and_set_on_pillow(settings):
    from PIL import Image

    settings.COCREA_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError) as refused:
        file_check(_upload("foto.jpg", files.jpeg_with_gps()))  # 64 x 32 = 2048 pixels
    assert refused.value.code == "too_many_pixels"
    assert Image.MAX_IMAGE_PIXELS == 1000
    settings.COCREA_IMAGE_MAX_PIXELS = 50_000_000
    assert file_check(_upload("foto.jpg", files.jpeg_with_gps())).extension == "jpg"


def test_a_checked_photo_is_the_cleaned_one_and_its_hash_is_of_the_cleaned_bytes():
    original = files.jpeg_with_gps()
    upload = _upload("foto.jpg", original)
    checked = file_check(upload)
    stored = checked.upload.read()
    assert stored != original
    assert b"Canon" not in stored and files.SERIAL.encode() not in stored
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()
    assert checked.size == len(stored) == upload.size
    upload.seek(0)
    assert upload.read() == stored  # the caller's own object holds the cleaned bytes too


def test_a_file_on_disk_is_rewritten_in_place_so_a_storage_moving_it_moves_the_clean_one():
    original = files.pdf_with_author()
    upload = TemporaryUploadedFile("informe.pdf", "application/pdf", len(original), None)
    upload.write(original)
    upload.seek(0)
    checked = file_check(upload)
    with open(upload.temporary_file_path(), "rb") as on_disk:
        data = on_disk.read()
    assert files.AUTHOR.encode() not in data
    assert hashlib.sha256(data).hexdigest() == checked.sha256
    upload.close()


def test_a_clean_pdf_is_stored_as_sent():
    checked = file_check(_upload("blanco.pdf", files.BLANK_PDF))
    assert checked.sha256 == hashlib.sha256(files.BLANK_PDF).hexdigest()
