"""PDF documents with Chinese text: fpdf2 with a CJK TrueType font found on the machine (`PDF_CJK_FONT`, else the
first of FONT_CANDIDATES). The offer letter and the candidate's data export are written with it."""
import re
import unicodedata
from pathlib import Path

from app.core.errors import Gone
from app.core.extensions import settings

FONT = "cjk"
FONT_CANDIDATES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                   "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/usr/share/fonts/truetype/arphic/uming.ttc")


def cjk_font():
    """The font file's Path, or None when the machine has none."""
    for candidate in (settings.get("PDF_CJK_FONT"), *FONT_CANDIDATES):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def require_font():
    """The font file's Path; 410 Gone when the machine has none."""
    font = cjk_font()
    if font is None:
        raise Gone("服务器缺少中文字体,暂不能生成PDF Server has no CJK font for the PDF", code="no_cjk_font")
    return font


def document():
    """An A4 fpdf2 document with the CJK font added as FONT and set at 12 pt (410 Gone when there is no font)."""
    from fpdf import FPDF
    font = require_font()
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, fname=str(font))
    pdf.set_font(FONT, size=12)
    return pdf


# What only shapes an emoji (joiner, variation selectors, keycap, skin tones, tags): left out with the emoji.
_EMOJI_PARTS = re.compile("[\u200d\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_DROPPED = "\x00"
MISSING = "〓"  # the typesetter's mark for a character the font does not have


def drawable(text, pdf):
    """`text` as the document's CJK font can draw it. The font has no emoji, and fpdf2 left them out silently but
    kept their joiners (invisible in the copied text) and the gaps around them: an emoji (a symbol without a
    glyph) is left out with what shapes it and one of the spaces around it; any other character without one (a
    rare character of a name) shows as 〓, so no letter disappears without a trace."""
    drawn = pdf.fonts[FONT].cmap
    out = []
    for ch in text:
        if _EMOJI_PARTS.match(ch) and (not out or out[-1] == _DROPPED or ord(ch) not in drawn):
            out.append(_DROPPED)
        elif ord(ch) in drawn or ch.isspace():
            out.append(ch)
        else:
            out.append(_DROPPED if unicodedata.category(ch)[0] in "SC" else MISSING)
    # A run of left-out emoji (and the spaces about it) closes up, keeping a space only between two words.
    return re.sub(r"[ \x00]*\x00[ \x00]*", lambda m: " " if m.group().startswith(" ") and m.group().endswith(" ")
                  and m.start() and m.end() < len(out) else "", "".join(out))
