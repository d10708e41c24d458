"""The CSV and XLSX files staff download: UTF-8 with a BOM (Excel reads Chinese only with one), and no cell a
spreadsheet would run as a formula (CSV/XLSX injection: a candidate's name or a job title starting with =, +, -,
@, a tab or a carriage return is written with a leading apostrophe; a plain number such as -12.5 or +3% stays, also
with a note in full-width brackets, "-0.45（11 份）", which no spreadsheet reads as a formula)."""
import csv
import io
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?(?:（[^（）]*）)?")


def safe_cell(value):
    """`value` as a spreadsheet shows it without running it."""
    if isinstance(value, str) and value[:1] in FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_bytes(header, rows):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(title, header, rows):
    """One sheet named `title` (Excel allows 31 characters)."""
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([safe_cell(v) for v in header])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
