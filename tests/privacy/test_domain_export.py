"""The export reaches what the domain packages store (app/screening, app/process, app/analytics): every planted
value in its section of the JSON and on the HTML page; nothing of another candidate; the kept-out fields out."""
import datetime as dt

from app.core.localtime import local_iso
from tests.privacy.helpers import two_candidates_with_domain_data

KEYS = ["intake", "resume", "screening", "round", "scorecards", "offer", "background_check", "onboarding",
        "process_history", "notices", "self_identification", "performance", "performance_file_rows"]


def _sections(client, token):
    res = client.get(f"/i/{token}/my-data.json")
    assert res.status_code == 200
    data = res.get_json()
    [application] = data["applications"]
    return data, {s["key"]: s["records"] for s in application["sections"]}, res.get_data(as_text=True)


def test_the_export_holds_every_domain_section_and_only_their_own(client, redis_conn):
    mine, other, soon = two_candidates_with_domain_data()
    data, sections, text = _sections(client, mine.token)
    assert data["format_version"] == 4 and list(sections) == KEYS
    assert data["timezone"] == "Asia/Shanghai"

    [intake_] = sections["intake"]
    assert (intake_["channel"], intake_["times_applied"], intake_["message_to_candidate"]) == (
        "微信群", 1, "LIMING 给候选人的说明")
    assert {"question": "note", "answer": "LIMING 知识问答"} in intake_["knockout_answers"]
    [resume] = sections["resume"]
    assert (resume["file_name"], resume["status"]) == ("LIMING-简历.pdf", "已读取")
    assert resume["raw_text"].startswith("姓名: 李明\n电话: 13800001234") and "订单系统" in resume["raw_text"]
    # The parsed fields without the parser's working fields (search tokens, offsets and vectors, "至今" date).
    assert resume["fields"] == {
        "name": "李明", "phone": "13800001234", "email": "liming@example.com", "city": "上海",
        "education": [{"school": "LIMING 复旦大学", "degree": "本科", "major": "计算机", "start": "2012-09",
                       "end": "2016-06", "text": "2012.09-2016.06 LIMING 复旦大学 计算机 本科"}],
        "highest_degree": "本科",
        "work": [{"employer": "LIMING 上海云帆科技有限公司", "title": "后端工程师", "start": "2016-07", "end": "至今",
                  "months": 125, "text": "2016.07-至今 LIMING 上海云帆科技有限公司 后端工程师"}],
        "total_years": 10.4, "skills": ["PostgreSQL", "消息队列"]}
    # In reading order (the stored JSON comes back sorted by key: 结束 before 开始).
    assert list(resume["fields"]) == ["name", "phone", "email", "city", "education", "highest_degree",
                                      "total_years", "work", "skills"]
    assert list(resume["fields"]["work"][0]) == ["employer", "title", "start", "end", "months", "text"]
    [screening] = sections["screening"]
    assert (screening["score"], screening["must_met"], screening["must_total"]) == (77.0, 2, 3)
    # Every verdict in words: no criterion id, no offsets, no codes; how much each counted, rounded.
    assert screening["verdicts"] == [
        {"label": "学历: 本科及以上", "kind": "必备条件", "verdict": "符合",
         "evidence": "2012.09-2016.06 LIMING 复旦大学 计算机 本科", "why": "最高学历 本科", "credit": 1.0},
        {"label": "相关年限: 3 年以上", "kind": "必备条件", "verdict": "符合", "evidence": "2016.07-至今",
         "why": "相关工作 10.4 年", "years": 10.4, "required": 3, "role_years": 10.4, "credit": 1.0},
        {"label": "技能: Kafka", "kind": "加分项", "verdict": "不确定", "evidence": "用 PostgreSQL 和 Kafka 做订单系统",
         "why": "项目中提及(未写本人角色):「Kafka」", "strength": "仅技能列表", "credit": 0.35}]

    [round_] = sections["round"]
    # Times in the display zone with their offset: 10:00 UTC reads 18:00+08:00.
    start, end = local_iso(soon), local_iso(soon + dt.timedelta(hours=1))
    assert start == (soon + dt.timedelta(hours=8)).isoformat() + "+08:00"
    assert (round_["format"], round_["interviewers"], round_["focus"], round_["your_note"]) == (
        "企业微信视频会议", ["张伟"], "LIMING 重点问分布式事务", "LIMING 下周三方便")
    assert round_["offered_times"] == [{"start": start, "end": end}]
    assert {k: round_["booked"][k] for k in ("start", "end", "meeting_link", "meeting_code")} == {
        "start": start, "end": end, "meeting_link": "https://meeting.example/j/1", "meeting_code": "123456789"}
    [card] = sections["scorecards"]
    assert (card["interviewer"], card["recommendation"], card["concerns"], card["summary"]) == (
        "张伟", "推荐", ["沟通"], "LIMING 总评")
    assert card["ratings"] == [{"dimension": "岗位匹配度", "score": 4, "comment": "LIMING 评语:索引讲得清楚"},
                               {"dimension": "语言表达", "score": 2, "comment": "LIMING 评语:表达啰嗦"}]
    [offer] = sections["offer"]
    assert (offer["position"], offer["salary"], offer["status"], offer["your_confirmation"],
            offer["wecom_account"]) == ("后端工程师", 34567, "已接受", "李明", "LIMING_emp")
    assert offer["start_date"] == (dt.date.today() + dt.timedelta(days=30)).isoformat()
    [check] = sections["background_check"]
    assert (check["status"], check["consent_version"], check["decision_note"]) == (
        "HR 核实中", "bg-1", "LIMING 决定说明")
    assert [(i["value"], i["status"], i["file"], i["note"]) for i in check["items"]] == [
        ("LIMINGCHSI2026", "已提交,待核实", None, ""),   # the words of the candidate's check page
        ("LIMING 上海云帆", "需要补充", "LIMING.pdf", "LIMING 离职日期不符")]
    assert [(i["label"], i["value"], i["file"], i["note"]) for i in sections["onboarding"]] == [
        ("个人信息(紧急联系人、住址)", "LIMING 身份证 310101199001011234 住址 上海", None, "LIMING 备注"),
        ("身份证(正反面)", "", "LIMING.pdf", "")]
    assert [(e["what"], e["by"], e["detail"]) for e in sections["process_history"]] == [
        ("候选人希望换时间", "你本人", "LIMING 下周三下午"), ("背景调查发现问题", "hr_lina", "LIMING 离职日期不符")]
    assert [n["kind"] for n in sections["notices"]] == ["企业微信账号"]   # the kind in words, not its code

    [self_id] = sections["self_identification"]
    assert (self_id["gender"], self_id["age_band"]) == ("女", "45+")
    assert [(p["period"], p["rating"], p["kpis"]) for p in sections["performance"]] == [("2026H1", 88.5, {"回款": 1.2})]
    assert [(r["reference"], r["rating"], r["file_status"]) for r in sections["performance_file_rows"]] == [
        ("13800001234", 88.5, "已导入")]

    # Kept out: the company's salary band, the WeCom ids and sync errors, the account error; nobody else's data.
    for absent in ("超出带宽", "sched-", "meet-", "LIMING 日程失败", "LIMING 账号失败", "WANGFANG", "王芳",
                   "13900005678", '"salary": 23456', "experience_tokens", "tokenxyz", '"roles"', '"vector"',
                   "parsed_on", "start_month", "end_month"):
        assert absent not in text, absent
    # The other candidate's export has their own values and none of mine.
    _, theirs, their_text = _sections(client, other.token)
    assert theirs["offer"][0]["salary"] == 23456 and "LIMING" not in their_text and "LIMING_emp" not in their_text


