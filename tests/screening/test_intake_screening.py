"""Applying through a posting, then parse and screen on real RQ workers; a same-phone application stays separate;
rules never reject on a score; knockout answers reject only when HR turned that on."""
import pytest

from app.core.errors import BadRequest
from app.core.models import Application, Candidate
from app.core.tx import transaction
from app.interview.invitations import hash_token
from app.interview.models import Interview
from app.screening import actions, intake, job_settings, screen
from app.screening.models import Intake, Resume, Screening
from tests.support.funnel import docx_resume, pdf_resume, run_workers


def apply(link, name="张伟", phone="13800001234", data=None, answer="能"):
    return intake.apply(link.code, name, phone, data or pdf_resume(name=name, phone=phone), "cv.pdf", {"q1": answer})


def test_apply_parse_screen_chain(link, redis_conn):
    application, token, merged = apply(link)
    assert not merged and Intake.get(Intake.application == application.id).token_hash == hash_token(token)
    assert Intake.get(Intake.application == application.id).channel == "wechat_group"
    run_workers(redis_conn)
    resume = Resume.get(Resume.application == application.id)
    assert resume.status == "parsed" and resume.fields["name"] == "张伟" and resume.parser_version
    screening = Screening.get(Screening.application == application.id)
    verdicts = {v["label"]: v["verdict"] for v in screening.verdicts}
    assert verdicts["技能: PostgreSQL"] == "matched" and verdicts["技能: 消息队列"] == "matched"
    assert verdicts["问题: 能否接受在上海办公?"] == "matched"
    assert screening.must_met == screening.must_total == 4 and screening.score > 80
    assert Application.get_by_id(application.id).stage == "applied"   # screening alone moves nobody


def test_same_phone_same_job_is_a_separate_application(link, redis_conn):
    """A phone proves nothing: a second application with the same phone (normalised) to the same job is its own
    application on its own candidate record; the first link keeps working (issue 20; HR may join the records)."""
    first, token1, same_phone = apply(link)
    assert not same_phone
    again, token2, same_phone = apply(link, name="张 伟", phone="+86 138-0000-1234",
                                      data=docx_resume(phone="13800001234"))
    assert same_phone and again.id != first.id and again.candidate_id != first.candidate_id
    assert Candidate.get_by_id(again.candidate_id).phone == "13800001234"   # normalised
    assert Candidate.get_by_id(first.candidate_id).name == "张伟"
    assert intake.find_intake(token1).application_id == first.id
    assert intake.find_intake(token2).application_id == again.id
    assert Intake.get(Intake.application == first.id).times_applied == 1
    run_workers(redis_conn)
    assert Screening.get(Screening.application == first.id).resume.kind == "pdf"
    assert Screening.get(Screening.application == again.id).resume.kind == "docx"


def test_bad_file_stores_nothing(link):
    with pytest.raises(BadRequest) as info:
        intake.apply(link.code, "张伟", "13800001234", b"\x00\x01 not a resume", "cv.exe", {"q1": "能"})
    assert info.value.code == "file_type_unsupported"
    assert Application.select().count() == 0 and Resume.select().count() == 0 and Candidate.select().count() == 0


