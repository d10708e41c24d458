"""Read an untrusted resume file in a child process bounded in CPU time, memory and wall-clock time.

Parsing a PDF, a .docx or a photo is where a crafted file costs the most (a page tree of 60,000 pages, a content
stream of millions of operators, images of 40 megapixels each: 1 min 45 s of the only media worker before).
The worker runs this file as a separate Python (`python -I resume_reader.py OUT_DIR LIMITS`, the file in on stdin),
which first sets its own rlimits (RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE, no core file), then parses: the text of each
page and, for a page with too little text (a scan) or a photo, its images shrunk to at most SHRINK_TO px, written as
PNG files into OUT_DIR for the parent to OCR with its loaded model. It answers one JSON line: {"parts": [{"text",
"scans": [file names]}]} or {"error": code}. Only the standard library is imported at the top, so starting the child
costs no more than pypdf's import, and the parent's Flask app is never loaded into it.
"""
import json
import os
import resource
import subprocess
import sys

SHRINK_TO = 1600  # OCR time grows with pixels; 1600 px keeps a resume page readable
MIN_SCAN_PIXELS = 10_000  # smaller images (icons, rules) are not OCR'd


class Refused(Exception):
    """A file the child will not read; the code is one of resume_files.MESSAGES."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def run(data, kind, out_dir, limits):
    """Parse `data` in the bounded child; return its parts, or raise Refused with the reason's code."""
    args = [sys.executable, "-I", os.path.abspath(__file__), str(out_dir), json.dumps({"kind": kind, **limits})]
    try:
        done = subprocess.run(args, input=data, capture_output=True, timeout=limits["wall_seconds"], check=False)
    except subprocess.TimeoutExpired as exc:
        raise Refused("file_too_complex") from exc
    if done.returncode != 0:  # killed at its CPU limit (SIGXCPU), or died: either way it cannot be read here
        sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
        raise Refused("file_too_complex")
    answer = json.loads(done.stdout)
    if "error" in answer:
        raise Refused(answer["error"])
    return answer["parts"]


# ---- the child ------------------------------------------------------------------------------------------------

def _limit(limits):
    cpu, memory = limits["cpu_seconds"], limits["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_mb"] * 1024 * 1024,) * 2)


def _shrunk_png(image, out_dir, name):
    from PIL import ImageOps
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((SHRINK_TO, SHRINK_TO))
    image.save(os.path.join(out_dir, name), "PNG")
    return name


def _page_count(reader, limit):
    """Leaves of the page tree, counted only until there are more than `limit` (pypdf's flatten visits all)."""
    stack, seen, leaves = [reader.trailer.raw_get("/Root").get_object().raw_get("/Pages")], set(), 0
    while stack and leaves <= limit:
        ref = stack.pop()
        key = (ref.idnum, ref.generation) if hasattr(ref, "idnum") else id(ref)
        node = ref.get_object()
        if key in seen or not hasattr(node, "get"):
            continue
        seen.add(key)
        if len(seen) > 20 * limit:  # a tree of empty branches is no resume either
            return limit + 1
        kids = node.get("/Kids")
        if kids is None:
            leaves += 1
        else:
            stack.extend(reversed(list(kids.get_object())))
    return leaves


def _number(obj, key):
    value = obj.get(key, 0)
    return int(value.get_object() if hasattr(value, "get_object") else value)


def _page_images(page, pixels):
    """The image XObjects a page draws (also inside forms), each checked against the pixel limits before anything
    is decoded; `pixels["left"]` is what the document may still decode (an image drawn on two pages counts twice)."""
    found, stack, seen = [], [page.get("/Resources")], set()
    while stack:
        resources = stack.pop()
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
        for ref in (xobjects.get_object().values() if xobjects is not None else ()):
            obj = ref.get_object()
            key = getattr(ref, "idnum", id(obj))
            if key in seen or len(seen) > 200:
                continue
            seen.add(key)
            if obj.get("/Subtype") == "/Image":
                size = _number(obj, "/Width") * _number(obj, "/Height")
                if size < MIN_SCAN_PIXELS:
                    continue  # an icon or a rule: no text worth the OCR
                pixels["left"] -= size
                if size > pixels["per_image"] or pixels["left"] < 0:
                    raise Refused("image_too_large")
                found.append(obj)
            elif obj.get("/Subtype") == "/Form":
                stack.append(obj.get("/Resources"))
    return found


