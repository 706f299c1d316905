"""Real files carrying the metadata a person's devices and programs put in them, made with the
libraries that read them (Pillow, pikepdf, zipfile), shaped like what a phone, LibreOffice and
Microsoft Office write. `blank.pdf` is a one-page PDF as core/scrub.py writes it: cleaning it
changes nothing, so tests elsewhere can compare what they stored with what they sent."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms

HERE = Path(__file__).resolve().parent
BLANK_PDF = (HERE / "blank.pdf").read_bytes()

AUTHOR = "Ana Periodista Secreta"
ORGANISATION = "Colectivo Fuente Anonima"
SERIAL = "031025001234"
PLACE = "Zona 1, Ciudad de Guatemala"
# Words that must not be found anywhere in a cleaned file.
SECRETS = [AUTHOR, ORGANISATION, SERIAL, PLACE, "Canon", "EOS 5D", "LibreOffice", "anaper"]

XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
    f'exif:GPSLatitude="14,38.4765N" exif:GPSLongitude="90,30.7860W" aux:SerialNumber="{SERIAL}" '
    f'photoshop:City="{PLACE}" xmp:CreatorTool="LibreOffice 7.6 Writer" '
    'pdf:Producer="LibreOffice 7.6">'
    f"<dc:creator><rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)


def _two_colours(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue: which way up it is shows after a rotation."""
    image = Image.new(mode, size, (200, 20, 20) if mode != "RGBA" else (200, 20, 20, 255))
    blue = (20, 20, 200) if mode != "RGBA" else (20, 20, 200, 128)
    image.paste(blue, (size[0] // 2, 0, size[0], size[1]))
    return image


def _exif(orientation: int = 1) -> Image.Exif:
    """What a camera writes: make, model, time, serial numbers, owner and where it was."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS 5D Mark IV"  # Model
    exif[0x0131] = "Firmware 1.2.3"  # Software
    exif[0x0132] = "2026:11:30 09:41:07"  # DateTime
    exif[0x013B] = AUTHOR  # Artist
    exif[0x0112] = orientation
    details = exif.get_ifd(0x8769)
    details[0x9003] = "2026:11:30 09:41:07"  # DateTimeOriginal
    details[0xA431] = SERIAL  # BodySerialNumber
    details[0xA435] = f"LENS-{SERIAL}"  # LensSerialNumber
    details[0xA430] = AUTHOR  # CameraOwnerName
    details[0x927C] = f"MakerNote serial {SERIAL}".encode()  # MakerNote
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (14.0, 38.0, 28.59)
    gps[3] = "W"
    gps[4] = (90.0, 30.0, 47.16)
    gps[6] = 1500.0
    gps[29] = "2026:11:30"
    return exif


def srgb_profile() -> bytes:
    profile: bytes = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return profile


def jpeg_with_gps(*, orientation: int = 6, trailer: bool = True) -> bytes:
    """A phone photo, 64 x 32 as stored, to be shown turned (orientation 6: 90 degrees
    clockwise), with EXIF GPS, serial numbers, XMP, an ICC profile, a comment, and a "motion
    photo" video after the end of the image, as some phones append."""
    output = io.BytesIO()
    _two_colours((64, 32)).save(
        output,
        "JPEG",
        quality=92,
        exif=_exif(orientation).tobytes(),
        xmp=XMP.encode(),
        icc_profile=srgb_profile(),
        comment=f"{AUTHOR} {PLACE}".encode(),
    )
    data = output.getvalue()
    if trailer:
        data += b"\x00\x00\x00\x18ftypmp42" + f"\xa9xyz+14.6408-090.5131/{AUTHOR}".encode()
    return data


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_text() -> bytes:
    """A PNG with transparency and the chunks editors write: tEXt, zTXt, iTXt (XMP), eXIf."""
    output = io.BytesIO()
    _two_colours((40, 20), "RGBA").save(output, "PNG")
    data = output.getvalue()
    extra = (
        _png_chunk(b"tEXt", b"Author\x00" + AUTHOR.encode())
        + _png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(PLACE.encode()))
        + _png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP.encode())
        + _png_chunk(b"eXIf", _exif().tobytes().removeprefix(b"Exif\x00\x00"))
    )
    ihdr_end = 8 + 25
    return data[:ihdr_end] + extra + data[ihdr_end:]


