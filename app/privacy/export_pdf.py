"""The candidate's data export as a PDF: the readable export page (app/privacy/export.render_html) laid out on A4.

The page is the one source of what a person reads: this module reads its text block by block (headings, paragraphs,
list rows, table rows as "label:value", nested tables indented) and writes it with the CJK font of app/core/pdf.py,
so the PDF says what the page says and cannot drift from it. Links become their text; styles and scripts are
left out. A PDF opens in WeChat's and WeCom's own viewer, where the HTML page cannot be saved."""
import re
from html.parser import HTMLParser

from app.core import pdf as pdf_doc

BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "div", "tr", "summary", "table", "ul", "details"}
HEADINGS = {"h1": 17, "h2": 14, "h3": 12.5, "h4": 11.5}
TEXT_SIZE, MUTED_SIZE = 10.5, 9
TEXT_COLOUR, MUTED_COLOUR = (31, 35, 41), (100, 106, 115)   # the page's #1f2329 and .muted #646a73
INDENT_MM = 4
SKIPPED = {"style", "title", "head", "script"}
ROWS = {"li", "div"}   # a list row or a box ends with a little space, so rows of several lines stay apart
GAP = "gap"


class _Blocks(HTMLParser):
    """The page's text as [(kind, depth, text)]: kind is a heading tag, "text", "muted" or GAP (the end of a list
    row or a box); depth the number of tables (beyond the first) and boxes around it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._buffer, self._stack, self._skip = [], [], [], 0

    def _flush(self):
        text = "".join(self._buffer).strip()
        self._buffer = []
        if text:
            self.blocks.append((self._kind(), self._depth(), text))

    def _kind(self):
        for tag, classes in reversed(self._stack):
            if tag in HEADINGS:
                return tag
            if "muted" in classes:
                return "muted"
            if tag in BLOCKS:
                return "text"
        return "text"

    def _depth(self):
        tables = sum(1 for tag, _ in self._stack if tag == "table")
        return max(tables - 1, 0) + sum(1 for _, classes in self._stack if "box" in classes)

    def _pre(self):
        return any("quote" in classes or tag == "pre" for tag, classes in self._stack)

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self._skip += 1
            return
        if tag == "br":
            self._buffer.append("\n")
            return
        if tag in BLOCKS:
            self._flush()
        self._stack.append((tag, (dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self._skip = max(self._skip - 1, 0)
            return
        if tag == "th":
            self._buffer.append(":")
        if tag in BLOCKS:
            self._flush()
        if tag in ROWS and self.blocks and self.blocks[-1][0] != GAP:
            self.blocks.append((GAP, 0, ""))
        for i in range(len(self._stack) - 1, -1, -1):   # close up to the matching tag (the page is well formed)
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if self._skip:
            return
        self._buffer.append(data if self._pre() else re.sub(r"\s+", " ", data))   # white space folded as a page does


def blocks(html):
    """The page's text blocks, in order."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


def render(html):
    """The export page `html` as PDF bytes (410 Gone when the server has no CJK font)."""
    pdf = pdf_doc.document()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for kind, depth, text in blocks(html):
        if kind == GAP:
            pdf.ln(1.5)
            continue
        size = HEADINGS.get(kind, MUTED_SIZE if kind == "muted" else TEXT_SIZE)
        pdf.set_font(pdf_doc.FONT, size=size)
        pdf.set_text_color(*(MUTED_COLOUR if kind == "muted" else TEXT_COLOUR))
        if kind in HEADINGS:
            pdf.ln(3 if kind in ("h1", "h2") else 1.5)
        pdf.set_x(pdf.l_margin + depth * INDENT_MM)
        pdf.multi_cell(0, size * 0.52, pdf_doc.drawable(text, pdf), new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
        if kind == "h2":
            pdf.set_draw_color(229, 230, 235)
            pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
            pdf.ln(1.5)
    return bytes(pdf.output())
