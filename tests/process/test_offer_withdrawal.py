"""HR corrects or withdraws an offer (app/process/offer_withdrawal.py): the candidate can no longer accept it (a page
opened before the withdrawal included), their pages say the company withdrew it, they are told once, the
application goes back to background_check and a new offer replaces the withdrawn row; HR only, a reason required."""
import datetime as dt

import pytest

from app.conversation.models import Message
from app.core import phases, pipeline
from app.core.errors import Conflict
from app.core.models import Application, EventStatus
from app.interview.models import Interview
from app.process import offer_withdrawal, offers
from app.process.models import Offer, OfferStatus, ProcessEvent
from tests.process.helpers import cleared_for_offer, offer_awaiting_approval
from tests.support.app import import_job
from tests.support.reports import sign_in_as
from tests.support.wecom import run_fast_worker

POLICY = {"salary_min": "20000", "salary_max": "30000", "min_notice_days": "14", "probation_months": "3",
          "valid_days": "5", "place": "上海"}


def _start(days=20):
    return (offers.today() + dt.timedelta(days=days)).isoformat()


def _offer_sent(job, redis_conn, salary="25000"):
    application, token = cleared_for_offer(job)
    offers.save_policy(job, "hr_lina", POLICY)
    offers.create_offer(application.id, "hr_lina", {"salary": salary, "start_date": _start()})
    run_fast_worker(redis_conn)   # offer_sent's follow-up: the candidate is told
    return application, token


def _thread(application_id, contains):
    return [m.body for m in Message.select().where(Message.application == application_id) if contains in m.body]


def test_hr_withdraws_a_sent_offer_the_open_page_cannot_accept_it_and_a_new_offer_replaces_it(any_db_app, redis_conn):
    """A wrong salary went out (21000 instead of 25000): HR had no way to take it back but rejecting the whole
    application. Now HR withdraws it with a reason kept from the candidate, the page the candidate opened before is
    refused with 409, and HR sends the corrected offer (replacing the withdrawn row), which the candidate accepts."""
    application, token = _offer_sent(import_job("backend-engineer.yaml"), redis_conn, salary="21000")
    client, candidate = any_db_app.test_client(), any_db_app.test_client()
    assert 'data-testid="accept"' in candidate.get(f"/i/{token}/offer").get_data(as_text=True)   # opened before

    sign_in_as(client, "hr_lina")
    url = f"/m/applications/{application.id}/offer/withdraw"
    page = client.post(url, data={"reason": "  "}, follow_redirects=True)
    assert page.status_code == 200 and "请填写撤回原因" in page.get_data(as_text=True)
    assert offers.offer_of(application.id).status == OfferStatus.SENT

    page = client.post(url, data={"reason": "月薪填错了,应为 25000"}, follow_redirects=True).get_data(as_text=True)
    assert "Offer 已撤回" in page and 'data-testid="offer-withdrawn"' in page
    old = offers.offer_of(application.id)
    assert old.status == OfferStatus.WITHDRAWN
    assert Application.get_by_id(application.id).stage == "background_check"
    event = ProcessEvent.get((ProcessEvent.application == application.id) & (ProcessEvent.kind == "offer_withdrawn"))
    assert "月薪填错了" in event.detail and "月薪 21000" in event.detail and "未告知候选人原因" in event.detail

    # The page opened before the withdrawal is submitted after it: refused, nothing changes.
    res = candidate.post(f"/i/{token}/offer", data={"action": "accept", "typed_name": "李明"})
    body = res.get_data(as_text=True)
    assert res.status_code == 409 and "已被公司撤回" in body and 'data-testid="accept"' not in body
    assert "月薪填错了" not in body and "21,000" not in body   # the reason was not to be told; the letter is gone
    assert offers.offer_of(application.id).status == OfferStatus.WITHDRAWN
    assert Application.get_by_id(application.id).stage == "background_check"
    assert candidate.get(f"/i/{token}/offer.pdf").status_code == 409
    status = candidate.get(f"/i/{token}/status").get_data(as_text=True)
    assert "录用通知已被公司撤回" in status and "录用通知</b> · 已被公司撤回" in status and "月薪填错了" not in status
    assert "背景调查</b>" not in status          # the check is behind them: no 「背景调查 · 已完成」 beside it
    assert phases.OFFER_WITHDRAWN.next_step in status
    assert _thread(application.id, "撤回") == [offer_withdrawal.NEUTRAL_TEXT]          # told once, neutrally
    run_fast_worker(redis_conn)
    assert len(_thread(application.id, "撤回")) == 1 and len(_thread(application.id, "进入背景调查")) == 1

    # HR sends the corrected offer: it replaces the withdrawn row, the candidate is told and accepts it.
    page = client.post(f"/m/applications/{application.id}/offer-letter",
                       data={"salary": "25000", "start_date": _start()}, follow_redirects=True)
    assert "已直接发给候选人" in page.get_data(as_text=True)
    run_fast_worker(redis_conn)
    new = offers.offer_of(application.id)
    assert new.salary == 25000 and new.status == OfferStatus.SENT
    assert Offer.select().where(Offer.application == application.id).count() == 1
    assert len(_thread(application.id, "你的录用通知已发出")) == 2
    page = candidate.get(f"/i/{token}/offer").get_data(as_text=True)
    assert "25,000" in page and 'data-testid="accept"' in page
    res = candidate.post(f"/i/{token}/offer", data={"action": "accept", "typed_name": "李明"}, follow_redirects=True)
    assert "你已接受录用通知" in res.get_data(as_text=True)
    assert Application.get_by_id(application.id).stage == "onboarding"
    assert "月薪 21000" in ProcessEvent.get_by_id(event.id).detail            # the audit keeps the old terms


