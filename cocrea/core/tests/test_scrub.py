"""Nothing of what a person's camera or programs wrote about them survives the cleaning of an
uploaded file, and the file still opens: real files made with the libraries that read them
(cocrea/core/tests/files), checked byte by byte and part by part."""

import io
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from lxml import etree
from PIL import Image

from cocrea.core.scrub import scrub
from cocrea.core.tests import files


def _secrets_in(data: bytes) -> list[str]:
    return [secret for secret in files.SECRETS if secret.encode() in data]


def test_a_photo_loses_its_gps_serials_xmp_comment_and_appended_video_and_stays_upright():
    original = files.jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # it has a GPS position to lose
        assert before.size == (64, 32)
    assert _secrets_in(original)

    cleaned = scrub(original, "jpg", name="foto.jpg")

    assert _secrets_in(cleaned) == []
    assert b"Exif" not in cleaned and b"http://ns.adobe.com/xap" not in cleaned
    assert cleaned.endswith(b"\xff\xd9")  # nothing after the image's end
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.format == "JPEG"
        assert dict(after.getexif()) == {}
        assert "exif" not in after.info and "xmp" not in after.info
        assert "comment" not in after.info
        assert after.info["icc_profile"] == files.srgb_profile()  # colours kept
        # Turned as the camera said (90 degrees clockwise): the red left half is now on top.
        assert after.size == (32, 64)
        red, blue = after.convert("RGB").getpixel((16, 8)), after.convert("RGB").getpixel((16, 56))
        assert red[0] > 150 and red[2] < 60
        assert blue[2] > 150 and blue[0] < 60


def test_a_png_loses_its_text_chunks_and_exif_and_keeps_its_transparency():
    original = files.png_with_text()
    assert _secrets_in(original)
    cleaned = scrub(original, "png", name="grafico.png")
    assert _secrets_in(cleaned) == []
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
        assert chunk not in cleaned
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.mode == "RGBA"
        assert after.getpixel((35, 5)) == (20, 20, 200, 128)


def test_a_webp_loses_its_exif_and_xmp():
    original = files.webp_with_exif()
    assert _secrets_in(original)
    cleaned = scrub(original, "webp", name="foto.webp")
    assert _secrets_in(cleaned) == []
    assert b"EXIF" not in cleaned and b"XMP " not in cleaned
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.size == (40, 20)
        assert "exif" not in after.info and "xmp" not in after.info


def _pdf_text(data: bytes) -> bytes:
    """Every object of the PDF, its streams decoded: what any reader of it could find."""
    parts = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for item in pdf.objects:
            parts.append(repr(item).encode())
            if isinstance(item, pikepdf.Stream):
                parts.append(item.read_bytes())
        parts.append(repr(pdf.trailer).encode())
    return b"\n".join(parts)


def test_a_pdf_loses_its_author_software_xmp_and_comment_authors_and_still_opens():
    original = files.pdf_with_author()
    assert _secrets_in(_pdf_text(original))
    cleaned = scrub(original, "pdf", name="informe.pdf")
    assert _secrets_in(_pdf_text(cleaned)) == []
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert not any(
            "/Metadata" in item
            for item in pdf.objects
            if isinstance(item, pikepdf.Dictionary | pikepdf.Stream)
        )
        assert len(pdf.pages) == 1
        comment, field = pdf.pages[0].Annots
        assert "/T" not in comment and str(comment.Contents) == "Revisar la cifra"
        assert str(field.T) == "campo_fecha"  # a form field's name is not an author
        image = pdf.pages[0].Resources.XObject.Im0
        assert image.read_bytes() == b"\xff\x00\x00" * 4


def test_cleaning_a_clean_pdf_changes_nothing():
    assert scrub(files.BLANK_PDF, "pdf", name="blanco.pdf") == files.BLANK_PDF


def test_a_pdf_behind_a_password_is_refused():
    with pytest.raises(ValidationError) as refused:
        scrub(files.pdf_with_author(password="clave"), "pdf", name="secreto.pdf")
    assert refused.value.code == "password"
    assert "secreto.pdf" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
            "pdf",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "png"),
        (b"PK\x03\x04" + b"\x00" * 60, "docx"),
    ],
)
def test_a_file_its_own_reader_cannot_read_is_refused_as_damaged(data, extension):
    with pytest.raises(ValidationError) as refused:
        scrub(data, extension, name=f"roto.{extension}")
    assert refused.value.code == "damaged"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_a_docx_loses_its_properties_and_the_gps_of_its_photo_and_stays_a_valid_package():
    original = files.docx_with_author()
    before = _members(original)
    assert _secrets_in(b"".join(before.values()))
    cleaned = scrub(original, "docx", name="informe.docx")
    after = _members(cleaned)
    assert list(after) == list(before)  # same parts, same order
    assert _secrets_in(b"".join(after.values()) + cleaned) == []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name, content in after.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(content, parser=parser)  # every XML part still parses
    core = etree.fromstring(after["docProps/core.xml"], parser=parser)
    assert core.tag.endswith("coreProperties") and len(core) == 0
    assert b"120 escuelas conectadas." in after["word/document.xml"]
    assert b'w:author="" w:date="2000-01-01T00:00:00Z"' in after["word/document.xml"]
    assert b'w:author=""' in after["word/comments.xml"]
    assert b"Confirmar con la fuente." in after["word/comments.xml"]
    with Image.open(io.BytesIO(after["word/media/image1.jpeg"])) as photo:
        assert dict(photo.getexif()) == {}
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        assert archive.comment == b""
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert all(info.comment == b"" for info in archive.infolist())


