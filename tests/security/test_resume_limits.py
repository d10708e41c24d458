"""Anonymous resume uploads cannot starve the service (issue 20): pages and pixels are capped from the PDF's bytes
in the web request before anything is parsed, and the worker parses in a child process with CPU-time and memory
limits. Every hostile file is made in the test (tests/support/crafted.py)."""
import io

import pypdf
import pytest

from app.core.models import Application
from app.screening import parsing, resume_files
from app.screening.models import Resume
from tests.support.crafted import (
    big_images_pdf,
    endless_text_pdf,
    escaped_pages_pdf,
    many_pages_pdf,
    object_stream_pdf,
)
from tests.support.funnel import pdf_resume, run_workers


@pytest.fixture
def no_pdf_parsing(monkeypatch):
    """Fail the test if pypdf is asked to open a PDF in this process (the web request)."""
    opened = []

    class Refuse(pypdf.PdfReader):
        def __init__(self, *args, **kwargs):
            opened.append(args)
            raise AssertionError("the web request parsed the PDF")

    monkeypatch.setattr(pypdf, "PdfReader", Refuse)
    return opened


def post_resume(client, link, data, name="张伟", phone="13800001234"):
    return client.post(f"/p/{link.code}", data={"name": name, "phone": phone, "consent": "yes", "answer_q1": "能",
                                                "resume": (io.BytesIO(data), "简历.pdf")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("make, pages", [
    (lambda: many_pages_pdf(60_000), "a flat page tree (the review's 4.8 MB file)"),
    (lambda: many_pages_pdf(60_000, declared=1), "a page tree whose /Count lies"),
    (lambda: object_stream_pdf(60_000), "pages packed in a compressed object stream"),
])
def test_a_pdf_of_60000_pages_is_refused_in_the_request_without_being_parsed(app, client, link, no_pdf_parsing,
                                                                             make, pages):
    data = make()
    assert len(data) <= resume_files.MAX_BYTES, pages
    res = post_resume(client, link, data)
    page = res.get_data(as_text=True)
    assert res.status_code == 400 and "简历超过 20 页" in page, pages
    assert no_pdf_parsing == [] and Application.select().count() == 0


def test_a_pdf_of_20_pages_of_40_megapixel_images_is_refused_before_any_image_is_decoded(app, client, link,
                                                                                         no_pdf_parsing):
    data = big_images_pdf(20, 7300, 5470)  # 786 KB; 20 x 39.9 MP: two minutes of the media worker before
    res = post_resume(client, link, data)
    assert res.status_code == 400 and "简历中的图片太大" in res.get_data(as_text=True)
    assert no_pdf_parsing == [] and Application.select().count() == 0


def test_an_honest_resume_still_goes_through_and_is_read_by_the_bounded_reader(app, client, link, redis_conn):
    res = post_resume(client, link, pdf_resume(name="张伟"))
    assert res.status_code == 302
    run_workers(redis_conn)
    resume = Resume.get()
    assert resume.status == "parsed" and resume.fields["name"] == "张伟"
    packed = object_stream_pdf(3)  # PDF 1.5 object streams: what most writers produce
    assert resume_files.precheck(packed) == "pdf"


@pytest.mark.parametrize("make, code", [
    # Hidden from the byte scan (an escaped name): the worker's page walk stops at 21 pages, not 60,000.
    (lambda: escaped_pages_pdf(60_000), "too_many_pages"),
    # One page that takes pypdf ~20 s and gigabytes: the child is stopped at its CPU limit.
    (lambda: endless_text_pdf(300_000), "file_too_complex"),
])
def test_what_passes_the_web_check_is_parsed_within_the_workers_limits(app, link, make, code):
    from app.core.extensions import settings
    from app.screening import intake
    settings.update(RESUME_READ_CPU_SECONDS=2, RESUME_READ_MEMORY_MB=512)
    application, _, _ = intake.apply(link.code, "张伟", "13800001234", make(), "cv.pdf", {"q1": "能"})
    resume = parsing.parse_resume(Resume.get(Resume.application == application.id).id)
    assert resume.status == "failed" and resume.error == resume_files.ResumeFileError(code).message
    assert "简历" in Application.get_by_id(application.id).problem   # HR sees why
