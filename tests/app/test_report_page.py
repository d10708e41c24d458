"""The manager's report page: scores, quoted evidence marked in the transcript, media, access, decisions."""
import re

from app.core.models import Application, StageEvent
from tests.support.reports import another_jobs_manager, sign_in_as


def test_manager_sees_scores_evidence_and_marked_transcript(client, report):
    sign_in_as(client, "zhangwei")
    page = client.get(f"/m/reports/{report.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "李明" in html and "76.5" in html and "长时间未检测到人脸" in html and "rules-test" in html
    assert re.search(r'<mark title="岗位匹配度">慢查询日志</mark>', html)
    assert "能用索引、缓存等手段定位并解决性能问题" in html
    media = client.get(re.search(r'src="(/m/reports/media/\d+)"', html).group(1), headers={"Range": "bytes=0-3"})
    assert media.status_code == 206 and media.data == b"\x1a\x45\xdf\xa3"


def test_the_page_button_does_what_the_card_button_does(client, report):
    sign_in_as(client, "zhangwei")
    app_id = report.interview.application_id
    resp = client.post(f"/m/reports/{report.id}/decide", data={"decision": "second_round"})
    assert resp.status_code == 302
    assert Application.get_by_id(app_id).stage == "second_round"
    event = StageEvent.select().where(StageEvent.application == app_id).order_by(StageEvent.id.desc()).first()
    assert (event.actor, event.source, event.to_stage) == ("zhangwei", "web", "second_round")
    again = client.post(f"/m/reports/{report.id}/decide", data={"decision": "second_round"}, follow_redirects=True)
    assert "该决定此前已记录" in again.get_data(as_text=True)


def test_other_people_cannot_see_the_report(client, report, app):
    other = another_jobs_manager()
    assert app.test_client().get(f"/m/reports/{report.id}").status_code == 302  # not signed in -> sign-in
    sign_in_as(client, other)
    assert client.get(f"/m/reports/{report.id}").status_code == 404
    answer_id = report.dimensions["岗位匹配度"]["evidence"][0]["answer_id"]
    assert client.get(f"/m/reports/media/{answer_id}").status_code == 404
    assert client.post(f"/m/reports/{report.id}/decide", data={"decision": "rejected"}).status_code == 404



def test_application_page_links_the_report_and_shows_problems(client, report):
    from app.core.models import Application
    app_id = report.interview.application_id
    Application.update(problem="第2题分析失败 answer 9 failed: boom").where(Application.id == app_id).execute()
    sign_in_as(client, "zhangwei")
    html = client.get(f"/m/applications/{app_id}").get_data(as_text=True)
    assert f'href="/m/reports/{report.id}"' in html and "76.5" in html
    assert "第2题分析失败" in html
    assert "第2题分析失败" in client.get("/m/").get_data(as_text=True)


def test_hr_invites_a_candidate_from_the_admin_page(client, demo_job):
    from app.core.models import Application, StageEvent
    from app.interview.invitations import find_interview
    sign_in_as(client, "hr_lina")
    page = client.post("/admin/invite", data={"job_id": demo_job.id, "name": "陈静", "phone": "13700002222"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "data:image/png;base64," in html
    token = re.search(r'value="http://testserver/i/([A-Za-z0-9_-]+)"', html).group(1)
    interview = find_interview(token)
    assert interview.application.candidate.name == "陈静"
    event = StageEvent.get(StageEvent.application == interview.application_id)
    assert (event.to_stage, event.actor, event.source) == ("ai_invited", "hr_lina", "web")
    bad = client.post("/admin/invite", data={"job_id": demo_job.id, "name": "陈静", "phone": "abc"},
                      follow_redirects=True)
    assert "手机号格式不正确" in bad.get_data(as_text=True) and Application.select().count() == 1
    kept = bad.get_data(as_text=True)   # what HR typed is still in the form, to correct
    assert f'<option value="{demo_job.id}" selected>' in kept and 'value="陈静"' in kept and 'value="abc"' in kept
    sign_in_as(client, "zhangwei")  # a manager, not HR
    assert client.post("/admin/invite", data={"job_id": demo_job.id, "name": "x", "phone": "13700003333"}
                       ).status_code == 403


def test_the_detail_section_speaks_plain_chinese(client, report):
    """What the scorer stores (STAR parts, how a keyword matched, counts by internal name) reads as plain Chinese
    under 详情; the stored evidence is unchanged."""
    from app.interview.models import Report
    dims = report.dimensions
    answer_id = dims["岗位匹配度"]["evidence"][0]["answer_id"]
    q = dims["岗位匹配度"]["evidence"][0]["question"]
    dims["逻辑思维"]["evidence"] = [
        {"type": "quote", "text": "负责", "start": 0, "end": 2, "why": "STAR：task", "detail": True,
         "answer_id": answer_id, "question": q},
        {"type": "quote", "text": "缓存", "start": 3, "end": 5, "why": "关键词「缓存」(exact)",
         "answer_id": answer_id, "question": q},
        {"type": "quote", "text": "缓村", "start": 6, "end": 8, "why": "关键词「缓存」(pinyin)",
         "answer_id": answer_id, "question": q},
        {"type": "feature", "name": "closest_anchor", "value": 5, "detail": True, "answer_id": answer_id,
         "question": q, "why": "最接近 5 级锚点答案（相似度 1级 0.09、3级 0.20、5级 0.34）"},
        {"type": "feature", "name": "concrete_content", "detail": True, "answer_id": answer_id, "question": q,
         "value": {"figures": ["八百毫秒", "三十毫秒"], "changes": [], "times": [], "specific": [],
                   "actions": ["定位", "加上", "降到", "查询"]}}]
    Report.update(dimensions=dims).where(Report.id == report.id).execute()
    sign_in_as(client, "zhangwei")
    html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    for term in ("STAR", "(exact)", "(pinyin)", "actions", "figures", "task", "锚点", "0.09"):
        assert term not in html, term
    assert "讲到了任务" in html and "关键词「缓存」" in html and "按读音识别" in html
    assert "最接近 5 级参考答案" in html
    assert "做法 4 处;数字 2 处" in html


def test_a_note_names_its_author(client, report):
    """A note reads who wrote it by name, as the timeline does, not by WeCom userid."""
    app_id = report.interview.application_id
    sign_in_as(client, "zhangwei", "张伟")
    client.post(f"/m/applications/{app_id}/notes", data={"body": "复试时追问缓存的设计"})
    html = client.get(f"/m/applications/{app_id}").get_data(as_text=True)
    assert re.search(r"复试时追问缓存的设计<br><span class=\"muted\">张伟 · \d\d-\d\d \d\d:\d\d", html)


def test_a_low_total_is_not_shown_in_the_good_green(client, report):
    """The total's badge takes the colour of its band: 良好 green, 待提升 orange like a weak dimension's bar."""
    from app.interview.models import Report
    sign_in_as(client, "zhangwei")
    html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert '<div class="total band-good" aria-label="总分">' in html and "良好" in html
    Report.update(total=19.2).where(Report.id == report.id).execute()
    html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert '<div class="total band-low" aria-label="总分">' in html and "待提升" in html
