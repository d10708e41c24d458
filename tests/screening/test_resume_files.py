"""Reading each kind of resume file, and refusing bad ones with a clear message."""
import io
import random
import re
import zipfile

import pytest

from app.screening import resume_files
from app.screening.resume_files import ResumeFileError
from bench import resume_samples
from tests.support.funnel import docx_resume, pdf_resume, photo_resume, resume_lines


def test_pdf_text():
    text, kind, method = resume_files.extract_text(pdf_resume())
    assert (kind, method) == ("pdf", "text") and "张伟" in text and "2021.07-至今" in text


def test_docx_reads_the_text_box():
    text, kind, _ = resume_files.extract_text(docx_resume(name="王芳", phone="13912345678"))
    assert kind == "docx"
    assert "姓名: 王芳" in text and "13912345678" in text   # both only inside the text box
    from docx import Document
    plain = "\n".join(p.text for p in Document(io.BytesIO(docx_resume(name="王芳"))).paragraphs)
    assert "王芳" not in plain  # python-docx alone would have missed it


@pytest.mark.slow
def test_photo_and_scanned_pdf_through_ocr():
    text, kind, method = resume_files.extract_text(photo_resume(name="李娜", phone="13700001111"))
    assert (kind, method) == ("image", "ocr")
    assert "李娜" in text and "13700001111" in text and "复旦大学" in text
    head, body = resume_lines(name="赵磊")
    text, kind, method = resume_files.extract_text(resume_samples.to_scanned_pdf(head + body, random.Random(1)))
    assert (kind, method) == ("pdf", "ocr") and "赵磊" in text


def _encrypted_pdf():
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_resume())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document/>")
        z.writestr("word/media/big.bin", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize("make, code", [
    (lambda: b"", "file_empty"),
    (lambda: b"%PDF-" + b"0" * (6 * 1024 * 1024), "file_too_large"),
    (lambda: b"GIF89a not a resume", "file_type_unsupported"),
    (lambda: b"MZ\x90\x00 an exe renamed .pdf", "file_type_unsupported"),
    (_encrypted_pdf, "file_encrypted"),
    (lambda: b"%PDF-1.4 garbage that is not a pdf", "file_damaged"),
    (_zip_bomb, "file_suspicious"),
    (lambda: b"\xff\xd8\xff\xe0 truncated jpeg", "file_damaged"),
])
def test_bad_files_are_refused_with_a_reason(make, code):
    with pytest.raises(ResumeFileError) as info:
        resume_files.precheck(make())
    assert info.value.code == code and re.match(r"^[A-Z ]*[\u4e00-\u9fff]", info.value.message)  # Chinese first


def test_a_pdf_without_any_text_or_image_is_refused():
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    with pytest.raises(ResumeFileError) as info:
        resume_files.extract_text(bytes(pdf.output()))
    assert info.value.code == "no_text_found"
