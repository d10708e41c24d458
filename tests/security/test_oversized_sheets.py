"""Performance imports that cost far more than their size (issue 20, item 11): a 26 KB XLSX declaring A1:XFD1048576
took 620 MB and 8 s; two million rows were all read before the 5,000-row refusal.

The files are crafted here with zipfile, small on disk. Memory is measured with tracemalloc (allocations, not
time): a refused file must be refused before it is read.
"""
import io
import itertools
import tracemalloc
import zipfile

import openpyxl  # noqa: F401 - imported before measuring: preview imports it lazily, and that is no sheet's cost
import pytest

from app.analytics import performance
from app.core.errors import BadRequest
from app.core.models import Application, Candidate, Job

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>{shared_type}</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="绩效" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>{shared_rel}</Relationships>'),
}
SHARED_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
               'officedocument.spreadsheetml.sharedStrings+xml"/>')
SHARED_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'sharedStrings" Target="sharedStrings.xml"/>')


def text(ref, value):
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def xlsx(rows_xml, dimension=None, shared_strings=None):
    """A workbook whose one sheet has these <row> elements (an iterable, written as it goes) and dimension."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, body in PARTS.items():
            zf.writestr(name, body.format(shared_type=SHARED_TYPE if shared_strings else "",
                                          shared_rel=SHARED_REL if shared_strings else ""))
        if shared_strings:
            zf.writestr("xl/sharedStrings.xml", shared_strings)
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main">')
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for row in rows_xml:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
    return buf.getvalue()


HEADER = '<row r="1">' + text("A1", "application_id") + text("B1", "period") + text("C1", "rating") + "</row>"


def data_row(application_id):
    """A row without r= attributes (allowed: rows and cells then count on), so a million compress to little."""
    return f'<row><c><v>{application_id}</v></c><c t="inlineStr"><is><t>2026H1</t></is></c><c><v>80</v></c></row>'


@pytest.fixture
def hire(app):
    job = Job.create(title="后端开发工程师")
    return Application.create(candidate=Candidate.create(name="张三", phone="13800000001"), job=job, stage="hired")


def preview_peak(filename, data):
    """(error message or None, peak bytes allocated while previewing)."""
    tracemalloc.start()
    try:
        performance.preview(filename, data, actor="hr_lina")
        error = None
    except BadRequest as exc:
        error = exc.message
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, peak


def test_a_sheet_declaring_the_whole_grid_is_refused_before_it_is_read(hire):
    data = xlsx([HEADER, data_row(hire.id)], dimension="A1:XFD1048576")
    assert len(data) < 5000
    error, peak = preview_peak("perf.xlsx", data)
    assert error and "1048576 行" in error and "16384 列" in error, error
    assert peak < 5 * 2**20, peak


def test_a_sheet_declaring_a_sane_size_is_read(hire):
    data = xlsx([HEADER, data_row(hire.id)], dimension="A1:C2")
    item = performance.preview("perf.xlsx", data, actor="hr_lina")
    assert [(r["application_id"], r["error"]) for r in item.rows] == [(hire.id, "")]


def many_rows(application_id, count, dimension=None):
    return xlsx(itertools.chain([HEADER], (data_row(application_id) for _ in range(count))), dimension)


def test_rows_past_the_limit_are_not_read_when_the_dimension_lies(hire):
    """150,000 rows behind a dimension of A1:C2: refused after reading the first 5,001 (before, openpyxl
    believed the dimension: one row was read and the rest silently dropped)."""
    data = many_rows(hire.id, 150_000, "A1:C2")
    assert len(data) < performance.MAX_BYTES
    error, peak = preview_peak("perf.xlsx", data)
    assert error and f"{performance.MAX_ROWS} 行" in error, error
    assert peak < 20 * 2**20, peak


def test_a_sheet_without_a_dimension_is_bounded(hire):
    """openpyxl reads a whole sheet at load to size it when it declares no dimension (2 million rows took 46 s):
    such a sheet may unpack to 1 MB (10,000 rows here: refused after the first 5,001), a bigger one is refused
    before openpyxl opens it (150,000 rows: all of them were read before)."""
    error, peak = preview_peak("perf.xlsx", many_rows(hire.id, 10_000))
    assert error and f"{performance.MAX_ROWS} 行" in error, error
    assert peak < 20 * 2**20, peak
    error, peak = preview_peak("perf.xlsx", many_rows(hire.id, 150_000))
    assert error and "尺寸" in error, error
    assert peak < 5 * 2**20, peak


def test_csv_rows_past_the_limit_are_not_read(hire):
    data = ("application_id,period,rating\n" + f"{hire.id},2026H1,80\n" * 150_000).encode()
    assert len(data) < performance.MAX_BYTES
    error, peak = preview_peak("perf.csv", data)
    assert error and f"{performance.MAX_ROWS}" in error, error
    assert peak < 20 * 2**20, peak


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused(hire):
    """40 MB of shared strings in a few hundred KB (openpyxl loads them all even in read-only mode), or a million
    rows of sheet: refused before openpyxl opens the file."""
    strings = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/' \
              'spreadsheetml/2006/main"><si><t>' + "绩" * (40 * 2**20 // 3) + "</t></si></sst>"
    for data in (xlsx([HEADER, data_row(hire.id)], dimension="A1:C2", shared_strings=strings),
                 many_rows(hire.id, 1_000_000)):
        assert len(data) < performance.MAX_BYTES
        error, peak = preview_peak("perf.xlsx", data)
        assert error and "解压" in error, error
        assert peak < 20 * 2**20, peak
