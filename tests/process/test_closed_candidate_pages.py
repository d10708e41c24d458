"""The candidate's process pages once HR closed the application (rejected, withdrawn): an offer still marked
sent reads as withdrawn and cannot be accepted, the background check takes no consent or items, and none of the
pages shows a form that would only be refused."""
import datetime as dt

from app.core import pipeline
from app.process import checks, offers, onboarding
from app.process.models import CheckItem, CheckStatus
from app.screening import actions
from tests.process.helpers import at_second_round, cleared_for_offer
from tests.support.wecom import run_fast_worker


def _offer_sent(job):
    application, token = cleared_for_offer(job)
    offers.save_policy(job, "hr_lina", {"salary_min": "20000", "salary_max": "30000", "min_notice_days": "14",
                                        "probation_months": "3", "valid_days": "5", "place": "上海"})
    offers.create_offer(application.id, "hr_lina",
                        {"salary": "25000", "start_date": (offers.today() + dt.timedelta(days=20)).isoformat()})
    return application, token


def test_an_offer_of_a_closed_application_reads_withdrawn_and_cannot_be_accepted(app, client, demo_job):
    """HR rejected the candidate after the offer went out: the page showed the offer with 接受录用, and accepting
    answered 「不能从「淘汰」转到「入职中」」; the status page still said 已发出."""
    application, token = _offer_sent(demo_job)
    actions.reject(application.id, "hr_lina", "岗位已取消")
    page = client.get(f"/i/{token}/offer").get_data(as_text=True)
    assert "录用通知已撤回" in page and 'data-testid="accept"' not in page
    res = client.post(f"/i/{token}/offer", data={"action": "accept", "typed_name": "李明"}, follow_redirects=True)
    page = res.get_data(as_text=True)
    assert res.status_code == 200 and "录用通知已撤回" in page and "不能从" not in page
    assert pipeline.history(application.id)[-1].to_stage == "rejected"
    assert offers.offer_of(application.id).status == "sent"
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "录用通知</b> · 已撤回" in status and "已发出" not in status


def test_a_closed_application_takes_no_check_consent_or_items(app, client, demo_job, redis_conn):
    """Rejected during the background check: the page still asked for consent, and consent and a 学信网 code were
    taken and stored for an application that had ended."""
    application, token = at_second_round(demo_job)
    pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    run_fast_worker(redis_conn)
    checks.consent(application.id, True, checks.CONSENT_VERSION)
    education = checks.items_of(checks.order_of(application.id))[0]
    actions.reject(application.id, "hr_lina", "岗位已招满")
    page = client.get(f"/i/{token}/check").get_data(as_text=True)
    assert "本次应聘已结束" in page and 'name="item_id"' not in page
    res = client.post(f"/i/{token}/check", data={"item_id": str(education.id), "value": "A1B2C3D4E5F6"},
                      follow_redirects=True)
    assert "本次应聘已结束" in res.get_data(as_text=True)
    assert CheckItem.get_by_id(education.id).value == ""

    other, other_token = at_second_round(demo_job, name="王五", phone="13800005678")
    pipeline.advance_stage(other.id, "background_check", actor="zhangwei", source="web")
    run_fast_worker(redis_conn)
    actions.reject(other.id, "hr_lina", "岗位已招满")
    page = client.get(f"/i/{other_token}/check").get_data(as_text=True)
    assert 'data-testid="check-consent"' not in page and "请阅读并授权" not in page
    client.post(f"/i/{other_token}/check", data={"action": "consent", "agree": "yes",
                                                  "version": checks.CONSENT_VERSION})
    order = checks.order_of(other.id)
    assert order.status == CheckStatus.AWAITING_CONSENT and order.consent_at is None


def test_the_same_answer_sent_twice_reads_as_done(app, client, demo_job):
    """A double tap on 接受录用 (or the back button and 接受录用 again) answered the second post with the red
    「你已答复过该录用通知」 under an offer just accepted; the same answer again now says it was received, a different
    one is still refused."""
    application, token = _offer_sent(demo_job)
    for _ in range(2):
        res = client.post(f"/i/{token}/offer", data={"action": "accept", "typed_name": "李明"}, follow_redirects=True)
        page = res.get_data(as_text=True)
        assert "你已接受录用通知" in page and "你已答复过" not in page
    res = client.post(f"/i/{token}/offer", data={"action": "decline", "typed_name": "李明", "reason": "改主意了"},
                      follow_redirects=True)
    assert "你已答复过" in res.get_data(as_text=True)
    assert offers.offer_of(application.id).status == "accepted"
    assert [e.to_stage for e in pipeline.history(application.id)].count("onboarding") == 1


