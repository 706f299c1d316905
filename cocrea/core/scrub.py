"""Metadata taken out of uploaded files before they are stored and published. The people who
publish evidence about their government include journalists and activists: a photo carries the
place it was taken (GPS), the camera's serial number and the time; a PDF or an office file
carries its author's name, their organisation and the software they use. None of it is needed to
read the evidence, so none of it is kept.

- Images (PNG, JPEG, WebP), with Pillow: the pixels are decoded and encoded again into a new
  file, so nothing but the picture survives (EXIF with GPS and serial numbers, XMP, IPTC, PNG
  text chunks, JPEG comments, data after the image's end, such as a phone's "motion photo"
  video). The EXIF orientation is applied to the pixels first, so a photo stays upright. The ICC
  colour profile is kept: it says how to show the colours and describes a device model, never a
  person. JPEG keeps its own quantisation tables and subsampling, so the second encoding loses
  as little as possible. An image past COCREA_IMAGE_MAX_PIXELS is refused before it is decoded.
- PDF, with pikepdf (qpdf): the document information dictionary (/Info: author, creator,
  producer, dates), every XMP metadata stream (/Metadata on the catalogue, pages, images,
  fonts), application private data (/PieceInfo) and the authors of comments (/T of annotations
  other than form fields) are removed, and the file is written anew: earlier revisions kept by
  incremental saves, and objects nothing refers to, are not written. Streams are copied as they
  are, never decoded, so a compressed bomb inside a PDF is never expanded. A PDF that cannot be
  read, or that needs a password to be opened, is refused.
- Office files (DOCX, XLSX, PPTX, ODT, ODS, ODP are zip files): the zip is written anew, member
  by member in the same order and compression, with member dates set to 1980-01-01 and no zip
  comments or extra fields. OOXML's document properties (docProps/core.xml: creator, last
  modified by, dates, title; app.xml: application, company, manager, template; custom.xml)
  become empty property sets; ODF's meta.xml becomes an empty office:meta, and the printer
  named in settings.xml is removed. The authors of tracked changes and comments lose their names
  (Word's w:author and w:initials, Excel's note authors and comment persons, PowerPoint's comment
  authors, ODF's dc:creator in content.xml and styles.xml) and their dates become 2000-01-01.
  Pictures inside (JPEG, PNG, WebP) are cleaned like uploaded images. The limits on unpacked
  size and member count are checked before (core/filecheck.py). Other embedded objects (a
  spreadsheet inside a document, EMF or TIFF pictures) are kept as they are.
- CSV has no metadata and is kept as it is.

The caller stores the bytes returned and publishes their SHA-256."""

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from lxml import etree  # type: ignore[import-untyped]
from PIL import Image, JpegImagePlugin, UnidentifiedImageError

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}
OFFICE = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
# What OOXML's package relationships call the three property parts.
OOXML_PROPERTIES = {
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties": (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties": (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"/>'
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties": (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"/>'
    ),
}
# Where Office, LibreOffice and Google Docs put them, whatever the relationships say.
OOXML_PROPERTY_PARTS = {
    "docProps/core.xml": OOXML_PROPERTIES[
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    ],
    "docProps/app.xml": OOXML_PROPERTIES[
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
    ],
    "docProps/custom.xml": OOXML_PROPERTIES[
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
    ],
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_CONFIG = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
ODF_PRINTER_ITEMS = {"PrinterName", "PrinterSetup", "PrinterPaperFromSetup"}
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _xml_parser() -> etree.XMLParser:
    """A parser for XML people send: no DTD, no entities, no network, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def damaged_error(name: str) -> ValidationError:
    """The refusal of a file that its own format's reader cannot read."""
    return ValidationError(
        _("The file %(name)s could not be read: it may be damaged. Save it again and send it.")
        % {"name": name},
        code="damaged",
    )


def pixels_refused(name: str) -> ValidationError:
    limit = settings.COCREA_IMAGE_MAX_PIXELS
    return ValidationError(
        _(
            "The image %(name)s has more than %(limit)s million pixels, more than we accept. "
            "Make it smaller and send it again."
        )
        % {
            "name": name,
            "limit": number_format(limit / 1_000_000, decimal_pos=0, force_grouping=True),
        },
        code="too_many_pixels",
    )


def image_size_check(image: Image.Image, *, name: str) -> None:
    """Refuse an image whose frames hold more pixels than COCREA_IMAGE_MAX_PIXELS, from its
    header, before any pixel is decoded (a PNG can claim 60,000 x 60,000 pixels in a few
    hundred bytes). Pillow's own check, set to the same limit before the file is opened
    (scrub_image), refuses at twice the limit already while reading the header."""
    width, height = image.size
    if width * height * getattr(image, "n_frames", 1) > settings.COCREA_IMAGE_MAX_PIXELS:
        raise pixels_refused(name)


def _webp_lossless(data: bytes) -> bool:
    """Whether a WebP file's picture is stored losslessly (a VP8L chunk), so it stays so."""
    position = 12
    while position + 8 <= len(data):
        chunk = data[position : position + 4]
        if chunk in (b"VP8L", b"VP8 "):
            return chunk == b"VP8L"
        if chunk == b"ANMF":  # an animation frame holds its picture's chunk after 16 bytes
            position += 8 + 16
            continue
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        position += 8 + size + (size & 1)
    return False


# EXIF orientation -> the transposition that makes the pixels upright (EXIF 2.32, tag 0x0112).
ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(image: Image.Image) -> Image.Transpose | None:
    """How to turn the pixels as the camera said they are to be shown, read from the EXIF
    orientation. (Not ImageOps.exif_transpose: it writes the EXIF back, which fails on the
    malformed EXIF of some files; the EXIF is dropped here anyway.) A file whose EXIF cannot be
    read is kept as its pixels are."""
    try:
        orientation = image.getexif().get(0x0112, 1)
        return ORIENTATIONS.get(int(orientation))
    except (SyntaxError, ValueError, TypeError, AttributeError, KeyError, OSError, struct.error):
        return None


def _clean_frame(frame: Image.Image) -> Image.Image:
    """A copy of the frame's pixels (and palette) with none of the file's information: the
    encoders write what `info` holds (a JPEG's comment, say) unless told otherwise."""
    clean = frame.copy()
    clean.info = {}
    return clean


def scrub_image(data: bytes, extension: str, *, name: str) -> bytes:
    """The image encoded anew in its own format, upright, with no metadata."""
    output = io.BytesIO()
    Image.MAX_IMAGE_PIXELS = settings.COCREA_IMAGE_MAX_PIXELS  # Pillow's own bomb check
    try:
        with Image.open(io.BytesIO(data), formats=[IMAGE_FORMATS[extension]]) as image:
            image_size_check(image, name=name)
            image.load()
            options: dict[str, object] = {
                key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info
            }
            if extension == "jpg":
                options["qtables"] = image.quantization  # type: ignore[attr-defined]
                sampling = JpegImagePlugin.get_sampling(image)
                if sampling != -1:
                    options["subsampling"] = sampling
            elif extension == "webp":
                if _webp_lossless(data):
                    options["lossless"] = True
                else:
                    options["quality"] = 90
            frames = getattr(image, "n_frames", 1)
            if frames > 1:  # an animation keeps its frames and timing
                pictures = []
                durations = []
                for index in range(frames):
                    image.seek(index)
                    durations.append(image.info.get("duration", 100))
                    pictures.append(_clean_frame(image.convert("RGBA")))
                options.pop("transparency", None)  # the frames carry alpha
                first, rest = pictures[0], pictures[1:]
                first.save(
                    output,
                    IMAGE_FORMATS[extension],
                    save_all=True,
                    append_images=rest,
                    duration=durations,
                    loop=image.info.get("loop", 0),
                    **options,
                )
            else:
                method = _upright(image)
                clean = image.transpose(method) if method is not None else image.copy()
                clean.info = {}  # the encoders write what `info` holds (a JPEG's comment, say)
                clean.save(output, IMAGE_FORMATS[extension], **options)
    except Image.DecompressionBombError as error:
        raise pixels_refused(name) from error
    except (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError) as error:
        raise damaged_error(name) from error
    return output.getvalue()


def scrub_pdf(data: bytes, *, name: str) -> bytes:
    """The PDF written anew without its document information, XMP metadata, application
    private data and the names of the authors of its comments."""
    import pikepdf  # here: importing it logs a line, which every command would print

    output = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for key in ("/Info", "/ID"):  # /ID is made anew from the content
                if key in pdf.trailer:
                    del pdf.trailer[key]
            for key in ("/Metadata", "/PieceInfo"):
                if key in pdf.Root:
                    del pdf.Root[key]
            for item in pdf.objects:
                if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
                    for key in ("/Metadata", "/PieceInfo"):
                        if key in item:
                            del item[key]
                    annotation = item.get("/Type") == "/Annot" or (
                        "/Subtype" in item and "/Rect" in item
                    )
                    # The author of a comment; a form field's /T is its name: kept.
                    if annotation and item.get("/Subtype") != "/Widget" and "/T" in item:
                        del item["/T"]
            pdf.save(
                output,
                deterministic_id=True,
                fix_metadata_version=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            )
    except pikepdf.PasswordError as error:
        raise ValidationError(
            _(
                "The file %(name)s is protected with a password. Send it without the "
                "password: it will be published for anyone to read."
            )
            % {"name": name},
            code="password",
        ) from error
    except (pikepdf.PdfError, RuntimeError, ValueError, OSError) as error:
        raise damaged_error(name) from error
    return output.getvalue()


def _ooxml_property_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each property part the package's relationships name, with its empty replacement."""
    parts = dict(OOXML_PROPERTY_PARTS)
    try:
        root = etree.fromstring(archive.read("_rels/.rels"), parser=_xml_parser())
    except (KeyError, etree.XMLSyntaxError):
        return parts
    for relation in root.iter(f"{{{RELATIONSHIPS}}}Relationship"):
        empty = OOXML_PROPERTIES.get(relation.get("Type", ""))
        target = relation.get("Target", "").lstrip("/")
        if empty and target:
            parts[target] = empty
    return parts


def _odf_meta(content: bytes) -> bytes:
    """An empty office:meta, of the document's own ODF version."""
    version = "1.2"
    try:
        root = etree.fromstring(content, parser=_xml_parser())
        version = root.get(f"{{{ODF_OFFICE}}}version") or version
    except etree.XMLSyntaxError:
        pass
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + f'<office:document-meta xmlns:office="{ODF_OFFICE}" '
        f'office:version="{version}"><office:meta/></office:document-meta>'.encode()
    )