def test_an_odt_loses_its_meta_and_printer_and_keeps_its_mimetype_first_and_stored():
    original = files.odt_with_author()
    cleaned = scrub(original, "odt", name="acta.odt")
    after = _members(cleaned)
    assert _secrets_in(b"".join(after.values()) + cleaned) == []
    assert b"LibreOffice" not in after["meta.xml"] and b"anaper" not in after["meta.xml"]
    meta = etree.fromstring(after["meta.xml"])
    assert meta.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}version") == "1.3"
    assert b"PrinterName" not in after["settings.xml"] and b"EmbedFonts" in after["settings.xml"]
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert cleaned[30:38] == b"mimetype"  # where ODF readers look for it
    assert b"<dc:creator></dc:creator>" in after["content.xml"]
    assert b"Acta de la reunion del foro." in after["content.xml"]


def test_csv_is_kept_as_it_is():
    data = "año;escuelas\n2024;120\n".encode()
    assert scrub(data, "csv", name="datos.csv") is data


@pytest.mark.parametrize(("kind", "extension"), [("PNG", "png"), ("WEBP", "webp")])
def test_an_animation_keeps_its_frames_and_loses_its_metadata(kind, extension):
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    frames = [Image.new("RGB", (20, 10), colour) for colour in colours]
    output = io.BytesIO()
    frames[0].save(
        output,
        kind,
        save_all=True,
        append_images=frames[1:],
        duration=100,
        loop=0,
        exif=files._exif().tobytes(),
    )
    assert _secrets_in(output.getvalue())
    cleaned = scrub(output.getvalue(), extension, name=f"animacion.{extension}")
    assert _secrets_in(cleaned) == []
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.n_frames == 3
        seen = []
        for index in range(3):
            after.seek(index)
            seen.append(after.convert("RGB").getpixel((5, 5)))
    assert [max(range(3), key=lambda i, c=c: c[i]) for c in seen] == [0, 1, 2]


def test_an_xlsx_written_by_a_real_producer_loses_its_people_and_still_opens():
    """xlsxwriter writes workbooks as Excel does: properties and the author of a note."""
    import xlsxwriter
    from openpyxl import load_workbook

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    workbook.set_properties(
        {"author": files.AUTHOR, "company": files.ORGANISATION, "manager": files.AUTHOR}
    )
    workbook.set_custom_property("Fuente", files.AUTHOR)
    sheet = workbook.add_worksheet("Escuelas")
    sheet.write_row(0, 0, ["año", "escuelas"])
    sheet.write_row(1, 0, [2024, 120])
    sheet.write_comment("B2", "Dato del ministerio", {"author": files.AUTHOR})
    workbook.close()
    original = output.getvalue()
    assert files.AUTHOR.encode() in b"".join(_members(original).values())

    cleaned = scrub(original, "xlsx", name="datos.xlsx")

    assert _secrets_in(b"".join(_members(cleaned).values())) == []
    book = load_workbook(io.BytesIO(cleaned))
    assert book.sheetnames == ["Escuelas"]
    assert [cell.value for cell in book["Escuelas"][2]] == [2024, 120]
    assert book["Escuelas"]["B2"].comment.text == "Dato del ministerio"
    assert book.properties.creator == "openpyxl"  # its default where the file names nobody
    assert book.properties.lastModifiedBy is None


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_applied_as_pillow_applies_it(orientation):
    from PIL import ImageOps

    original = files.jpeg_with_gps(orientation=orientation, trailer=False)
    cleaned = scrub(original, "jpg", name="foto.jpg")
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(cleaned)) as after:
        expected = ImageOps.exif_transpose(before).convert("RGB")
        assert after.size == expected.size
        corners = [(2, 2), (expected.width - 3, 2), (2, expected.height - 3)]
        for corner in corners:
            got, want = after.convert("RGB").getpixel(corner), expected.getpixel(corner)
            assert all(abs(a - b) < 40 for a, b in zip(got, want, strict=True)), corner
