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
    assert data["format_version"] == 3 and list(sections) == KEYS
    assert data["timezone"] == "Asia/Shanghai"

    [intake_] = sections["intake"]
    assert (intake_["channel"], intake_["times_applied"], intake_["message_to_candidate"]) == (
        "微信群", 1, "LIMING 给候选人的说明")
    assert {"question": "note", "answer": "LIMING 知识问答"} in intake_["knockout_answers"]
    [resume] = sections["resume"]
    assert (resume["file_name"], resume["status"], resume["raw_text"]) == (
        "LIMING-简历.pdf", "已读取", "LIMING 复旦大学 计算机 本科 13800001234")
    assert resume["fields"] == {"name": "李明", "phone": "13800001234", "school": "LIMING 复旦大学"}
    [screening] = sections["screening"]
    assert (screening["score"], screening["must_met"], screening["must_total"]) == (77.0, 2, 3)
    assert screening["verdicts"] == [{"criterion": "学历: 本科", "verdict": "met", "quote": "LIMING 复旦大学 本科"}]

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
                   "13900005678", '"salary": 23456'):
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
                 "LIMING 知识问答", "微信群", "LIMING 复旦大学 本科", "LIMING 重点问分布式事务", "LIMING 下周三方便", "https://meeting.example/j/1",
                 "面试官评分表", "张伟", "LIMING 评语:索引讲得清楚", "LIMING 总评", "推荐意见", ">34567<",
                 "后端工程师",
                 "已接受", "LIMINGCHSI2026", "LIMING 上海云帆", "LIMING 决定说明", "LIMING 身份证 310101199001011234",
                 "LIMING 下周三下午", "45+", "女", "2026H1", "88.5", "回款"):
        assert text in page, text
    for absent in ("WANGFANG", "王芳", ">23456<", "超出带宽", "<script"):
        assert absent not in page, absent