def test_the_html_page_shows_the_domain_sections(client, redis_conn):
    mine, _, _ = two_candidates_with_domain_data()
    res = client.get(f"/i/{mine.token}/my-data.html")
    assert res.status_code == 200
    page = res.get_data(as_text=True)
    for key in KEYS:
        assert f'data-testid="export-section-{key}"' in page, key
    for text in ("简历 Resume", "LIMING-简历.pdf", "LIMING 复旦大学 计算机 本科", "LIMING 给候选人的说明",
                 "LIMING 知识问答", "微信群", "LIMING 重点问分布式事务", "LIMING 下周三方便", "https://meeting.example/j/1",
                 "面试官评分表", "张伟", "LIMING 评语:索引讲得清楚", "LIMING 总评", "推荐意见", ">34567<",
                 "后端工程师",
                 "已接受", "LIMINGCHSI2026", "LIMING 上海云帆", "LIMING 决定说明", "LIMING 身份证 310101199001011234",
                 "LIMING 下周三下午", "45+", "女", "2026H1", "88.5", "回款"):
        assert text in page, text
    for absent in ("WANGFANG", "王芳", ">23456<", "超出带宽", "<script"):
        assert absent not in page, absent


def _keys(value):
    """Every key of a record, at any depth."""
    if isinstance(value, dict):
        return {k for k in value} | {k for x in value.values() for k in _keys(x)}
    if isinstance(value, list):
        return {k for x in value for k in _keys(x)}
    return set()


