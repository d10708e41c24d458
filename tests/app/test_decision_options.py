"""One source for decisions: the card, the report page and the application page offer the same ones at every
stage, and the service accepts exactly what they offer."""
import re

import pytest

from app.core import pipeline
from app.core.models import Application
from app.interview import decision_options, decisions, result_cards
from app.interview.models import CardMessage
from tests.support.reports import sign_in_as


def _offered(html, form_action):
    """(key, label, disabled) of the decision buttons inside the form posting to `form_action`."""
    offered = []
    for form in re.findall(r'<form method="post" action="' + re.escape(form_action) + r'".*?</form>', html, re.S):
        key = re.search(r'name="decision" value="([a-z_]+)"', form)
        for button in re.finditer(r'<button([^>]*)>([^<]+)</button>', form):
            attrs, label = button.groups()
            value = re.search(r'value="([a-z_]+)"', attrs)
            # 淘汰 posts from its confirmation box: "确认淘汰" (decision_options.CONFIRM).
            offered.append(((value or key).group(1), label.strip().removeprefix("确认"), "disabled" in attrs))
    return sorted(offered)


def _expected(stage):
    return sorted((d.key, d.label, current) for d, current in decision_options.options(stage))


def test_the_card_offers_every_decision_with_its_words(app, report):
    application = Application.get_by_id(report.interview.application_id)
    card = result_cards.build_result_card(application, {"total": 1.0, "dimensions": [], "flags": []}, "t-1")
    buttons = [(b["text"], b["key"], b["style"]) for b in card["button_list"]]
    assert buttons == [(d.label, result_cards.button_key(application.id, d.key), d.card_style)
                       for d in decision_options.DECISIONS]
    for d in decision_options.DECISIONS:
        assert result_cards.parse_button_key(result_cards.button_key(application.id, d.key)) == (application.id, d.key)
        assert result_cards.replace_name(d.key, "张伟").startswith(d.done_label)


@pytest.mark.parametrize("stage", pipeline.STAGES)
def test_report_page_and_application_page_offer_the_same_decisions(client, report, stage):
    application_id = report.interview.application_id
    Application.update(stage=stage).where(Application.id == application_id).execute()
    sign_in_as(client, "zhangwei")
    report_html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    page_html = client.get(f"/m/applications/{application_id}").get_data(as_text=True)
    on_report = _offered(report_html, f"/m/reports/{report.id}/decide")
    on_page = _offered(page_html, f"/m/applications/{application_id}/decide")
    assert on_report == on_page == _expected(stage)
    assert bool(on_page) == (stage in ("ai_scored", "on_hold"))


@pytest.mark.parametrize("stage", pipeline.STAGES)
def test_the_service_accepts_exactly_what_the_pages_offer(app, report, stage):
    application_id = report.interview.application_id
    offered = {d.key for d, _ in decision_options.options(stage)}
    for d in decision_options.DECISIONS:
        Application.update(stage=stage).where(Application.id == application_id).execute()
        if d.key in offered or d.key == stage:
            decisions.decide(application_id, d.key, "zhangwei", "web")
            assert Application.get_by_id(application_id).stage == d.key
        else:
            with pytest.raises(pipeline.IllegalTransition):
                decisions.decide(application_id, d.key, "zhangwei", "web")
            assert Application.get_by_id(application_id).stage == stage
            assert CardMessage.select().where(CardMessage.decision == d.key).count() == 0
