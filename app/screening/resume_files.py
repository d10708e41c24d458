"""Resume files to text: PDF (pypdf; scanned pages through OCR), Word .docx (docx2python, text boxes included)
and photos (rapidocr). Bytes in, text out, or a ResumeFileError saying what is wrong with the file.

Two gates, because a crafted file can cost far more than its size (issue 20: a 4.6 MB PDF of 60,000 pages took
11 s of web time, a 786 KB PDF of 20 pages of 40-megapixel images 2 min of the media worker):
- `precheck` (the web request, milliseconds whatever the file): size, type, and for a PDF its pages, images and
  encryption read from the bytes without parsing (app/screening/pdf_inspect.py); for a photo its header.
- `extract_text` (the worker): the parse runs in a child process with CPU, memory and wall-clock limits
  (app/screening/resume_reader.py); only the OCR of the shrunk scans runs here, with the worker's loaded model.
"""
import functools
import io
import tempfile
import zipfile
from pathlib import Path

from app.core.extensions import settings
from app.screening import pdf_inspect, resume_reader

MAX_BYTES = 5 * 1024 * 1024      # below the request limit (MAX_REQUEST_BYTES, 8 MB)
MAX_UNZIPPED = 60 * 1024 * 1024     # a .docx that inflates past this is treated as a zip bomb
MAX_RATIO = 100                      # ... or one whose parts inflate more than 100x
MAX_PAGES = 20
MAX_PIXELS = 40_000_000              # one image (a photo, or one image in a PDF)
MAX_DOCUMENT_PIXELS = 100_000_000    # all images a PDF makes us decode: 11 A4 pages scanned at 300 dpi
MIN_TEXT = 20                        # fewer characters than this on a PDF page: it is a scan, OCR it
MAX_SCANS = 30                       # images OCR'd per document (one scan per page, and some to spare)

KINDS = {"pdf": "PDF", "docx": "Word .docx", "image": "图片 image"}
MESSAGES = {
    "file_empty": "文件是空的 The file is empty",
    "file_too_large": "文件超过 5 MB,请压缩后再传 The file is larger than 5 MB",
    "file_type_unsupported": "仅支持 PDF、Word(.docx)或简历照片(JPG/PNG) Only PDF, .docx or a photo (JPG/PNG)",
    "file_encrypted": "PDF 已加密,请上传未加密的文件 The PDF is password protected",
    "too_many_pages": f"简历超过 {MAX_PAGES} 页,请精简后再传 The resume has more than {MAX_PAGES} pages",
    "file_suspicious": "文件解压后过大,已拒收 The file inflates too much",
    "file_too_complex": "简历文件过于复杂,无法读取,请另存为普通 PDF 或 Word 后再传 The file is too complex to read",
}
DAMAGED = {"pdf": "PDF 文件已损坏,无法读取 The PDF is damaged", "docx": "Word 文件已损坏,无法读取 The .docx is damaged",
           "image": "图片无法打开 The image cannot be opened"}
TOO_LARGE_IMAGES = {
    "pdf": f"简历中的图片太大(单张超过 {MAX_PIXELS // 10_000} 万像素或合计超过 {MAX_DOCUMENT_PIXELS // 100_000_000} 亿"
           "像素),请压缩图片或导出为文字版 PDF 后再传 The images in the PDF are too large",
    "image": f"图片像素过大(超过 {MAX_PIXELS // 10_000} 万像素),请缩小后再传 The image is too large"}


class ResumeFileError(ValueError):
    """A file we cannot read; `code` is snake_case, `message` Chinese first, then English (by default the code's
    message in MESSAGES, or for the kind of file in DAMAGED / TOO_LARGE_IMAGES)."""

    def __init__(self, code, message=None, kind="pdf"):
        if message is None:
            by_kind = {"file_damaged": DAMAGED, "image_too_large": TOO_LARGE_IMAGES}.get(code)
            message = by_kind.get(kind, by_kind["pdf"]) if by_kind else MESSAGES[code]
        super().__init__(message)
        self.code, self.message = code, message


NAMED_KINDS = {".pdf": "PDF", ".docx": "Word(.docx)", ".jpg": "JPG 图片", ".jpeg": "JPG 图片", ".png": "PNG 图片"}