def test_the_form_without_a_file_asks_for_one_and_a_refusal_says_to_choose_it_again(link, client):
    """No file chosen is not "the file is empty"; a refusal of another field keeps what was typed and says the file
    must be chosen again (a browser never refills a file input)."""
    form = {"name": "张伟", "phone": "13800001234", "consent": "yes", "answer_q1": "能"}
    page = client.post(f"/p/{link.code}", data=form).get_data(as_text=True)
    assert "请选择简历文件" in page and "文件是空的" not in page
    assert Application.select().count() == 0
    page = client.post(f"/p/{link.code}", data=dict(form, phone="12"), content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and 'data-testid="resume-again"' in text and 'value="张伟"' in text


def test_a_file_named_pdf_that_is_not_one_is_told_so_by_its_name(link, client):
    """A text file (or a broken export) named cv.pdf was told 「仅支持 PDF、Word(.docx)或简历照片」: the applicant had
    chosen a .pdf. The refusal now names the file and says its content is not a PDF; other names keep the list."""
    import io
    form = {"name": "张伟", "phone": "13800001234", "consent": "yes", "answer_q1": "能"}
    res = client.post(f"/p/{link.code}", data=dict(form, resume=(io.BytesIO(b"hello, not a resume"), "cv.pdf")),
                      content_type="multipart/form-data")
    text = res.get_data(as_text=True)
    assert res.status_code == 400 and "「cv.pdf」的内容不是真正的 PDF 文件" in text and "仅支持" not in text
    with pytest.raises(BadRequest) as info:
        intake.apply(link.code, "张伟", "13800001234", b"hello", "简历.TXT", {"q1": "能"})
    assert info.value.message.startswith("仅支持 PDF")
    assert Application.select().count() == 0


def test_every_knockout_question_must_be_answered(link):
    with pytest.raises(BadRequest) as info:
        intake.apply(link.code, "张伟", "13800001234", pdf_resume(), "cv.pdf", {})
    assert info.value.code == "answer_required"


def _set(job, **changes):
    settings = job_settings.validate(job_settings.to_template(job.id) | changes)
    with transaction():
        job_settings.save(job.id, settings)


def test_knockout_rejects_only_where_hr_turned_it_on(job, link, redis_conn):
    kept, _, _ = apply(link, answer="不能")
    run_workers(redis_conn)
    assert Screening.get(Screening.application == kept.id).knockout_failed
    assert Application.get_by_id(kept.id).stage == "applied"
    _set(job, knockout_rejects=True)
    rejected, token, _ = apply(link, name="李娜", phone="13900002222", answer="不能")
    run_workers(redis_conn)
    assert Application.get_by_id(rejected.id).stage == "rejected"
    assert "能否接受在上海办公" in Intake.get(Intake.application == rejected.id).candidate_message


def test_auto_invite_above_threshold_uses_the_applicants_token(job, link, redis_conn, client):
    _set(job, auto_invite_at=60)
    strong, token, _ = apply(link)
    weak, _, _ = apply(link, name="李娜", phone="13900002222",
                       data=pdf_resume(name="李娜", phone="13900002222", years=1, skills=("Photoshop",)))
    run_workers(redis_conn)
    assert Application.get_by_id(strong.id).stage == "ai_invited"
    assert Application.get_by_id(weak.id).stage == "applied"        # low score: left for a person, not rejected
    assert Interview.get(Interview.application == strong.id).token_hash == hash_token(token)
    page = client.get(f"/p/applied/{token}")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/i/{token}")


def test_bulk_actions(link, redis_conn):
    a, _, _ = apply(link)
    b, _, _ = apply(link, name="李娜", phone="13900002222")
    c, _, _ = apply(link, name="王芳", phone="13700003333")
    out = actions.bulk("invite", [a.id], "hr1")
    assert out["done"] == [a.id] and out["tokens"] == {}   # opened under the applicant's own token
    with pytest.raises(BadRequest):
        actions.bulk("reject", [b.id], "hr1", message=" ")
    out = actions.bulk("reject", [b.id, a.id], "hr1", message="岗位已招满,感谢关注")
    assert out["done"] == [b.id, a.id]
    assert Intake.get(Intake.application == b.id).candidate_message == "岗位已招满,感谢关注"
    assert actions.bulk("hold", [c.id], "hr1")["done"] == [c.id]
    assert Application.get_by_id(c.id).stage == "on_hold"
    again = actions.bulk("invite", [b.id], "hr1")
    assert again["failed"] and again["failed"][0][0] == b.id   # rejected: not invitable, said so


def test_rescreen_job_after_criteria_change(job, link, redis_conn):
    application, _, _ = apply(link)
    run_workers(redis_conn)
    _set(job, criteria="必须 技能: Java")
    screen.screen_job(job.id)
    screening = Screening.get(Screening.application == application.id)
    assert [v["verdict"] for v in screening.verdicts if v["kind"] != "knockout"] == ["missing"]
    assert screening.must_met == 0
    assert [v["label"] for v in screening.verdicts if v["kind"] == "knockout"] == ["问题: 能否接受在上海办公?"]


def test_reparse_all_after_the_phrase_table_changed(link, redis_conn, monkeypatch, runner, tmp_path):
    """A company's own phrase file (SCREENING_PHRASES_FILE) changes the parser version: "re-parse all" reads
    every current resume again."""
    application, _, _ = apply(link)
    run_workers(redis_conn)
    first = Resume.get(Resume.application == application.id)
    extra = tmp_path / "phrases.yaml"
    extra.write_text("concepts:\n  Kafka: {synonyms: [卡夫卡]}\n", encoding="utf-8")
    monkeypatch.setenv("SCREENING_PHRASES_FILE", str(extra))
    assert "queued" in runner.invoke(args=["resumes", "reparse"]).output
    run_workers(redis_conn)
    again = Resume.get_by_id(first.id)
    assert again.parser_version != first.parser_version and again.parser_version.startswith(first.parser_version)
    assert again.fields == first.fields
    assert Screening.get(Screening.application == application.id).resume_id == first.id


def test_redis_down_after_commit_keeps_the_application(link):
    from app.core.extensions import redis_client
    working = redis_client.url
    redis_client.init("redis://127.0.0.1:1/0")               # nothing listens there: every Redis call is refused
    try:
        application, token, _ = apply(link)                  # the candidate still gets their page
    finally:
        redis_client.init(working)
    assert Resume.get(Resume.application == application.id).status == "pending"
    assert intake.find_intake(token).application_id == application.id


def test_a_parse_job_out_of_retries_is_shown_to_hr(link):
    from app.screening import parsing
    application, _, _ = apply(link)
    resume = Resume.get(Resume.application == application.id)
    parsing.record_failure(resume.id, "OSError: disk gone", final=False)
    assert Resume.get_by_id(resume.id).status == "pending"   # retries left: nothing to show yet
    parsing.record_failure(resume.id, "OSError: disk gone", final=True)
    assert Resume.get_by_id(resume.id).status == "failed"
    assert "disk gone" in Application.get_by_id(application.id).problem


def test_the_applicants_page_speaks_the_candidates_words_not_hrs(link, redis_conn, client):
    """The applicant's page showed HR's stage names as their status: 淘汰 after a rejection, 待定 when HR held
    them at screening, 候选人撤回. It now reads as the status page does (app/core/phases)."""
    held, held_token, _ = apply(link)
    rejected, rejected_token, _ = apply(link, name="李娜", phone="13900002222")
    actions.bulk("hold", [held.id], "hr1")
    actions.bulk("reject", [rejected.id], "hr1", message="岗位已招满,感谢关注")
    held_page = client.get(f"/p/applied/{held_token}").get_data(as_text=True)
    rejected_page = client.get(f"/p/applied/{rejected_token}").get_data(as_text=True)
    assert "待定" not in held_page and "已收到你的申请" in held_page
    assert "淘汰" not in rejected_page and "本次招聘流程已结束" in rejected_page
    assert "岗位已招满,感谢关注" in rejected_page


def test_the_applicants_page_after_the_interview_does_not_promise_an_invitation(link, client):
    """An applicant whose invitation went by SMS keeps their page (/p/applied) beside the interview's link. After the
    interview it still said 「通过初筛后,你会收到 AI 视频面试邀请,本页面也会变成面试入口」 under 「恭喜,你已进入复试」;
    it now says where the rest happens: the interview link's status page."""
    application, token, _ = apply(link)
    page = client.get(f"/p/applied/{token}").get_data(as_text=True)
    assert "你会收到 AI 视频面试邀请" in page and 'data-testid="later-on-interview-link"' not in page
    for stage in ("ai_completed", "ai_scored", "second_round", "offer_sent", "hired"):
        Application.update(stage=stage).where(Application.id == application.id).execute()
        page = client.get(f"/p/applied/{token}").get_data(as_text=True)
        assert "你会收到 AI 视频面试邀请" not in page, stage
        assert 'data-testid="later-on-interview-link"' in page and "应聘进度" in page, stage


def test_the_applicants_page_says_when_a_held_invitation_sms_goes_out(link, client):
    """Invited at night, the applicant's page said 「面试链接已通过短信、微信或 HR 单独发给你」 while the SMS was held
    until 08:00 (quiet hours): they looked for a message that had not been sent. The page now says when it goes
    (quiet hours or the daily cap)."""
    import datetime as dt

    from app.notifications.models import Notice, State
    application, token, _ = apply(link)
    Application.update(stage="ai_invited").where(Application.id == application.id).execute()
    page = client.get(f"/p/applied/{token}").get_data(as_text=True)
    assert 'data-testid="invitation-held"' not in page
    Notice.create(application=application.id, notice_key="invitation", idempotency_key="invite:held",
                  values={}, plan=[{"channel": "sms", "address": "+8613800001234", "via": ""}], urgent=False,
                  state=State.HELD, reason="夜间免打扰", not_before=dt.datetime(2031, 3, 11, 0, 0))
    page = client.get(f"/p/applied/{token}").get_data(as_text=True)
    held = page.split('data-testid="invitation-held">')[1].split("<")[0]
    assert "短信将于 03-11 08:00(北京时间)发送" in held


def test_a_posting_applicant_invited_at_night_can_start_the_interview_from_their_page(link, client, app):
    """HR (or the auto-invite) invited a posting applicant at night: the interview opened under a new link that only
    the invitation notice carries (only its hash is stored), and the notice's SMS was held until 08:00. The
    applicant's own link under /i/ answered 404 and their page said only when the SMS would come, so they could not
    start before it did. Their page (their own secret link) now leads to the interview at once, and says when the
    SMS comes; another applicant's page and HR's pages do not show the link."""
    import datetime as dt

    from app.interview.invitations import invite_candidate
    from app.notifications.models import Notice, State
    from tests.support.reports import sign_in_as
    application, token, _ = apply(link)
    other, other_token, _ = apply(link, name="李娜", phone="13900002222")
    interview, secret = invite_candidate(link.job_id, "张伟", "13800001234")
    assert interview.application_id == application.id
    assert client.get(f"/i/{token}").status_code == 404           # the applicant's own link opens no interview
    Notice.create(application=application.id, notice_key="invitation", idempotency_key=f"invite:{interview.id}",
                  values={"token": secret}, plan=[{"channel": "sms", "address": "+8613800001234", "via": ""}],
                  urgent=False, state=State.HELD, reason="夜间免打扰", not_before=dt.datetime(2031, 3, 11, 0, 0))
    page = client.get(f"/p/applied/{token}").get_data(as_text=True)
    said = page.split('data-testid="interview-entry">')[1].split("</p>")[0]
    assert "点下面的按钮就可以开始" in said and "短信将于 03-11 08:00(北京时间)才发送" in said
    entry = page.split('data-testid="start-interview" href="')[1].split('"')[0]
    assert entry == f"/i/{secret}" and client.get(entry).status_code == 200
    assert secret not in client.get(f"/p/applied/{other_token}").get_data(as_text=True)
    hr = app.test_client()
    sign_in_as(hr, "hr_lina")
    staff_page = hr.get(f"/m/applications/{application.id}")
    assert staff_page.status_code == 200 and secret not in staff_page.get_data(as_text=True)
    Application.update(stage="ai_completed").where(Application.id == application.id).execute()
    page = client.get(f"/p/applied/{token}").get_data(as_text=True)   # done: the page leads to the status page
    assert 'data-testid="start-interview"' not in page and f'href="/i/{secret}"' not in page


def test_a_posting_applicant_after_the_interview_reaches_the_status_page_from_their_page(link, client):
    """After the interview the applicant's page said only 「请打开短信、微信或 HR 发给你的面试链接查看」: an applicant
    who kept this page (and lost the SMS) had no way to the status page, where the second round, the offer and HR's
    messages are. When the interview's link is known, the page now leads there; without it, it still says where."""
    from app.interview.invitations import invite_candidate
    from app.notifications.models import Notice, State
    application, token, _ = apply(link)
    other, other_token, _ = apply(link, name="李娜", phone="13900002222")
    interview, secret = invite_candidate(link.job_id, "张伟", "13800001234")
    Notice.create(application=application.id, notice_key="invitation", idempotency_key=f"invite:{interview.id}",
                  values={"token": secret}, plan=[{"channel": "sms", "address": "+8613800001234", "via": ""}],
                  urgent=False, state=State.DELIVERED)
    for stage in ("ai_completed", "second_round", "offer_sent"):
        Application.update(stage=stage).where(Application.id == application.id).execute()
        page = client.get(f"/p/applied/{token}").get_data(as_text=True)
        entry = page.split('data-testid="status-page" href="')[1].split('"')[0]
        assert entry == f"/i/{secret}/status" and client.get(entry).status_code == 200, stage
    Application.update(stage="second_round").where(Application.id == other.id).execute()
    other_page = client.get(f"/p/applied/{other_token}").get_data(as_text=True)
    assert secret not in other_page and 'data-testid="later-on-interview-link"' in other_page
