"""PDF documents with Chinese text: fpdf2 with a CJK TrueType font found on the machine (`PDF_CJK_FONT`, else the
first of FONT_CANDIDATES). The offer letter and the candidate's data export are written with it."""
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
