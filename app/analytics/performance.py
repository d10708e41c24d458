"""Post-hire performance import: HR uploads a CSV or XLSX, sees what matched a hire and what did not, and
commits the whole file or nothing.

Columns (first row, Chinese or English names): a reference — 应聘编号/application_id (the application's number,
shown on its page) or 手机号/phone (the candidate's phone) —, 周期/period, 评分/rating; every other column with
a number is kept as a KPI. Only hired candidacies match.
"""
import csv
import io
import itertools
import math
import re
import zipfile

from app.analytics.models import ImportStatus, PerformanceImport, PerformanceRecord
from app.core import phones, spreadsheets
from app.core.base import utcnow
from app.core.db import database
from app.core.errors import BadRequest, Conflict, found
from app.core.models import Application, Candidate

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows of a sheet, blank ones included
MAX_COLUMNS = 100
# An XLSX is a zip: what it unpacks to is bounded too (openpyxl loads the shared strings whole); 5,000 rows x 100
# columns of real data unpack to about 15 MB. openpyxl also reads a whole sheet at load to size it when the sheet
# declares no <dimension> (2 million rows: 46 s), so a sheet without one may unpack to 1 MB at most.
MAX_UNPACKED_BYTES = 16 * 1024 * 1024
MAX_UNSIZED_SHEET_BYTES = 1024 * 1024
SHEET_HEAD = re.compile(rb"<(?:\w+:)?(dimension|sheetData)\b")
RATING_RANGE = (0.0, 100.0)
HEADERS = {
    "application_id": {"应聘编号", "application_id", "application", "申请编号"},
    "phone": {"手机号", "phone", "手机"},
    "period": {"周期", "period", "考核周期"},
    "rating": {"评分", "rating", "绩效", "绩效评分"},
}

# The file HR downloads to fill in: the column names read back above, and one example row (its KPI column shows
# that other number columns are kept).
TEMPLATE_HEADER = ["应聘编号", "手机号", "周期", "评分", "销售额(万元)"]
TEMPLATE_ROWS = [["1024", "", "2026H1", "85", "120"]]


class PerformanceFileError(BadRequest):
    code = "performance_file_invalid"


def _norm(name):
    return str(name or "").strip().lower()


def too_many_rows():
    return PerformanceFileError(f"文件超过 {MAX_ROWS} 行数据,请分成几个文件上传 At most {MAX_ROWS} rows per file")


def _filled_rows(rows):
    """The rows with any content, cells stripped of trailing blanks; refused past MAX_ROWS + the header, before
    the next row is read."""
    table = []
    for row in rows:
        row = list(row)
        while row and (row[-1] is None or str(row[-1]).strip() == ""):
            row.pop()
        if not row:
            continue
        if len(table) > MAX_ROWS:
            raise too_many_rows()
        table.append(row)
    return table


def _check_unpacked(data):
    """Refuse a workbook that unpacks to too much, or has a big sheet that does not declare its size, before
    openpyxl opens it (the sizes are the zip's own headers: zipfile never reads past a member's stated size)."""
    too_much = PerformanceFileError(f"XLSX 解压后的数据太多(最多 {MAX_UNPACKED_BYTES // 2**20} MB),请另存为新文件"
                                    "或改用 CSV The XLSX unpacks to too much data")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
                raise too_much
            for info in members:
                if info.filename.startswith("xl/worksheets/") and info.file_size > MAX_UNSIZED_SHEET_BYTES:
                    with archive.open(info) as part:
                        first = SHEET_HEAD.search(part.read(16 * 1024))
                    if first is None or first.group(1) != b"dimension":
                        raise PerformanceFileError("表格缺少尺寸信息(dimension),请用 Excel 或 WPS 另存为 .xlsx "
                                                   "或改用 CSV 后再上传 The sheet does not declare its size")
    except PerformanceFileError:
        raise
    except Exception as exc:  # a broken zip raises many kinds (BadZipFile, zlib.error, EOFError ...)
        raise PerformanceFileError("无法读取 XLSX 文件 Cannot read the XLSX file") from exc


def _xlsx_rows(data):
    """The rows of the first sheet, read lazily: the unpacked and the declared size are checked first."""
    from openpyxl import load_workbook
    _check_unpacked(data)
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise PerformanceFileError("无法读取 XLSX 文件 Cannot read the XLSX file") from exc
    # The <dimension> a sheet declares (read-only mode reads only that): refuse before reading a row. A sheet may
    # also lie or declare nothing, so the rows read below are bounded by our own limits, never by its claim.
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_SHEET_ROWS or columns > MAX_COLUMNS:
        raise PerformanceFileError(
            f"表格声明的范围有 {rows} 行 × {columns} 列,超过上限(最多 {MAX_SHEET_ROWS} 行、{MAX_COLUMNS} 列);"
            f"请删除多余的行和列,或把数据复制到新文件后再上传 The sheet declares {rows} rows x {columns} columns")
    reader = sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
    for count in itertools.count(1):
        try:
            row = next(reader)
        except StopIteration:
            return
        except Exception as exc:
            raise PerformanceFileError("无法读取 XLSX 文件 Cannot read the XLSX file") from exc
        if count > MAX_SHEET_ROWS:
            raise PerformanceFileError(f"表格超过 {MAX_SHEET_ROWS} 行(含空行),最多 {MAX_ROWS} 行数据 "
                                       f"The sheet has more than {MAX_SHEET_ROWS} rows")
        yield row


def _csv_rows(data):
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return csv.reader(io.StringIO(text))
    raise PerformanceFileError("CSV 编码无法识别,请保存为 UTF-8 The CSV is not UTF-8 or GBK")