def _odf_settings(content: bytes) -> bytes:
    """settings.xml without the printer it was last printed on."""
    try:
        root = etree.fromstring(content, parser=_xml_parser())
    except etree.XMLSyntaxError:
        return content
    items = [
        item
        for item in root.iter(f"{{{ODF_CONFIG}}}config-item")
        if item.get(f"{{{ODF_CONFIG}}}name") in ODF_PRINTER_ITEMS
    ]
    if not items:
        return content
    for item in items:
        parent = item.getparent()
        if parent is not None:
            parent.remove(item)
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return result


def _empty_part(empty: str, _content: bytes) -> bytes:
    return XML_DECLARATION + empty.encode()


# The names (and times) people leave inside a document's own parts: the authors of tracked
# changes and comments. Each pattern is for the parts named, where its attribute or element means
# a person (elsewhere the same names can mean something else: an Excel table's displayName is
# what formulas call it). Bytes, not a parsed tree: a document part can be hundreds of MB.
NEUTRAL_DATE = b"2000-01-01T00:00:00Z"
PERSON_PATTERNS: list[tuple[Callable[[str], bool], re.Pattern[bytes], bytes]] = [
    (  # Word: insertions, deletions, comments, format changes; people.xml's accounts
        lambda part: part.startswith("word/") and part.endswith(".xml"),
        re.compile(rb'(\s(?:w|w15):(?:author|initials|userId|providerId)=")[^"]*(")'),
        rb"\1\2",
    ),
    (
        lambda part: part.startswith("word/") and part.endswith(".xml"),
        re.compile(rb'(\sw:date=")[^"]*(")'),
        rb"\g<1>" + NEUTRAL_DATE + rb"\2",
    ),
    (  # Excel: the authors of notes, and the people of threaded comments
        lambda part: part.startswith("xl/comments") and part.endswith(".xml"),
        re.compile(rb"(<author>)[^<]*(</author>)"),
        rb"\1\2",
    ),
    (
        lambda part: part.startswith("xl/persons/") and part.endswith(".xml"),
        re.compile(rb'(\s(?:displayName|userId|providerId)=")[^"]*(")'),
        rb"\1\2",
    ),
    (  # PowerPoint: the authors of comments, old and modern
        lambda part: part in {"ppt/commentAuthors.xml", "ppt/authors.xml"},
        re.compile(rb'(\s(?:name|initials|userId|providerId)=")[^"]*(")'),
        rb"\1\2",
    ),
    (  # ODF: the creator and date of annotations and tracked changes
        lambda part: part in {"content.xml", "styles.xml"},
        re.compile(rb"(<dc:creator>)[^<]*(</dc:creator>)"),
        rb"\1\2",
    ),
    (
        lambda part: part in {"content.xml", "styles.xml"},
        re.compile(rb"(<dc:date>)[^<]*(</dc:date>)"),
        rb"\g<1>" + NEUTRAL_DATE.rstrip(b"Z") + rb"\2",
    ),
]