def test_a_declined_second_round_stays_declined_until_hr_offers_new_times(app, client, demo_job, redis_conn):
    """After 确认不参加, the back button brought back the page with its times: 确认预约 booked one (a WeCom schedule
    for a candidate HR had been told declined), and a second 确认不参加 (a double tap) told HR twice. The decline
    now stands (the page's own words: change your mind through a message to HR) until HR offers new times."""
    from app.process import scheduling
    from app.process.models import ProcessEvent
    from tests.process.helpers import available, hour, round_with_slots
    application, token = at_second_round(demo_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (first, second) = round_with_slots(application, [start, start + dt.timedelta(hours=2)])
    for _ in range(2):
        res = client.post(f"/i/{token}/second-round", data={"action": "declined", "confirm": "yes", "note": "已有安排"},
                          follow_redirects=True)
        assert "已告知HR你不参加复试" in res.get_data(as_text=True)
    declines = ProcessEvent.select().where((ProcessEvent.application == application.id)
                                           & (ProcessEvent.kind == "declined"))
    assert declines.count() == 1
    res = client.post(f"/i/{token}/second-round", data={"action": "book", "slot_id": str(first.id)},
                      follow_redirects=True)
    assert "你已婉拒复试" in res.get_data(as_text=True) and scheduling.booking_of(round_) is None
    res = client.post(f"/i/{token}/second-round", data={"action": "other_time", "note": "下周二"},
                      follow_redirects=True)
    assert "你已婉拒复试" in res.get_data(as_text=True)
    assert scheduling.round_of(application.id).candidate_answer == "declined"

    third = scheduling.add_slot(round_.id, start + dt.timedelta(hours=4), "hr_lina")   # HR offers a new time
    scheduling.book(round_.id, third.id)
    assert scheduling.booking_of(round_).slot_id == third.id


def test_an_offer_that_lapsed_does_not_read_as_withdrawn_by_the_candidate(app, client, demo_job, redis_conn):
    """The sweep closes an unanswered offer as withdrawn (by the system): the status page said 「你已撤回申请」 and the
    thread 「你已撤回「后端开发工程师」的申请。」, words for a candidate who withdrew themselves."""
    application, token = _offer_sent(demo_job)
    run_fast_worker(redis_conn)
    offer = offers.offer_of(application.id)
    assert offers.expire_due(on=offer.expires_on + dt.timedelta(days=1)) == 1
    run_fast_worker(redis_conn)   # the stage notice
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "你已撤回" not in page
    assert "录用通知已过期" in page and "录用通知已过答复期限" in page


def test_a_candidate_rejected_after_the_second_round_sees_how_far_they_got(app, client, demo_job, redis_conn):
    """The progress bar of a rejected candidate always stopped at 评估, also for one rejected during the background
    check, after their second round."""
    application, token = at_second_round(demo_job)
    pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    actions.reject(application.id, "hr_lina", "岗位已招满")
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "本次招聘流程已结束" in page
    assert '<li class="progress__step is-current">复试</li>' in page


def test_the_checklist_of_a_closed_application_shows_no_forms(app, client, demo_job, redis_conn):
    """HR ended the process after the candidate accepted: the onboarding page still showed the first day and every
    upload form, each refused on submit with 「当前不能提交入职材料 Not at onboarding」."""
    application, token = _offer_sent(demo_job)
    offers.answer(application.id, True, "李明")
    run_fast_worker(redis_conn)   # the checklist
    assert 'name="item_id"' in client.get(f"/i/{token}/onboarding").get_data(as_text=True)
    actions.reject(application.id, "hr_lina", "岗位已取消")
    page = client.get(f"/i/{token}/onboarding").get_data(as_text=True)
    assert "本次应聘已结束" in page
    assert 'name="item_id"' not in page and "首日安排" not in page
    item = onboarding.items_of(application.id)[-1]   # 已阅读首日安排, from a page loaded before
    res = client.post(f"/i/{token}/onboarding", data={"item_id": str(item.id)}, follow_redirects=True)
    assert "本次应聘已结束" in res.get_data(as_text=True)
    assert onboarding.items_of(application.id)[-1].status == "pending"


def test_the_typed_name_is_compared_as_a_person_types_it(app, client, demo_job):
    """「Li Ming」 on the offer, typed 「li  ming」 on a phone (or 「欧阳 娜娜」 typed without the space, with a
    full-width space): refused as 「请输入你的完整姓名」 although it is the name. Spaces, width and letter case no
    longer count; another name still does."""
    from app.core.models import Candidate
    application, token = _offer_sent(demo_job)
    Candidate.update(name="Li Ming").where(Candidate.id == application.candidate_id).execute()
    res = client.post(f"/i/{token}/offer", data={"action": "accept", "typed_name": "Li Mingg"}, follow_redirects=True)
    assert "请输入你的完整姓名" in res.get_data(as_text=True)
    res = client.post(f"/i/{token}/offer", data={"action": "accept", "typed_name": "ｌｉ\u3000 ming"},
                      follow_redirects=True)
    assert "你已接受录用通知" in res.get_data(as_text=True)


def test_no_offer_link_goes_out_once_hr_closed_the_application(app, client, demo_job, redis_conn):
    """HR rejected the candidate right after sending the offer, before the worker ran the offer's follow-up: the
    thread then told the candidate 「你的录用通知已发出,请在…前查看并答复」 below the end of their application."""
    from app.conversation.models import Message
    application, token = _offer_sent(demo_job)
    actions.reject(application.id, "hr_lina", "岗位已取消")
    run_fast_worker(redis_conn)
    assert not Message.select().where((Message.application == application.id)
                                      & Message.body.contains("查看并答复")).exists()


def test_hr_does_not_send_a_closed_applications_item_back(app, client, demo_job, redis_conn):
    """The application page of a rejected candidate still offered 已核实 / 有问题 on their check items; 有问题 told
    the candidate 「请在「背景调查」页重新提交」, on a page that takes nothing any more."""
    from app.conversation.models import Message
    from app.core.errors import AppError
    from tests.support.reports import sign_in_as
    application, token = at_second_round(demo_job)
    pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    run_fast_worker(redis_conn)
    checks.consent(application.id, True, checks.CONSENT_VERSION)
    education = checks.items_of(checks.order_of(application.id))[0]
    checks.submit_item(application.id, education.id, "A1B2C3D4E5F6")
    actions.reject(application.id, "hr_lina", "岗位已招满")
    sign_in_as(client, "hr_lina", "李娜")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert 'data-testid="verify-education"' not in page
    try:
        checks.verify_item(application.id, education.id, "hr_lina", False, "验证码无效")
        raise AssertionError("a closed application's item was sent back")
    except AppError as exc:
        assert exc.code == "application_closed"
    assert not Message.select().where(Message.body.contains("需要补充")).exists()


def test_a_withdrawn_offer_does_not_expire_later(app, client, demo_job):
    """The sweep expired the offer of an application HR had closed: the timeline read 「Offer 已过期 · 未答复」 after
    the rejection, and the candidate's 已撤回 turned into 已过期."""
    from app.process.models import ProcessEvent
    application, token = _offer_sent(demo_job)
    actions.reject(application.id, "hr_lina", "岗位已取消")
    offer = offers.offer_of(application.id)
    assert offers.expire_due(on=offer.expires_on + dt.timedelta(days=1)) == 0
    assert not ProcessEvent.select().where((ProcessEvent.application == application.id)
                                           & (ProcessEvent.kind == "offer_expired")).exists()
    assert "录用通知已撤回" in client.get(f"/i/{token}/offer").get_data(as_text=True)


def test_a_time_hr_withdrew_after_the_page_loaded_says_so(app, client, demo_job, redis_conn):
    """HR took back a time while the candidate's page still listed it: 确认预约 answered 「这个时间不可选 This time is
    not offered to you」, as if they had picked something they were never offered."""
    from app.process import scheduling
    from tests.process.helpers import available, hour, round_with_slots
    application, token = at_second_round(demo_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (first, second) = round_with_slots(application, [start, start + dt.timedelta(hours=2)])
    scheduling.withdraw_slot(round_.id, first.id, "hr_lina")
    res = client.post(f"/i/{token}/second-round", data={"action": "book", "slot_id": str(first.id)},
                      follow_redirects=True)
    page = res.get_data(as_text=True)
    assert "这个时间已不再提供,请选择其他时间" in page and "不可选" not in page
    assert scheduling.booking_of(round_) is None
