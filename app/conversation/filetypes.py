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


@dataclass(frozen=True)
class Accepted:
    """What one kind of upload takes: the types, and the words naming them in a refusal and on the page."""
    types: tuple
    label: str

    def takes(self, kind):
        return kind in self.types

    def takes_mime(self, mime):
        return any(t.mime == mime for t in self.types)

    @property
    def accept(self):
        """The file input's `accept` attribute."""
        return ",".join(dict.fromkeys(t.mime for t in self.types))

    def refusal(self):
        return f"不支持这种文件,请发送{self.label} This file type is not accepted"


# The chat (supplementary material) takes every kind above; a document of the background check or the onboarding
# checklist (离职证明, ID card, degree) is a photo or a scan: an editable Word or Excel file is not one. The upload,
# the item's submit (app/process/documents.py), the page's file input and every refusal read these.
CHAT = Accepted((PNG, JPEG, GIF, WEBP, HEIC, PDF, DOCX, XLSX, PPTX, OLE, TEXT),
                "图片(JPG/PNG/GIF/WebP/HEIC)、PDF、Word、Excel、PowerPoint、纯文本(不含网页代码)")
DOCUMENTS = Accepted((JPEG, PNG, WEBP, PDF), "图片(JPG/PNG/WebP)或 PDF")

# The kind a file's name claims by its extension (a name with another extension, or none, claims nothing).
_NAMED = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "gif": GIF, "webp": WEBP, "heic": HEIC, "heif": HEIC,
          "docx": DOCX, "xlsx": XLSX, "pptx": PPTX, "doc": OLE, "xls": OLE, "ppt": OLE, "txt": TEXT, "md": TEXT,
          "csv": TEXT}
_OOXML = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_OFFICE = {DOCX, XLSX, PPTX, OLE}
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


def named(filename):
    """The FileType the name claims by its extension, or None when it claims none known here."""
    return _NAMED.get(filename.rsplit(".", 1)[1].lower()) if "." in filename else None


def mismatch(filename, kind):
    """The refusal when the name says one kind and the bytes are another (a text file called 简历.pdf), else None.
    A photo named .jpg that is a PNG is still the photo it says it is, and an Office file under the other
    generation's extension (.doc for a .docx) still opens in Office."""
    claimed = named(filename)
    if claimed is None or claimed == kind or claimed.kind == kind.kind == "image" \
            or (OLE in (claimed, kind) and {claimed, kind} <= _OFFICE):
        return None
    return (f"「{filename}」不是{claimed.label}文件(内容是{kind.label}),请检查后重新选择 "
            f"The content of {filename} is not {claimed.ext.upper()}")