def test_the_reason_is_told_only_when_hr_ticks_it(app, client, demo_job, redis_conn):
    application, token = _offer_sent(demo_job, redis_conn)
    sign_in_as(client, "hr_lina")
    client.post(f"/m/applications/{application.id}/offer/withdraw",
                data={"reason": "入职地点应为杭州", "tell_candidate": "on"})
    assert offers.offer_of(application.id).status == OfferStatus.WITHDRAWN
    page = app.test_client().get(f"/i/{token}/offer").get_data(as_text=True)
    assert "入职地点应为杭州" in page and "已被公司撤回" in page
    status = app.test_client().get(f"/i/{token}/status").get_data(as_text=True)   # the card quotes HR's words
    assert "你的应聘仍在进行中。HR 的说明:「入职地点应为杭州」HR 会在下方消息中与你联系后续安排。" in status
    assert "背景调查</b>" not in status
    # The interview's done page (where the candidate's interview link leads) names the same state.
    Interview.update(status="completed").where(Interview.application == application.id).execute()
    done = app.test_client().get(f"/i/{token}/done").get_data(as_text=True)
    assert phases.OFFER_WITHDRAWN.title in done and phases.PHASES["background_check"].title not in done
    assert _thread(application.id, "撤回") == ["公司已撤回这份录用通知。HR 的说明:入职地点应为杭州"]


def test_only_hr_withdraws_and_only_an_unanswered_offer(app, client, demo_job, redis_conn):
    application, token = _offer_sent(demo_job, redis_conn)
    sign_in_as(client, "zhangwei")   # the job's manager, not HR
    res = client.post(f"/m/applications/{application.id}/offer/withdraw", data={"reason": "薪资有误"})
    assert res.status_code == 403
    assert 'data-testid="offer-withdraw"' not in client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert offers.offer_of(application.id).status == OfferStatus.SENT

    offers.answer(application.id, True, "李明")
    hr = app.test_client()
    sign_in_as(hr, "hr_lina")
    assert 'data-testid="offer-withdraw"' not in hr.get(f"/m/applications/{application.id}").get_data(as_text=True)
    page = hr.post(f"/m/applications/{application.id}/offer/withdraw", data={"reason": "薪资有误"},
                   follow_redirects=True).get_data(as_text=True)
    assert "已接受,不能撤回" in page
    assert offers.offer_of(application.id).status == OfferStatus.ACCEPTED
    assert Application.get_by_id(application.id).stage == "onboarding"