def _pdf(data, out_dir, limits):
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise Refused("file_encrypted")
    if _page_count(reader, limits["max_pages"]) > limits["max_pages"] or len(reader.pages) > limits["max_pages"]:
        raise Refused("too_many_pages")
    parts, pixels = [], {"left": limits["max_document_pixels"], "per_image": limits["max_image_pixels"]}
    scans_left = limits["max_scans"]  # each scan costs the parent an OCR pass
    for number, page in enumerate(reader.pages):
        text, scans = page.extract_text() or "", []
        if len(text.strip()) < limits["min_text"]:
            for index, image in enumerate(_page_images(page, pixels)[:max(0, scans_left)]):
                scans_left -= 1
                try:
                    scans.append(_shrunk_png(image.decode_as_image(), out_dir, f"p{number}-{index}.png"))
                except (OSError, ValueError, TypeError, KeyError, NotImplementedError, PyPdfError):
                    continue  # an image pypdf cannot decode: the page's text (if any) is what there is
        parts.append({"text": text, "scans": scans})
    return parts


def _docx(data):
    import io

    from docx2python import docx2python
    with docx2python(io.BytesIO(data)) as doc:
        return [{"text": "\n".join(docx_lines(doc.document)), "scans": []}]


def docx_lines(tables):
    """The lines of docx2python's [table][row][cell][paragraph] strings (paragraphs outside a table come as a
    one-cell table). A row whose cells hold one paragraph each is one line, cells side by side as Word shows them
    ("2019-2024 某公司 后端工程师", "姓名 张伟"). Read cell by cell, each paragraph a line, as before: a row with a
    cell of several paragraphs (a two-column page layout, a cell of duties), and a label column beside its section
    ("工作经历" | "2019-2024 某互联网公司 后端工程师": a short first cell without digits, a long second one), so
    the section's heading stays a line of its own."""
    for table in tables:
        for row in table:
            cells = [[p.strip() for p in cell if p.strip()] for cell in row]
            if len(cells) > 1 and all(len(c) <= 1 for c in cells) and not _beside_its_label(cells):
                yield " ".join(c[0] for c in cells if c)
            else:
                yield from (p for c in cells for p in c)


def _beside_its_label(cells):
    label, rest = (cells[0] or [""])[0], " ".join(c[0] for c in cells[1:] if c)
    return 0 < len(label) <= 6 and not any(ch.isdigit() or ch in ":：" for ch in label) and len(rest) > 12


def _photo(data, out_dir, limits):
    import io

    from PIL import Image
    Image.MAX_IMAGE_PIXELS = limits["max_image_pixels"]
    image = Image.open(io.BytesIO(data))
    if image.width * image.height > limits["max_image_pixels"]:
        raise Refused("image_too_large")
    return [{"text": "", "scans": [_shrunk_png(image, out_dir, "photo.png")]}]


def main():
    out_dir, limits = sys.argv[1], json.loads(sys.argv[2])
    _limit(limits)
    data = sys.stdin.buffer.read()
    try:
        kind = limits["kind"]
        parts = _pdf(data, out_dir, limits) if kind == "pdf" else (
            _docx(data) if kind == "docx" else _photo(data, out_dir, limits))
        answer = {"parts": parts}
    except Refused as exc:
        answer = {"error": exc.code}
    except MemoryError:
        answer = {"error": "file_too_complex"}
    except Exception as exc:  # noqa: BLE001 - pypdf, docx2python and Pillow raise many kinds on broken files
        # pypdf's own parsing limits (tokens per stream, decompressed size) say "too much", not "broken".
        answer = {"error": "file_too_complex" if type(exc).__name__ == "LimitReachedError" else "file_damaged"}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
