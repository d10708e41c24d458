"""The candidate's export from the status page's token: every category, nobody else's data, audited."""
import json

from app.core.access_log import AccessLog
from tests.privacy.helpers import candidate_with_data
from tests.support.reports import sign_in_as


def _export(client, token):
    res = client.get(f"/i/{token}/my-data.json")
    assert res.status_code == 200, res.data[:300]
    assert res.headers["Content-Disposition"].startswith("attachment;")
    return res.get_json(), res.get_data(as_text=True)


def test_the_export_holds_every_category_and_only_their_own(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    other = candidate_with_data(demo_job, "王芳", "13900005678", "WANGFANG")
    sign_in_as(client, "hr_lina")
    assert client.get(f"/m/reports/{mine.report.id}").status_code == 200  # a view the log must show

    data, text = _export(client, mine.token)
    assert data["candidate"]["name"] == "李明" and data["candidate"]["phone"] == "13800001234"
    assert data["candidate"]["email"] == "LIMING@example.com" and data["candidate"]["resume_text"] == "LIMING 简历"
    [application] = data["applications"]
    assert [(e["from"], e["to"]) for e in application["stage_history"]][-1] == ("ai_completed", "ai_scored")
    assert "LIMING 阶段说明" in [e["reason"] for e in application["stage_history"]]
    [interview] = application["interviews"]
    assert interview["face_photo_stored"] is True
    assert {(r["kind"], r["granted"]) for r in interview["consent"]["records"]} == {("recording", True),
                                                                                    ("biometric", True)}
    [answer] = interview["answers"]
    assert answer["transcript"].startswith("LIMING") and answer["transcript_segments"]
    assert answer["scores"]["dimensions"]["岗位匹配度"]["score"] == 81
    # The JSON keeps the analysis whole (the page shows it in words, below).
    assert answer["speech_features"]["speaking_rate_cpm"] == 210.0 and answer["speech_features"]["pauses"]["min_gap_s"]
    assert answer["face_and_video_analysis"]["faces_per_frame"] == [1] * 12
    assert answer["recording"]["stored"] is True and answer["recording"]["has_video"] is True
    assert answer["ratings"] == [{"dimension": "岗位匹配度", "score": 4, "rater": "zhangwei",
                                  "at": answer["ratings"][0]["at"]}]
    assert interview["report"]["total"] == 76.5
    # Every time in the display zone with its offset, the interview's as the rest (export format 3).
    times = [interview["invited_at"], answer["at"], answer["ratings"][0]["at"], interview["report"]["at"],
             *(r["at"] for r in interview["consent"]["records"]), application["applied_at"]]
    assert all(t.endswith("+08:00") for t in times), times
    assert interview["report"]["dimensions"]["岗位匹配度"]["evidence"][0]["text"] == "LIMING 慢查询日志"
    texts = [m["text"] for m in application["messages"]]
    assert "LIMING 候选人的留言" in texts and "LIMING HR 的回复" in texts
    assert [a["filename"] for m in application["messages"] for a in m["attachments"]] == ["LIMING.pdf"]
    assert application["notes"][0]["text"] == "LIMING 备注"
    actions = [(row["who"], row["action"], row["what"]) for row in data["access_log"]]
    assert ("hr_lina", "view_report", f"report:{mine.report.id}") in actions
    assert ("candidate", "export_json", f"application:{mine.application_id}") in actions
    assert data["deletion_requests"] == []
    # Nothing of the other candidate.
    assert "WANGFANG" not in text and "王芳" not in text and "13900005678" not in text
    assert str(other.report.id) not in [row["what"].split(":")[-1] for row in data["access_log"]
                                        if row["what"].startswith("report:")]


def test_html_export_is_readable_and_self_contained(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    candidate_with_data(demo_job, "王芳", "13900005678", "WANGFANG")
    res = client.get(f"/i/{mine.token}/my-data.html")
    assert res.status_code == 200 and res.mimetype == "text/html"
    page = res.get_data(as_text=True)
    for text in ("李明", "LIMING 我用慢查询日志", "LIMING 慢查询日志", "LIMING 候选人的留言", "LIMING 备注",
                 "LIMING.pdf", "导出数据 HTML", "同意"):
        assert text in page, text
    assert "WANGFANG" not in page
    assert "<script" not in page and 'rel="stylesheet"' not in page  # nothing to fetch once saved


def test_the_page_shows_the_speech_and_video_analysis_in_words(client, demo_job):
    """The answer's speech features and face analysis under Chinese labels and in words; the per-frame counts,
    thresholds and model names stay in the JSON."""
    import re

    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    page = client.get(f"/i/{mine.token}/my-data.html").get_data(as_text=True)
    speech = re.search(r'data-testid="export-speech">(.*?)</details>', page, re.S).group(1)
    video = re.search(r'data-testid="export-video">(.*?)</details>', page, re.S).group(1)
    for shown in ("语速(字/分钟)", "210.0", "口头禅(次数)", "嗯", "停顿", "最长(秒)"):
        assert shown in speech, shown
    for shown in ("分析的画面数", "本人核验", "身份核验时拍的照片", "是本人", "画面中出现多张人脸(2 帧)"):
        assert shown in video, shown
    for code in ("speaking_rate_cpm", "min_gap_s", "faces_per_frame", "euclidean_l2", "deepface", "given",
                 "same", "multiple_faces", "{"):
        assert code not in speech + video, code
    assert AccessLog.select().where((AccessLog.candidate == mine.candidate_id)
                                    & (AccessLog.action == "export_html")).count() == 1


def test_an_answer_that_could_not_be_scored_shows_a_dash_not_none(client, demo_job):
    """An answer with no speech heard is stored with `score: null` per dimension; the page said
    「评分:岗位匹配度 None」 (Python's word) where the report's line says 「—」."""
    from app.interview.models import Answer
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    Answer.update(scores={"dimensions": {"岗位匹配度": {"score": None, "evidence": []}}, "model_version": "t"}).where(
        Answer.interview == mine.interview.id).execute()
    page = client.get(f"/i/{mine.token}/my-data.html").get_data(as_text=True)
    assert "评分:岗位匹配度 —" in page and "None" not in page


def test_a_token_opens_only_its_own_candidate(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    other = candidate_with_data(demo_job, "王芳", "13900005678", "WANGFANG")
    theirs, text = _export(client, other.token)
    assert theirs["candidate"]["name"] == "王芳" and "LIMING" not in text
    # No way to name a candidate: only the token decides; unknown and replaced tokens get nothing.
    res = client.get("/i/not-a-real-token-0000000000000000/my-data.json")
    assert res.status_code == 404 and b"LIMING" not in res.data
    from app.interview.models import Interview
    Interview.update(status="revoked").where(Interview.id == mine.interview.id).execute()  # a replaced link
    assert client.get(f"/i/{mine.token}/my-data.json").status_code == 410
    assert not AccessLog.select().where((AccessLog.action == "export_json")
                                        & (AccessLog.candidate == mine.candidate_id)
                                        & (AccessLog.actor != "candidate")).exists()


def test_the_status_page_offers_export_and_deletion(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    page = client.get(f"/i/{mine.token}/status").get_data(as_text=True)
    assert "我的数据 My data" in page
    assert f"/i/{mine.token}/my-data.json" in page and f"/i/{mine.token}/my-data.html" in page
    assert f"/i/{mine.token}/my-data/delete" in page


def test_hr_exports_from_admin_and_it_is_audited(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    sign_in_as(client, "zhangwei")  # a manager, not HR
    assert client.get(f"/admin/privacy/candidates/{mine.candidate_id}/export.json").status_code == 403
    sign_in_as(client, "hr_lina")
    res = client.get(f"/admin/privacy/candidates/{mine.candidate_id}/export.json")
    assert res.status_code == 200 and json.loads(res.data)["candidate"]["name"] == "李明"
    row = AccessLog.select().where(AccessLog.action == "export_json").get()
    assert (row.actor, row.candidate_id) == ("hr_lina", mine.candidate_id)
    assert client.get("/admin/privacy/candidates/99999/export.json").status_code == 404
    page = client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    assert ">AI报告已出</span>" in page and ">ai_scored</span>" not in page  # the stage in words


def test_staff_forms_say_the_candidate_can_read_what_they_write(client, demo_job):
    """The export holds HR's notes and the manager's focus for the panel, so the forms must not call them private."""
    from app.core import pipeline
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    pipeline.advance_stage(mine.application_id, "second_round", actor="hr_lina", source="web")
    sign_in_as(client, "hr_lina")
    page = client.get(f"/m/applications/{mine.application_id}").get_data(as_text=True)
    assert "仅HR和用人经理可见" not in page
    assert "写下对候选人的看法(HR和用人经理可见;候选人导出自己的数据时也能看到)" in page
    assert "给面试官的关注点(候选人导出自己的数据时也能看到;最多 2000 字)" in page


def test_the_download_names_carry_the_date_people_read(client, demo_job, monkeypatch):
    """my-data-YYYYMMDD.json/.pdf and the package's 我的数据-YYYYMMDD.zip took the UTC date: from 00:00 to 08:00 in
    Shanghai HR's export of the morning was named after the day before. Two zones 26 hours apart: at any moment at
    least one of them is not on the UTC date, and each file is named after the date in its zone."""
    import datetime as dt
    import types
    from zoneinfo import ZoneInfo

    from app.core.extensions import settings
    from app.privacy import archive

    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    sign_in_as(client, "hr_lina")
    for name in ("Etc/GMT-14", "Etc/GMT+12"):   # UTC+14 and UTC-12
        monkeypatch.setitem(settings, "TIMEZONE", name)
        day = f"{dt.datetime.now(ZoneInfo(name)):%Y%m%d}"
        for fmt in ("json", "pdf"):
            res = client.get(f"/admin/privacy/candidates/{mine.candidate_id}/export.{fmt}")
            assert res.status_code == 200 and f'filename="my-data-{day}.{fmt}"' in res.headers["Content-Disposition"]
    monkeypatch.setitem(settings, "TIMEZONE", "Asia/Shanghai")
    late_evening = types.SimpleNamespace(finished_at=dt.datetime(2026, 12, 7, 22, 30))   # 06:30 on 12-08 there
    assert archive.download_name(late_evening) == "我的数据-20261208.zip"
