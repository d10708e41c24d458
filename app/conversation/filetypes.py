"""What a file really is, from its first bytes (never from its name or the type the client claims).

Only kinds a candidate plausibly sends as supplementary material are accepted: photos and documents. Scriptable
formats (HTML, SVG, executables) are refused whatever they are called, and a text file is plain text only when no
markup appears anywhere in it (not only at its start: a first line of prose before `<html>` or a comment before
`<svg>` passed before issue 20).
"""
import codecs
import re
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    mime: str
    ext: str
    kind: str  # image / document
    label: str


PDF = FileType("application/pdf", "pdf", "document", "PDF")
PNG = FileType("image/png", "png", "image", "图片")
JPEG = FileType("image/jpeg", "jpg", "image", "图片")
GIF = FileType("image/gif", "gif", "image", "图片")
WEBP = FileType("image/webp", "webp", "image", "图片")
HEIC = FileType("image/heic", "heic", "image", "图片")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "document", "Word")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "document", "Excel")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "document",
                "PowerPoint")
OLE = FileType("application/msword", "doc", "document", "Office 97-2003")
TEXT = FileType("text/plain", "txt", "document", "文本")

ACCEPTED_LABEL = "图片(JPG/PNG/GIF/WebP/HEIC)、PDF、Word、Excel、PowerPoint、纯文本(不含网页代码)"
_OOXML = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_HEIC_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"}


def detect(path):
    """The FileType of the file at `path`, or None when it is not an accepted kind."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return HEIC
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _office_zip(path)
    return TEXT if _is_plain_text(path) else None


def _office_zip(path):
    """A Word/Excel/PowerPoint file (a zip with [Content_Types].xml and its part folder); other zips are refused."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OOXML:
        if any(n.startswith(prefix) for n in names):
            return kind
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Markup, case-insensitive: a comment, doctype, CDATA or processing instruction; the start of an element that runs
# or loads something (closed or not); any other complete tag (`<div onmouseover=…>`, `<p>`). Prose such as
# "3 < 5", "<前 5%>" or "<li.ming@example.com>" is none of these.
_MARKUP = re.compile(
    r"<\s*(?:!--|!doctype|!\[cdata\[|\?xml)"
    r"|<\s*/?\s*(?:script|svg|iframe|frame|frameset|html|head|body|object|embed|applet|style|meta|link|base|form"
    r"|math|template|img|image|video|audio|foreignobject|xml|title)(?=[\s/>])"
    r"|<\s*/?\s*[a-z][\w:-]{0,40}(?:\s[^<>]{0,4096})?/?\s*>", re.IGNORECASE)
_CHUNK = 1024 * 1024
_OVERLAP = 4200  # longer than any match of _MARKUP, so a tag split between two chunks is still seen


def _is_plain_text(path):
    """UTF-8 without control bytes and without markup anywhere (the whole file, read a chunk at a time)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail, seen = "", False
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError:
                return False
            if _CONTROL.search(text):
                return False
            window = tail + text
            if _MARKUP.search(window):
                return False
            seen = seen or bool(text)
            if not chunk:
                return seen
            tail = window[-_OVERLAP:]