def test_an_offer_awaiting_approval_is_withdrawn_and_the_approval_passing_later_changes_nothing(
        wecom_env, backend_job, redis_conn):
    from tests.conversation.helpers import work_until_events_handled
    from tests.process.test_approval_events import approval_event, approve
    app, _, box = wecom_env
    application, token, offer = offer_awaiting_approval(backend_job)
    work_until_events_handled(redis_conn)
    candidate = app.test_client()
    status = candidate.get(f"/i/{token}/status").get_data(as_text=True)
    assert phases.PHASES["offer_approval"].title in status and "录用通知" not in status.split("消息 Messages")[0]
    before = len(box.messages("zhangwei"))
    withdrawn = offer_withdrawal.withdraw_offer(application.id, "hr_lina", "薪资超出带宽,改为带宽内重新发")
    assert withdrawn.status == OfferStatus.CANCELLED
    assert Application.get_by_id(application.id).stage == "background_check"
    told = box.messages("zhangwei")[before:]
    assert len(told) == 1 and offer.sp_no in told[0]["body"]["content"] and "无需再处理" in told[0]["body"]["content"]
    assert "暂无录用通知" in app.test_client().get(f"/i/{token}/offer").get_data(as_text=True)  # never seen
    # Their status page reads as it did while the offer awaited its approval (the company is deciding): not
    # 背景调查中 beside 「背景调查 · 已完成」, and nothing about an offer they never saw, nor any message.
    run_fast_worker(redis_conn)
    status = candidate.get(f"/i/{token}/status").get_data(as_text=True)
    assert phases.PHASES["offer_approval"].title in status and phases.PHASES["background_check"].title not in status
    assert "data-testid=\"process-link\"" not in status and "撤回" not in status and "录用通知" not in status

    approve(box, offer.sp_no, redis_conn)   # an approver approves it anyway
    assert approval_event(offer.sp_no, 2).status == EventStatus.IGNORED
    assert Application.get_by_id(application.id).stage == "background_check"
    assert offers.offer_of(application.id).status == OfferStatus.CANCELLED
    assert not _thread(application.id, "录用通知已发出")
    assert [e.to_stage for e in pipeline.history(application.id)][-1] == "background_check"


def test_an_offer_withdrawn_before_its_follow_up_ran_is_not_announced(app, demo_job, redis_conn):
    """HR withdrew the offer right after sending it, before the worker ran offer_sent's follow-up: the late
    follow-up still told the candidate 「你的录用通知已发出」 and wrote 「Offer 已发出」 for an offer that no
    longer stood."""
    application, token = cleared_for_offer(demo_job)
    offers.save_policy(demo_job, "hr_lina", POLICY)
    offers.create_offer(application.id, "hr_lina", {"salary": "21000", "start_date": _start()})
    offer_withdrawal.withdraw_offer(application.id, "hr_lina", "月薪填错了")
    run_fast_worker(redis_conn)   # the follow-up runs late
    assert not _thread(application.id, "你的录用通知已发出")
    assert not ProcessEvent.select().where((ProcessEvent.application == application.id)
                                           & (ProcessEvent.kind == "offer_sent")).exists()
    assert offers.offer_of(application.id).status == OfferStatus.WITHDRAWN


