"""Crafted hostile files, written byte by byte in the test (no fixture files): PDFs with a huge page tree or huge
images that compress to almost nothing. Used by the resume-limit tests and bench/resume_limits.py."""
import zlib


def raw_pdf(objects, root=1):
    """A PDF whose objects are `objects` (bodies as bytes, numbered from 1), with a classic xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def many_pages_pdf(pages, declared=None):
    """`pages` empty pages in one flat page tree (about 75 bytes a page); `declared` is the /Count it claims."""
    first = 3
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /MediaBox [0 0 612 792] /Count %d /Kids [%s] >>"
               % (pages if declared is None else declared, kids)]
    objects += [b"<</Type/Page/Parent 2 0 R>>"] * pages
    return raw_pdf(objects)


def big_images_pdf(pages, width, height):
    """`pages` pages, each showing its own grey image of width x height pixels that deflates to a few KB."""
    row = b"\x80" * width
    data = zlib.compress(row * height, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None]
    kids = []
    for _ in range(pages):
        image, content, page = len(objects) + 1, len(objects) + 2, len(objects) + 3
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(data))
                       + data + b"\nendstream")
        draw = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (content, image))
        kids.append(page)
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(b"%d 0 R" % k for k in kids))
    return raw_pdf(objects)


def escaped_pages_pdf(pages):
    """Like many_pages_pdf, but each page says `/Type /P#61ge` (the same name to a PDF reader, not to a grep)."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /MediaBox [0 0 612 792] /Count 1 /Kids [%s] >>" % kids]
    return raw_pdf(objects + [b"<</Type/P#61ge/Parent 2 0 R>>"] * pages)


def endless_text_pdf(operators):
    """One page whose content stream draws `operators` one-letter texts: a few hundred KB that takes a parser
    minutes and gigabytes (every operator becomes Python objects)."""
    content = zlib.compress(b"BT /F1 9 Tf 10 10 Td (a) Tj ET\n" * operators, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return raw_pdf(objects)


def object_stream_pdf(pages):
    """`pages` empty pages packed in one compressed object stream, found through an xref stream (PDF 1.5, what
    most writers produce today): no `/Type /Page` is visible in the file's bytes."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    bodies = [b"<</Type/Page/Parent 2 0 R>>"] * pages
    offsets, position = [], 0
    for body in bodies:
        offsets.append(position)
        position += len(body) + 1
    header = b" ".join(b"%d %d" % (first_page + i, offsets[i]) for i in range(pages)) + b"\n"
    packed = zlib.compress(header + b"\n".join(bodies) + b"\n", 9)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    at = []
    for number, body in enumerate([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /MediaBox [0 0 612 792] /Count %d /Kids [%s] >>" % (pages, kids),
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (pages, len(header), len(packed), packed)], start=1):
        at.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_number, xref_at = first_page + pages, len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    rows += [b"\x01" + offset.to_bytes(4, "big") + b"\x00\x00" for offset in at]
    rows += [b"\x02" + (3).to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(pages)]
    rows += [b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"]
    table = b"".join(rows)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\n"
            b"endobj\nstartxref\n%d\n%%%%EOF\n" % (xref_number, xref_number + 1, len(table), table, xref_at))
    return bytes(out)