def read_table(filename, data):
    """[[cell, ...], ...] of the filled rows of a CSV (UTF-8, with or without BOM, or GBK) or XLSX file: at most
    MAX_ROWS + the header, refused as soon as one more is read."""
    if len(data) > MAX_BYTES:
        raise PerformanceFileError("文件超过 2 MB File larger than 2 MB")
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _filled_rows(_xlsx_rows(data))
    if name.endswith(".csv"):
        return _filled_rows(_csv_rows(data))
    raise PerformanceFileError("只支持 .csv 或 .xlsx 文件 Only .csv or .xlsx files")


def _columns(header):
    found, kpis = {}, {}
    for i, cell in enumerate(header):
        key = next((k for k, names in HEADERS.items() if _norm(cell) in {_norm(n) for n in names}), None)
        if key and key not in found:
            found[key] = i
        elif str(cell or "").strip():
            kpis[str(cell).strip()[:40]] = i
    if "application_id" not in found and "phone" not in found:
        raise PerformanceFileError("缺少「应聘编号」或「手机号」列 Missing an application_id or phone column")
    for key, label in (("period", "周期 period"), ("rating", "评分 rating")):
        if key not in found:
            raise PerformanceFileError(f"缺少「{label}」列 Missing the {label} column")
    return found, kpis


def _number(value):
    if value is None or str(value).strip() == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _match(cols, row):
    """(application id, reference shown, error)."""
    def cell(key):
        i = cols.get(key)
        return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()
    ref = cell("application_id")
    if ref:
        number = _number(ref)
        if number is None or number != int(number):
            return None, ref, f"应聘编号「{ref}」不是数字 application_id is not a number"
        app = Application.get_or_none(Application.id == int(number))
        if app is None:
            return None, ref, f"找不到应聘编号 {int(number)} No such application"
        if app.stage != "hired":
            return None, ref, f"应聘编号 {app.id} 尚未入职 Application {app.id} is not hired"
        return app.id, ref, ""
    phone = cell("phone")
    if not phone:
        return None, "", "没有应聘编号或手机号 No application_id or phone"
    hired = list(Application.select(Application.id).join(Candidate)
                 .where((Candidate.phone == phones.canonical(phone)) & (Application.stage == "hired")))
    if not hired:
        return None, phone, f"手机号 {phone} 没有已入职的应聘记录 No hire with this phone"
    if len(hired) > 1:
        return None, phone, f"手机号 {phone} 对应多条入职记录,请改用应聘编号 Several hires: use application_id"
    return hired[0].id, phone, ""


def preview(filename, data, actor):
    """Parse and match a file; store it as a preview (nothing imported yet) and return the PerformanceImport."""
    table = read_table(filename, data)
    if len(table) < 2:
        raise PerformanceFileError("文件没有数据行 The file has no data rows")
    cols, kpi_cols = _columns(table[0])
    rows, seen = [], set()
    for line, raw in enumerate(table[1:], start=2):
        app_id, ref, error = _match(cols, raw)
        period = str(raw[cols["period"]]).strip() if cols["period"] < len(raw) and raw[cols["period"]] is not None \
            else ""
        rating = _number(raw[cols["rating"]] if cols["rating"] < len(raw) else None)
        kpis = {name: _number(raw[i]) for name, i in kpi_cols.items() if i < len(raw) and _number(raw[i]) is not None}
        if not error and not period:
            error = "缺少周期 Missing period"
        if not error and rating is None:
            error = "评分不是数字 Rating is not a number"
        if not error and not RATING_RANGE[0] <= rating <= RATING_RANGE[1]:
            error = f"评分应在 {RATING_RANGE[0]:g}-{RATING_RANGE[1]:g} 之间 Rating out of range"
        if not error and (app_id, period) in seen:
            error = f"与前面的行重复(同一人同一周期) Duplicate of an earlier row for {period}"
        seen.add((app_id, period))
        rows.append({"line": line, "reference": ref, "application_id": app_id, "period": period[:20],
                     "rating": rating, "kpis": kpis, "error": error})
    return PerformanceImport.create(filename=filename[:200], actor=actor, rows=rows)


def get_import(import_id):
    item = found(PerformanceImport.get_or_none(PerformanceImport.id == import_id),
                 "找不到该导入 Import not found", code="import_not_found")
    return item


def commit(import_id):
    """Import every row of a preview in one transaction; refuse when any row has an error."""
    item = get_import(import_id)
    if item.status != ImportStatus.PREVIEW:
        raise Conflict("该文件已处理 This import was already handled", code="import_done")
    bad = [r for r in item.rows if r["error"]]
    if bad:
        raise PerformanceFileError(f"有 {len(bad)} 行无法导入,请修改文件后重新上传,本次没有导入任何数据 "
                           f"{len(bad)} rows have errors: nothing was imported")
    with database.atomic():
        for r in item.rows:
            (PerformanceRecord.insert(application=r["application_id"], period=r["period"], rating=r["rating"],
                                      kpis=r["kpis"], source=item.id)
             .on_conflict(conflict_target=[PerformanceRecord.application, PerformanceRecord.period],
                          update={PerformanceRecord.rating: r["rating"], PerformanceRecord.kpis: r["kpis"],
                                  PerformanceRecord.source: item.id}).execute())
        PerformanceImport.update(status=ImportStatus.COMMITTED, committed_at=utcnow()).where(
            (PerformanceImport.id == item.id) & (PerformanceImport.status == ImportStatus.PREVIEW)).execute()
    return len(item.rows)


def template(fmt):
    """The fill-in file (CSV or XLSX): the column names and one example row."""
    if fmt == "csv":
        return spreadsheets.csv_bytes(TEMPLATE_HEADER, TEMPLATE_ROWS)
    return spreadsheets.xlsx_bytes("绩效", TEMPLATE_HEADER, TEMPLATE_ROWS)
