"""What the candidate's process pages said after the walk of the pages past the AI interview: the second round's
confirmation of a decline still listed the times with 确认预约 below it, and an offer accepted before HR closed the
application read 录用通知 · 已接受 after the close."""
import datetime as dt

from app.process import offers, scheduling
from app.screening import actions
from tests.process.helpers import at_second_round, available, cleared_for_offer, hour, round_with_slots
from tests.support.wecom import run_fast_worker


def test_declining_the_second_round_offers_no_booking(app, client, demo_job, redis_conn):
    """不参加复试 asked for the confirmation with the time list and 确认预约 below it (a booking the server refuses
    once the decline is confirmed); after the decline the page says what stands and how to reach HR."""
    application, token = at_second_round(demo_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_with_slots(application, [start, start + dt.timedelta(hours=2)])
    page = client.get(f"/i/{token}/second-round").get_data(as_text=True)
    assert 'data-testid="book"' in page   # before: the times are offered
    res = client.post(f"/i/{token}/second-round", data={"action": "declined"}, follow_redirects=True)
    page = res.get_data(as_text=True)
    assert 'data-testid="confirm-decline"' in page
    assert 'data-testid="slots"' not in page and "确认预约" not in page and 'data-testid="other-time"' not in page
    res = client.post(f"/i/{token}/second-round", data={"action": "declined", "confirm": "yes", "note": "已有安排"},
                      follow_redirects=True)
    page = res.get_data(as_text=True)
    assert 'data-testid="declined"' in page and "确认预约" not in page and 'name="slot_id"' not in page
    assert "已有安排" in page   # what they told HR
    assert f'href="/i/{token}/status#compose"' in page and "联系HR" in page
    assert scheduling.round_of(application.id).candidate_answer == "declined"
    # HR then closes the application: the page was empty (no card at all); it says the round is no longer arranged
    actions.reject(application.id, "hr_lina", "本岗位已招满")
    page = client.get(f"/i/{token}/second-round").get_data(as_text=True)
    assert 'data-testid="round-closed"' in page and 'data-testid="declined"' not in page and "确认预约" not in page


def test_an_accepted_offer_of_a_closed_application_reads_ended(app, client, demo_job, redis_conn):
    """The candidate accepted, then HR closed the application: the status page still read 录用通知 · 已接受."""
    application, token = cleared_for_offer(demo_job)
    offers.save_policy(demo_job, "hr_lina", {"salary_min": "20000", "salary_max": "30000", "min_notice_days": "14",
                                             "probation_months": "3", "valid_days": "5", "place": "上海"})
    offers.create_offer(application.id, "hr_lina",
                        {"salary": "25000", "start_date": (offers.today() + dt.timedelta(days=20)).isoformat()})
    offers.answer(application.id, True, "李明")
    run_fast_worker(redis_conn)
    assert "录用通知</b> · 已接受" in client.get(f"/i/{token}/status").get_data(as_text=True)
    actions.reject(application.id, "hr_lina", "岗位已取消")
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "已接受" not in status and "录用通知</b> · 本次应聘已结束" in status
    page = client.get(f"/i/{token}/offer").get_data(as_text=True)
    assert "状态:<b>本次应聘已结束</b>" in page and 'data-testid="to-onboarding"' not in page


def test_the_round_page_names_who_wrote_the_focus(app, client, demo_job, redis_conn):
    """关注点 read 「用人经理:」 on /m/rounds/<id> even when HR wrote it; it names who did."""
    import re

    from tests.support.reports import sign_in_as
    sign_in_as(client, "hr_lina", "李娜")
    application, _ = at_second_round(demo_job)
    round_, _ = round_with_slots(application, [])   # HR (hr_lina) saves the round with its 关注点
    sign_in_as(client, "zhangwei", "张伟")           # the job's manager opens it

    def label():
        page = client.get(f"/m/rounds/{round_.id}").get_data(as_text=True)
        return re.search(r"<b>([^<]*)</b>重点问", page).group(1)
    assert label() == "HR 李娜:"
    scheduling.open_round(application.id, "zhangwei", interviewers=["zhangwei", "wangfang"], duration_min=60,
                          fmt="meeting", focus="重点问系统设计", check_members=False)
    assert label() == "用人经理 张伟:"