def _people_removed(part: str, content: bytes) -> bytes:
    for applies, pattern, replacement in PERSON_PATTERNS:
        if applies(part):
            content = pattern.sub(replacement, content)
    return content


def _embedded_image(member: str) -> str | None:
    extension = member.rsplit(".", 1)[-1].lower() if "." in member else ""
    return {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}.get(extension)


def scrub_office(data: bytes, extension: str, *, name: str) -> bytes:
    """The office file's zip written anew without its document properties (see the module)."""
    output = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            members = source.infolist()
            names = [member.filename for member in members]
            if len(set(names)) != len(names):
                raise damaged_error(name)  # two members of one name: readers disagree on which
            replace: dict[str, Callable[[bytes], bytes]] = {}
            if extension in {"docx", "xlsx", "pptx"}:
                for part, empty in _ooxml_property_parts(source).items():
                    replace[part] = partial(_empty_part, empty)
            else:
                replace["meta.xml"] = _odf_meta
                replace["settings.xml"] = _odf_settings
            with zipfile.ZipFile(output, "w") as target:
                for member in members:
                    content = source.read(member)  # at most its declared size, CRC checked
                    if member.filename in replace:
                        content = replace[member.filename](content)
                    elif member.filename.endswith(".xml"):
                        content = _people_removed(member.filename, content)
                    elif (kind := _embedded_image(member.filename)) is not None:
                        try:
                            content = scrub_image(content, kind, name=name)
                        except ValidationError as error:
                            if error.code != "damaged":
                                raise
                            # A picture Pillow cannot read stays as it is: the document
                            # may still show it, and its file type was not checked.
                    copy = zipfile.ZipInfo(member.filename, date_time=ZIP_EPOCH)
                    copy.compress_type = (
                        zipfile.ZIP_STORED
                        if member.compress_type == zipfile.ZIP_STORED
                        else zipfile.ZIP_DEFLATED
                    )
                    copy.external_attr = 0o644 << 16 if not member.is_dir() else 0o40755 << 16
                    target.writestr(copy, content, compresslevel=6)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        RuntimeError,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,  # a compression zipfile does not know
    ) as error:
        raise damaged_error(name) from error
    return output.getvalue()


def scrub(data: bytes, extension: str, *, name: str) -> bytes:
    """The file's bytes without its metadata; `extension` is the type detected from its
    content (core/filecheck.py), `name` the one shown in a refusal."""
    if extension in IMAGE_FORMATS:
        return scrub_image(data, extension, name=name)
    if extension == "pdf":
        return scrub_pdf(data, name=name)
    if extension in OFFICE:
        return scrub_office(data, extension, name=name)
    return data
