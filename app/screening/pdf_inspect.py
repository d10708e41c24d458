"""What a PDF holds, read from its bytes without parsing it: page objects, image sizes, encryption.

Fast enough for the web request whatever the file: a few regular-expression scans and zlib, both in C, with every
loop in Python bounded (hits looked at, bytes searched backwards, bytes inflated). pypdf's `len(reader.pages)`
walked all 60,000 pages of a 4.6 MB file for 11 s there. Pages are counted as the distinct objects that say
`/Type /Page` (a page rewritten by an incremental save counts once), so a page tree whose `/Count` lies is still
counted right. Image XObjects are streams, which never sit inside object streams, so their `/Width` and `/Height`
are always readable here. What hides from these patterns (escaped names, indirect sizes) is still bounded by the
worker's limits (app/screening/resume_reader.py).
"""
import re
import zlib
from dataclasses import dataclass

MAX_INFLATED = 64 * 1024 * 1024   # object streams hold dictionaries: an honest one inflates to a few MB at most
MAX_HITS = 2000                   # pattern hits looked at (a real PDF has one `/Type /Page` per page)
WINDOW = 64 * 1024                # how far back an object's header, or forward its `stream`, is looked for

_HEADER = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+obj$")
_ANY_OBJECT = re.compile(rb"\d\s+\d{1,5}\s+obj\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9#])")
_IMAGE = re.compile(rb"/Subtype\s*/Image(?![A-Za-z0-9#])")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_STREAM = re.compile(rb"stream\r?\n")
_WIDTH = re.compile(rb"/Width\s+(\d{1,9})(?!\s+\d+\s+R)")
_HEIGHT = re.compile(rb"/Height\s+(\d{1,9})(?!\s+\d+\s+R)")
_FIRST = re.compile(rb"/First\s+(\d{1,9})")
_PAIR = re.compile(rb"(\d{1,10})\s+(\d{1,10})")


class Inflated(ValueError):
    """An object stream inflates past MAX_INFLATED (a decompression bomb)."""


@dataclass
class Contents:
    has_objects: bool
    pages: int          # distinct page objects, counted up to the caller's limit (then limit + 1)
    image_pixels: list  # width * height of each distinct image XObject with literal sizes
    encrypted: bool


def inspect(data, max_pages):
    """Count what `data` holds; stops counting pages once there are more than `max_pages`."""
    pages = set()
    for count, match in enumerate(_PAGE.finditer(data)):
        pages.add(_owner(data, match.start()))
        if len(pages) > max_pages or count >= MAX_HITS:
            return Contents(True, max_pages + 1, [], False)
    _pages_in_object_streams(data, pages, max_pages)
    return Contents(has_objects=_ANY_OBJECT.search(data, 0, WINDOW * 16) is not None, pages=len(pages),
                    image_pixels=_image_pixels(data), encrypted=_ENCRYPT.search(data) is not None)


def _header(data, position):
    """(number, start) of the object header `N G obj` nearest before `position`, or None."""
    at = data.rfind(b"obj", max(0, position - WINDOW), position)
    if at < 0 or data[at - 3:at] == b"end":
        return None
    match = _HEADER.search(data, max(0, at - 24), at + 3)
    return (int(match.group(1)), match.start()) if match else None


def _owner(data, position):
    """The number of the object `position` lies in; an unknown one counts as its own object."""
    header = _header(data, position)
    return header[0] if header else ("at", position)


def _head_and_body(data, position):
    """The object around `position`: its dictionary (header to `stream`) and where its stream data starts."""
    header = _header(data, position)
    begin = header[1] if header else position
    stream = _STREAM.search(data, position, position + WINDOW)
    return data[begin:stream.start() if stream else position + WINDOW], (stream.end() if stream else None)


def _image_pixels(data):
    sizes = {}
    for count, match in enumerate(_IMAGE.finditer(data)):
        if count >= MAX_HITS:
            sizes["more"] = 10 ** 12  # thousands of images: no resume
            break
        head, _ = _head_and_body(data, match.start())
        width, height = _WIDTH.search(head), _HEIGHT.search(head)
        if width and height:
            sizes[_owner(data, match.start())] = int(width.group(1)) * int(height.group(1))
    return list(sizes.values())


def _pages_in_object_streams(data, pages, max_pages):
    """Add the page objects packed in (Flate-compressed) object streams to `pages`."""
    budget = MAX_INFLATED
    for count, match in enumerate(_OBJSTM.finditer(data)):
        head, body = _head_and_body(data, match.start())
        first = _FIRST.search(head)
        if count >= MAX_HITS:
            pages.update(("objstm", n) for n in range(max_pages + 1))
            return
        if body is None or first is None or (b"/Filter" in head and b"/FlateDecode" not in head):
            continue  # not readable here: the worker's limits still bound it
        try:
            if b"/FlateDecode" in head:
                inflated = zlib.decompressobj().decompress(data[body:body + budget + 1], budget + 1)
            else:
                inflated = data[body:body + budget + 1]
        except zlib.error:
            continue
        budget -= len(inflated)
        if budget < 0:
            raise Inflated("object streams inflate too much")
        offset = int(first.group(1))
        # The header lists "number offset" pairs in increasing offsets: read it only as far as the hits go.
        header = _PAIR.finditer(inflated, 0, offset)
        current, following = None, next(header, None)
        for hits, hit in enumerate(_PAGE.finditer(inflated, offset)):
            while following is not None and int(following.group(2)) <= hit.start() - offset:
                current, following = int(following.group(1)), next(header, None)
            pages.add(current if current is not None else ("objstm", count, hit.start()))
            if len(pages) > max_pages or hits >= MAX_HITS:
                pages.update(("objstm", n) for n in range(max_pages + 1))
                return