def webp_with_exif() -> bytes:
    output = io.BytesIO()
    _two_colours((40, 20)).save(
        output, "WEBP", quality=90, exif=_exif().tobytes(), xmp=XMP.encode()
    )
    return output.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header claims width x height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    body = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


def pdf_with_author(*, password: str = "") -> bytes:
    """A PDF as LibreOffice writes it (document information and XMP metadata naming the
    author and the software), with a comment signed by its author, a form field, and an image
    carrying its own XMP."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 300))
    page = pdf.pages[0]
    pdf.trailer.Info = pdf.make_indirect(
        pikepdf.Dictionary(
            Author=pikepdf.String(AUTHOR),
            Creator=pikepdf.String("Writer"),
            Producer=pikepdf.String("LibreOffice 7.6"),
            Title=pikepdf.String(f"Informe de {AUTHOR}"),
            CreationDate=pikepdf.String("D:20261130094107-06'00'"),
        )
    )
    metadata = pikepdf.Stream(pdf, XMP.encode())
    metadata.Type = pikepdf.Name.Metadata
    metadata.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(metadata)
    image = pikepdf.Stream(pdf, b"\xff\x00\x00" * 4)
    image.Type = pikepdf.Name.XObject
    image.Subtype = pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 2, 2, 8
    image.ColorSpace = pikepdf.Name.DeviceRGB
    image_xmp = pikepdf.Stream(pdf, XMP.encode())
    image_xmp.Type = pikepdf.Name.Metadata
    image_xmp.Subtype = pikepdf.Name.XML
    image.Metadata = pdf.make_indirect(image_xmp)
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=pdf.make_indirect(image)))
    page.Contents = pdf.make_indirect(pikepdf.Stream(pdf, b"q 100 0 0 100 10 10 cm /Im0 Do Q"))
    comment = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 30, 30],
            T=pikepdf.String(AUTHOR),
            Contents=pikepdf.String("Revisar la cifra"),
        )
    )
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            Rect=[50, 50, 150, 70],
            T=pikepdf.String("campo_fecha"),
        )
    )
    page.Annots = pdf.make_indirect([comment, field])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field])
    output = io.BytesIO()
    options = {}
    if password:
        options["encryption"] = pikepdf.Encryption(owner=password, user=password)
    pdf.save(output, object_stream_mode=pikepdf.ObjectStreamMode.disable, **options)
    return output.getvalue()


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content, compression in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 30, 9, 41, 7))
            info.compress_type = compression
            info.comment = AUTHOR.encode()
            archive.writestr(info, content)
        archive.comment = f"{AUTHOR} {ORGANISATION}".encode()
    return output.getvalue()


DEFLATED = zipfile.ZIP_DEFLATED
STORED = zipfile.ZIP_STORED
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="jpeg" ContentType="image/jpeg"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
    'core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/>'
    '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.custom-properties+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/custom-properties" Target="docProps/custom.xml"/>'
    "</Relationships>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Informe de avance: 120 escuelas conectadas.</w:t></w:r>"
    f'<w:ins w:id="1" w:author="{AUTHOR}" w:date="2026-11-30T09:41:07Z"><w:r><w:t> Revisado.'
    "</w:t></w:r></w:ins>"
    '<w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
    "</w:body></w:document>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    f"<dc:title>Informe de {AUTHOR}</dc:title><dc:creator>{AUTHOR}</dc:creator>"
    f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy><cp:revision>7</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-30T09:41:07Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-30T10:02:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Template>C:\\Users\\anaper\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm</Template>"
    "<TotalTime>42</TotalTime><Application>Microsoft Office Word</Application>"
    f"<Company>{ORGANISATION}</Company><Manager>{AUTHOR}</Manager>"
    "<AppVersion>16.0000</AppVersion></Properties>"
)
CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Fuente">'
    f"<vt:lpwstr>{AUTHOR}</vt:lpwstr></property></Properties>"
)
COMMENTS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    f'<w:comment w:id="0" w:author="{AUTHOR}" w:date="2026-11-30T09:45:00Z" w:initials="APS">'
    "<w:p><w:r><w:t>Confirmar con la fuente.</w:t></w:r></w:p></w:comment></w:comments>"
)
PEOPLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
    f'<w15:person w15:author="{AUTHOR}"><w15:presenceInfo w15:providerId="AD" '
    'w15:userId="S::anaper@colectivo.example::0b1c"/></w15:person></w15:people>'
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/image" Target="media/image1.jpeg"/></Relationships>'
)


def docx_with_author(*, padding: bytes = b"") -> bytes:
    """A Word document as Office writes it: properties naming its author, organisation,
    template path and software, and a phone photo with its GPS inside."""
    members = [
        ("[Content_Types].xml", CONTENT_TYPES.encode(), DEFLATED),
        ("_rels/.rels", PACKAGE_RELS.encode(), DEFLATED),
        ("word/document.xml", DOCUMENT.encode(), DEFLATED),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.encode(), DEFLATED),
        ("word/comments.xml", COMMENTS.encode(), DEFLATED),
        ("word/people.xml", PEOPLE.encode(), DEFLATED),
        ("word/media/image1.jpeg", jpeg_with_gps(trailer=False), DEFLATED),
        ("docProps/core.xml", CORE.encode(), DEFLATED),
        ("docProps/app.xml", APP.encode(), DEFLATED),
        ("docProps/custom.xml", CUSTOM.encode(), DEFLATED),
    ]
    if padding:
        members.append(("word/padding.bin", padding, DEFLATED))
    return _zip(members)


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def odt_with_author() -> bytes:
    """A text document as LibreOffice writes it: meta.xml with creator, dates, editing time and
    generator; settings.xml with the printer last used."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {ODF_NAMESPACES} office:version="1.3"><office:body>'
        "<office:text><text:p>Acta de la reunion del foro."
        f"<office:annotation><dc:creator>{AUTHOR}</dc:creator>"
        "<dc:date>2026-11-30T09:45:00</dc:date><text:p>Confirmar.</text:p></office:annotation>"
        "</text:p></office:text>"
        "</office:body></office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-meta {ODF_NAMESPACES} office:version="1.3"><office:meta>'
        f"<meta:initial-creator>{AUTHOR}</meta:initial-creator><dc:creator>{AUTHOR}</dc:creator>"
        "<meta:creation-date>2026-11-30T09:41:07</meta:creation-date>"
        "<dc:date>2026-11-30T10:02:00</dc:date><meta:editing-cycles>7</meta:editing-cycles>"
        "<meta:editing-duration>PT42M</meta:editing-duration>"
        "<meta:generator>LibreOffice/7.6.4.1$Linux_X86_64</meta:generator>"
        f'<meta:user-defined meta:name="Organizacion">{ORGANISATION}</meta:user-defined>'
        '<meta:template xlink:type="simple" xlink:href="file:///home/anaper/Plantillas/a.ott"/>'
        "</office:meta></office:document-meta>"
    )
    settings = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-settings {ODF_NAMESPACES} office:version="1.3"><office:settings>'
        '<config:config-item-set config:name="ooo:configuration-settings">'
        '<config:config-item config:name="PrinterName" config:type="string">'
        f"Impresora de {ORGANISATION}</config:config-item>"
        '<config:config-item config:name="PrinterSetup" config:type="base64Binary">'
        "QW5hIFBlcmlvZGlzdGE=</config:config-item>"
        '<config:config-item config:name="EmbedFonts" config:type="boolean">false'
        "</config:config-item></config:config-item-set></office:settings>"
        "</office:document-settings>"
    )
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text", STORED),
            ("content.xml", content.encode(), DEFLATED),
            ("meta.xml", meta.encode(), DEFLATED),
            ("settings.xml", settings.encode(), DEFLATED),
            ("META-INF/manifest.xml", manifest.encode(), DEFLATED),
        ]
    )


def docx_claiming(unpacked: int) -> bytes:
    """A real docx whose document part's sizes, in the zip's central directory, claim
    `unpacked` bytes (what a member of compressed zeros does, without making them here)."""
    data = bytearray(docx_with_author())
    directory = data.rfind(b"PK\x05\x06")
    offset = struct.unpack("<I", data[directory + 16 : directory + 20])[0]
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack(
            "<HHH", data[offset + 28 : offset + 34]
        )
        name = bytes(data[offset + 46 : offset + 46 + name_length])
        if name == b"word/document.xml":
            data[offset + 24 : offset + 28] = struct.pack("<I", unpacked)
        offset += 46 + name_length + extra_length + comment_length
    return bytes(data)