def test_a_withdrawal_committed_between_the_offer_check_and_the_save_refuses_the_accept(
        any_db_app, redis_conn, monkeypatch):
    """The narrowest race: the candidate taps 接受录用 on a page that still stood, the answer path checks the offer
    (offers.open_offer: still sent), and HR's withdrawal commits right then, before the accept is saved. The accept
    is refused with 409 and the page says the company withdrew it; nothing of the accept is written (no answer on
    the offer, no onboarding stage or audit row, no 欢迎加入)."""
    application, token = _offer_sent(import_job("backend-engineer.yaml"), redis_conn)
    candidate = any_db_app.test_client()
    assert 'data-testid="accept"' in candidate.get(f"/i/{token}/offer").get_data(as_text=True)
    checked = offers.open_offer
    interleaved = []

    def check_then_withdraw(application_id, on=None):
        offer = checked(application_id, on)              # the check passes: the offer is still sent
        if not interleaved:                              # HR's withdrawal commits before the accept is saved
            interleaved.append(offer_withdrawal.withdraw_offer(application_id, "hr_lina", "月薪填错了"))
        return offer

    monkeypatch.setattr(offers, "open_offer", check_then_withdraw)
    res = candidate.post(f"/i/{token}/offer", data={"action": "accept", "typed_name": "李明"})
    body = res.get_data(as_text=True)
    assert [o.status for o in interleaved] == [OfferStatus.WITHDRAWN]   # the withdrawal did run in between
    assert res.status_code == 409, res.status_code
    assert "这份录用通知已被公司撤回,不能再接受或拒绝" in body and 'data-testid="offer-withdrawn"' in body
    assert 'data-testid="accept"' not in body and "欢迎加入" not in body

    offer = offers.offer_of(application.id)
    assert offer.status == OfferStatus.WITHDRAWN and offer.answered_at is None and offer.answer_text == ""
    assert Application.get_by_id(application.id).stage == "background_check"
    assert [e.to_stage for e in pipeline.history(application.id)][-2:] == ["offer_sent", "background_check"]
    kinds = [e.kind for e in ProcessEvent.select().where(ProcessEvent.application == application.id)]
    assert "offer_accepted" not in kinds and kinds.count("offer_withdrawn") == 1
    run_fast_worker(redis_conn)
    assert not _thread(application.id, "欢迎") and _thread(application.id, "撤回") == [offer_withdrawal.NEUTRAL_TEXT]


def test_an_accept_committed_between_the_withdrawals_check_and_its_save_refuses_the_withdrawal(
        any_db_app, redis_conn, monkeypatch):
    """The same race the other way round: HR's withdrawal checks the offer (withdrawable: still sent) and the
    candidate's accept commits right then. The withdrawal is refused (offer_answered) and writes nothing: the
    offer stays accepted, the application at onboarding, no offer_withdrawn audit row, no notice of a withdrawal."""
    application, _ = _offer_sent(import_job("backend-engineer.yaml"), redis_conn)
    checked = offer_withdrawal.withdrawable
    interleaved = []

    def check_then_accept(application_, offer):
        ok = checked(application_, offer)               # the check passes: the offer is unanswered
        if not interleaved:                             # the candidate's accept commits before the withdrawal's save
            interleaved.append(offers.answer(application_.id, True, "李明"))
        return ok

    monkeypatch.setattr(offer_withdrawal, "withdrawable", check_then_accept)
    with pytest.raises(Conflict) as refused:
        offer_withdrawal.withdraw_offer(application.id, "hr_lina", "月薪填错了")
    assert [o.status for o in interleaved] == [OfferStatus.ACCEPTED] and refused.value.code == "offer_answered"
    assert offers.offer_of(application.id).status == OfferStatus.ACCEPTED
    assert Application.get_by_id(application.id).stage == "onboarding"
    assert not ProcessEvent.select().where((ProcessEvent.application == application.id)
                                           & (ProcessEvent.kind == "offer_withdrawn")).exists()
    run_fast_worker(redis_conn)
    assert not _thread(application.id, "撤回")
