"""Which dates a resume's entries are read with: year-only ranges ("2019-2024", "2019年-至今"), the rows of a Word
table as lines, and the numbers that are not an entry's dates (an award's 年度, a phone number, a sentence)."""
import datetime as dt
import io

import pytest

from app.screening import criteria, experience, matching, resume_fields, resume_files

TODAY = dt.date(2026, 11, 30)


def _docx(paragraphs, rows, after=()):
    from docx import Document
    doc = Document()
    for line in paragraphs:
        doc.add_paragraph(line)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    for line in after:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


YEARS_ONLY = _docx(
    ["姓名: 李雷", "电话: 13800001234 | 现居: 上海", "教育背景", "2015-2019 某大学 计算机科学与技术 本科", "工作经历",
     "2019-2021 某互联网公司 后端工程师", "负责订单系统后端,使用 Python 和 PostgreSQL。", "2021-2022年度优秀员工"],
    [("2021年-2024年", "杭州数联科技有限公司", "高级后端工程师"),
     ("2024.03-至今", "上海云帆信息技术有限公司", "后端技术负责人")],
    ["专业技能", "熟悉 Python、PostgreSQL。"])


def test_a_docx_with_year_only_ranges_in_paragraphs_and_a_table_counts_its_years():
    text, kind, _ = resume_files.extract_text(YEARS_ONLY)
    assert kind == "docx"
    assert "2021年-2024年 杭州数联科技有限公司 高级后端工程师" in text.splitlines()   # a table row is one line
    fields = resume_fields.parse(text, TODAY)
    assert [(w["start"], w["end"], w["employer"]) for w in fields["work"]] == [
        ("2019", "2021", "某互联网公司"), ("2021", "2024", "杭州数联科技有限公司"),
        ("2024-03", "至今", "上海云帆信息技术有限公司")]
    assert [(e["start"], e["end"], e["degree"]) for e in fields["education"]] == [("2015", "2019", "本科")]
    assert fields["total_years"] == 7.3   # 2019 (read as 2019.07) to 2026.11, the award line is no entry
    reading = matching.read(text, TODAY)
    work = experience.dated_work(reading["blocks"])
    assert [b.months for b in work] == [24, 36, 32]
    v = matching.judge(criteria.parse_text("必须 年限: 5")[0], text, fields, reading=reading)
    assert v["verdict"] == "matched" and v["years"] == 7.3 and "未读到带日期的工作经历" not in v["why"]


def test_a_resume_dated_by_years_only_is_not_without_experience():
    """The reported resume: every entry dated by years alone, in a paragraph and in a table row."""
    data = _docx(["工作经历", "2019-2024 某互联网公司 后端工程师", "负责订单系统后端。"],
                 [("2024年至今", "上海云帆信息技术有限公司", "后端技术负责人")])
    text, _, _ = resume_files.extract_text(data)
    v = matching.judge(criteria.parse_text("必须 年限: 5")[0], text, resume_fields.parse(text, TODAY),
                       reading=matching.read(text, TODAY))
    assert "未读到带日期的工作经历" not in v["why"] and v["verdict"] == "matched" and v["years"] == 7.3


@pytest.mark.parametrize("line, dates", [
    ("2019-2024 某互联网公司 后端工程师", ((2019, 7), (2024, 7))),
    ("2019年-2024年 某互联网公司", ((2019, 7), (2024, 7))),
    ("2019~2024 某公司", ((2019, 7), (2024, 7))),
    ("某公司 后端工程师 2019至2024", ((2019, 7), (2024, 7))),
    ("某公司 | 后端工程师 | 2019-2024年", ((2019, 7), (2024, 7))),
    ("2019年至今 某公司", ((2019, 7), (2026, 11))),
    ("2019-现在 某公司", ((2019, 7), (2026, 11))),
    ("2019.03-至今 某公司", ((2019, 3), (2026, 11))),
    ("2019年3月-2024 某公司", ((2019, 3), (2024, 7))),
    ("2016.07-2019.06 杭州数联科技有限公司", ((2016, 7), (2019, 6))),
])
def test_dates_read_from_a_line(line, dates):
    m = resume_fields.find_range(resume_files.normalise(line))
    assert m is not None and resume_fields.month_range(m, TODAY) == dates


@pytest.mark.parametrize("line", [
    "2019-2024年度优秀员工", "2019-2024 年度优秀员工", "2023-2025 年 618、双 11 大促期间负责仓内排班",
    "2019-2021年间负责订单系统", "2019-2024年 某公司", "电话: 0571-2019-2024", "手机 13920192024", "2024-2019 某公司",
    "2019.13-2020.02 某公司",
])
def test_numbers_that_are_not_an_entrys_dates(line):
    assert resume_fields.find_range(resume_files.normalise(line)) is None


def test_without_headings_a_bare_range_with_a_school_or_degree_is_education():
    text = "李雷\n2015-2019 某大学 本科\n2019-2024 某互联网公司 后端工程师\n负责订单系统。\n"
    fields = resume_fields.parse(text, TODAY)
    assert [e["degree"] for e in fields["education"]] == ["本科"] and len(fields["work"]) == 1
    work = experience.dated_work(experience.blocks(text, TODAY))
    assert [b.title for b in work] == ["某互联网公司 后端工程师"]


def test_a_table_of_facts_still_gives_name_phone_and_city():
    data = _docx(["个人简历"], [("姓名", "韩梅梅"), ("联系电话", "13912345678"), ("现居", "杭州")],
                 ["工作经历", "2019-至今 杭州数联科技有限公司 会计"])
    text, _, _ = resume_files.extract_text(data)
    fields = resume_fields.parse(text, TODAY)
    assert (fields["name"], fields["phone"], fields["city"]) == ("韩梅梅", "13912345678", "杭州")
    assert fields["total_years"] == 7.3


def test_a_table_with_a_label_column_keeps_its_section_headings():
    data = _docx(["张伟"], [("教育背景", "2015-2019 某大学 计算机科学与技术 本科"),
                          ("工作经历", "2019-2024 某职业技术学院 计算机系讲师")])   # a school, but under 工作经历
    text, _, _ = resume_files.extract_text(data)
    fields = resume_fields.parse(text, TODAY)
    assert [e["start"] for e in fields["education"]] == ["2015"] and fields["total_years"] == 5.0
    assert [b.title for b in experience.dated_work(experience.blocks(text, TODAY))] == ["某职业技术学院 计算机系讲师"]