def named_message(error, file_name):
    """The refusal's message for the applicant: a file whose name says PDF, .docx, JPG or PNG but whose content is
    none of them (a renamed or broken export) is told so by its name; "仅支持 PDF…" would puzzle someone who chose a
    .pdf."""
    kind = NAMED_KINDS.get(Path(file_name or "").suffix.lower())
    if error.code != "file_type_unsupported" or kind is None:
        return error.message
    return (f"「{Path(file_name).name}」的内容不是真正的 {kind} 文件(可能已损坏,或只是改了扩展名):请重新导出或另存为 "
            f"PDF 后再传 The file is named {kind} but its content is not")


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
        raise ResumeFileError("file_empty")
    if len(data) > MAX_BYTES:
        raise ResumeFileError("file_too_large")
    kind = sniff(data)
    if kind is None:
        raise ResumeFileError("file_type_unsupported")
    return kind


def precheck(data):
    """Refuse at upload what can never be read (empty, huge, wrong type, encrypted, damaged, too many pages or
    pixels, a zip bomb), from the bytes alone: no parse, so it costs milliseconds whatever the file, and the
    candidate hears about it at once. Returns the kind."""
    kind = check(data)
    if kind == "pdf":
        _check_pdf(data)
    elif kind == "docx":
        _check_zip(data)
    else:
        from PIL import Image, UnidentifiedImageError
        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                if image.width * image.height > MAX_PIXELS:
                    raise ResumeFileError("image_too_large", kind="image")
                image.verify()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ResumeFileError("file_damaged", kind="image") from exc
    return kind


def _check_pdf(data):
    try:
        contents = pdf_inspect.inspect(data, MAX_PAGES)
    except pdf_inspect.Inflated as exc:
        raise ResumeFileError("file_suspicious") from exc
    if not contents.has_objects:
        raise ResumeFileError("file_damaged")
    if contents.encrypted:
        raise ResumeFileError("file_encrypted")
    if contents.pages > MAX_PAGES:
        raise ResumeFileError("too_many_pages")
    pixels = contents.image_pixels
    if any(p > MAX_PIXELS for p in pixels) or sum(pixels) > MAX_DOCUMENT_PIXELS:
        raise ResumeFileError("image_too_large")


def read_limits():
    """The child parser's limits; CPU seconds and memory come from the settings (RESUME_READ_*)."""
    cpu = int(settings.get("RESUME_READ_CPU_SECONDS", 20))
    return {"cpu_seconds": cpu, "wall_seconds": 2 * cpu + 10, "memory_mb": int(settings.get("RESUME_READ_MEMORY_MB",
                                                                                            1024)),
            "file_mb": 32, "max_pages": MAX_PAGES, "max_image_pixels": MAX_PIXELS,
            "max_document_pixels": MAX_DOCUMENT_PIXELS, "min_text": MIN_TEXT, "max_scans": MAX_SCANS}


def extract_text(data):
    """Return (text, kind, method) where method says how the text was read (text, ocr)."""
    kind = precheck(data)
    with tempfile.TemporaryDirectory(prefix="resume-") as out_dir:
        try:
            parts = resume_reader.run(data, kind, out_dir, read_limits())
        except resume_reader.Refused as exc:
            raise ResumeFileError(exc.code, kind=kind) from exc
        pages, method = [], "text"
        for part in parts:
            text = part["text"]
            scanned = [ocr_image((Path(out_dir) / name).read_bytes()) for name in part["scans"]]
            if any(scanned):
                text, method = "\n".join(scanned), "ocr"
            pages.append(text)
    text = normalise("\n".join(pages))
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


def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ResumeFileError("file_damaged", kind="docx") from exc
    unzipped = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
        raise ResumeFileError("file_suspicious")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise ResumeFileError("file_type_unsupported", "这不是 Word(.docx)文件 This is not a .docx file")


@functools.cache
def load_ocr():
    """The OCR engine (Chinese + English models ship in the rapidocr wheel), loaded once per process."""
    from rapidocr_onnxruntime import RapidOCR
    return RapidOCR()


def ocr_image(data):
    """Text of an image (a scan or photo the reader shrank to 1600 px: OCR time grows with pixels), top to
    bottom."""
    from PIL import Image, ImageOps, UnidentifiedImageError
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ResumeFileError("image_too_large", kind="image")
        image = ImageOps.exif_transpose(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ResumeFileError("file_damaged", kind="image") from exc
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
