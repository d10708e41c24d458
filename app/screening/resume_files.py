"""Resume files to text: PDF (pypdf; scanned pages through OCR), Word .docx (docx2python, text boxes included)
and photos (rapidocr). Pure: bytes in, text out, or a ResumeFileError saying what is wrong with the file."""
import io
import zipfile

MAX_BYTES = 5 * 1024 * 1024      # below the request limit (MAX_REQUEST_BYTES, 8 MB)
MAX_UNZIPPED = 60 * 1024 * 1024     # a .docx that inflates past this is treated as a zip bomb
MAX_RATIO = 100                      # ... or one whose parts inflate more than 100x
MAX_PAGES = 20
MAX_PIXELS = 40_000_000
MIN_TEXT = 20                        # fewer characters than this on a PDF page: it is a scan, OCR it

KINDS = {"pdf": "PDF", "docx": "Word .docx", "image": "图片 image"}


class ResumeFileError(ValueError):
    """A file we cannot read; `code` is snake_case, `message` Chinese first, then English."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def sniff(data):
    """The kind of file from its first bytes (never from its name): pdf, docx, image, or None."""
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "docx"
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image"
    return None


def check(data):
    """The file's kind, or ResumeFileError for an empty, huge or unsupported file."""
    if not data:
        raise ResumeFileError("file_empty", "文件是空的 The file is empty")
    if len(data) > MAX_BYTES:
        raise ResumeFileError("file_too_large", "文件超过 5 MB,请压缩后再传 The file is larger than 5 MB")
    kind = sniff(data)
    if kind is None:
        raise ResumeFileError("file_type_unsupported",
                              "仅支持 PDF、Word(.docx)或简历照片(JPG/PNG) Only PDF, .docx or a photo (JPG/PNG)")
    return kind


def precheck(data):
    """Refuse at upload what can never be read (empty, huge, wrong type, encrypted, damaged, a zip bomb); cheap,
    so the candidate hears about it at once. Returns the kind."""
    kind = check(data)
    if kind == "pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
        try:
            reader = PdfReader(io.BytesIO(data))
            encrypted = reader.is_encrypted
            pages = 0 if encrypted else len(reader.pages)
        except (PdfReadError, ValueError, KeyError, OSError) as exc:
            raise ResumeFileError("file_damaged", "PDF 文件已损坏,无法读取 The PDF is damaged") from exc
        if encrypted:
            raise ResumeFileError("file_encrypted", "PDF 已加密,请上传未加密的文件 The PDF is password protected")
        if pages > MAX_PAGES:
            raise _too_many_pages()
    elif kind == "docx":
        _check_zip(data)
    else:
        from PIL import Image, UnidentifiedImageError
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ResumeFileError("image_too_large", "图片像素过大 The image is too large")
                image.verify()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ResumeFileError("file_damaged", "图片无法打开 The image cannot be opened") from exc
    return kind


def extract_text(data):
    """Return (text, kind, method) where method says how the text was read (text, ocr)."""
    kind = check(data)
    if kind == "pdf":
        text, method = _pdf_text(data)
    elif kind == "docx":
        text, method = _docx_text(data), "text"
    else:
        text, method = ocr_image(data), "ocr"
    text = normalise(text)
    if len(text.strip()) < 10:
        raise ResumeFileError("no_text_found",
                              "未能从文件中读出文字,请上传清晰的简历 No text could be read from the file")
    return text, kind, method


def normalise(text):
    """Unify full-width punctuation and spacing so the field rules see one form."""
    table = str.maketrans({"：": ":", "（": "(", "）": ")", "－": "-", "—": "-", "–": "-", "～": "~", "　": " ",
                           "\u00a0": " ", "\r": "\n"})
    lines = [" ".join(line.translate(table).split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _pdf_text(data):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ResumeFileError("file_encrypted", "PDF 已加密,请上传未加密的文件 The PDF is password protected")
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise _too_many_pages()
        out, method = [], "text"
        for page in pages:
            text = page.extract_text() or ""
            if len(text.strip()) < MIN_TEXT:
                scanned = [ocr_image(image.data) for image in page.images]
                if any(scanned):
                    text, method = "\n".join(scanned), "ocr"
            out.append(text)
        return "\n".join(out), method
    except ResumeFileError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ResumeFileError("file_damaged", "PDF 文件已损坏,无法读取 The PDF is damaged") from exc


def _too_many_pages():
    return ResumeFileError("too_many_pages", f"简历超过 {MAX_PAGES} 页 The resume has more than {MAX_PAGES} pages")


def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ResumeFileError("file_damaged", "Word 文件已损坏,无法读取 The .docx is damaged") from exc
    unzipped = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
        raise ResumeFileError("file_suspicious", "文件解压后过大,已拒收 The file inflates too much (zip bomb?)")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise ResumeFileError("file_type_unsupported", "这不是 Word(.docx)文件 This is not a .docx file")


def _docx_text(data):
    """All text of a .docx including text boxes, headers and tables (docx2python reads w:txbxContent)."""
    _check_zip(data)
    from docx2python import docx2python
    try:
        with docx2python(io.BytesIO(data)) as doc:
            return doc.text
    except Exception as exc:  # noqa: BLE001 - docx2python raises many kinds on broken XML
        raise ResumeFileError("file_damaged", "Word 文件已损坏,无法读取 The .docx is damaged") from exc


_ocr = None


def load_ocr():
    """The OCR engine (Chinese + English models ship in the rapidocr wheel), loaded once per process."""
    global _ocr
    if _ocr is None:
        from rapidocr_onnxruntime import RapidOCR
        _ocr = RapidOCR()
    return _ocr


def ocr_image(data):
    """Text of an image, top to bottom; photos are shrunk to 1600 px first (OCR time grows with pixels)."""
    from PIL import Image, ImageOps, UnidentifiedImageError
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ResumeFileError("image_too_large", "图片像素过大 The image is too large")
        image = ImageOps.exif_transpose(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ResumeFileError("file_damaged", "图片无法打开 The image cannot be opened") from exc
    image.thumbnail((1600, 1600))
    import numpy as np
    result, _ = load_ocr()(np.asarray(image)[:, :, ::-1])
    return "\n".join(_ocr_lines(result or []))


def _ocr_lines(boxes):
    """Join OCR boxes into lines: boxes whose vertical centres are close are one line, read left to right."""
    items = sorted(((sum(p[1] for p in box) / 4, box[0][0], text, box[2][1] - box[0][1])
                    for box, text, _score in boxes), key=lambda i: (i[0], i[1]))
    lines, current, last_y = [], [], None
    for y, x, text, height in items:
        if last_y is not None and abs(y - last_y) > max(8, height * 0.5):
            lines.append(" ".join(t for _, t in sorted(current)))
            current = []
        current.append((x, text))
        last_y = y
    if current:
        lines.append(" ".join(t for _, t in sorted(current)))
    return lines