def test_every_field_of_every_section_has_a_chinese_label(client, redis_conn):
    """The page shows a section's labels, so a key without one would show as its code (keys that are names from
    the data, a KPI's "回款", show as they are)."""
    mine, _, _ = two_candidates_with_domain_data()
    data, _, _ = _sections(client, mine.token)
    for section in data["applications"][0]["sections"]:
        missing = {k for record in section["records"] for k in _keys(record) if k.isascii()} - set(section["labels"])
        assert not missing, (section["key"], missing)


def test_the_page_shows_the_resume_and_screening_in_words_without_codes(client, redis_conn):
    """A parsed resume and its screening on the page: the resume text, the fields and verdicts with Chinese labels
    and words; none of the parser's or screener's codes, offsets or vectors; the access log in words."""
    import re

    from app.core.models import Candidate
    from app.screening import roles
    from tests.support.reports import sign_in_as

    mine, _, _ = two_candidates_with_domain_data()
    Candidate.update(resume_text="").where(Candidate.id == mine.candidate_id).execute()   # as an applicant's record
    sign_in_as(client, "zhangwei")
    client.get(f"/m/reports/{mine.report.id}")
    client.get(f"/m/reports/media/{mine.answer.id}")
    page = client.get(f"/i/{mine.token}/my-data.html").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", page)
    for shown in ("从简历中读出的全文", "用 PostgreSQL 和 Kafka 做订单系统", "从简历中识别出的信息",
                  "教育经历", "工作经历", "LIMING 上海云帆科技有限公司", "逐条判断", "学历: 本科及以上",
                  "必备条件", "加分项", "符合", "不确定", "简历中的依据", "依据来自", "仅技能列表",
                  "与岗位相近的工作年限", "本条得分(满分 1)", "张伟:查看报告 · AI 面试评估报告",
                  "张伟:播放录像/录音 · 第 1 题的回答(第 1 次作答)",
                  "你本人:导出数据 HTML · 本次应聘「后端开发工程师」的数据"):
        assert shown in text, shown
    assert re.search(r"· 张伟\s+LIMING 备注", text)   # HR's note by its author's name, not the userid
    for code in ("experience_tokens", "parsed_on", "roles", "vector", "credit", "strength", "role_years",
                 "end_month", "relevant_years", "must", "nice", "matched", "uncertain", "listed", "tokenxyz",
                 roles._pack([0.25] * 512)[:40], "application:", "answer:", "report:", "开始 51", "zhangwei"):
        assert not re.search(rf"(?<![A-Za-z_]){re.escape(code)}(?![A-Za-z_])", text), code
    assert "简历文字" not in text   # the record's own resume text is empty ("—"): the resume section holds it


def test_every_field_the_resume_parser_writes_is_labelled_or_left_out():
    """A field the parser starts writing shows on the page with a Chinese label, or is left out on purpose."""
    from app.screening import personal_data, resume_fields

    text = ("姓名: 李明\n电话: 13800001234\n邮箱 liming@example.com\n现居 上海\n教育经历\n"
            "2012.09-2016.06 复旦大学 计算机 本科\n工作经历\n2016.07-至今 上海云帆科技有限公司 后端工程师\n"
            "技能\nPostgreSQL")
    fields = resume_fields.parse(text, today=dt.date(2026, 12, 1))
    fields |= {"experience_tokens": "", "roles": []}   # what parsing.py adds for screening
    assert fields["education"] and fields["work"]
    assert _keys(fields) - personal_data.LEFT_OUT_FIELDS <= set(personal_data.RESUME_LABELS)
