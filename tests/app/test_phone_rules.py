"""One way to read a phone number (app/core/phones.py): HR's invitation and a posting's application store the same
number the same way, full-width digits are read, and a number SMS cannot reach (a landline) is refused with a
message that says what is accepted."""
import pytest

from app.core import phones
from app.core.errors import BadRequest
from app.core.models import Candidate
from app.interview.invitations import invite_candidate
from app.screening import intake
from tests.support.funnel import pdf_resume
from tests.support.reports import sign_in_as

ACCEPTED = ("手机号格式不正确:中国大陆手机号请填 11 位数字(以 13–19 开头,可加 +86),如 13800001234;"
            "其他国家或地区的号码请以 + 和国家代码开头,共 7–15 位数字,如 +44 20 7946 0958。")


def _apply(link, phone, name="李明"):
    return intake.apply(link.code, name, phone, pdf_resume(name=name, phone="13800001234"), "cv.pdf", {"q1": "能"})


def test_hr_invitation_then_posting_application_in_another_format_share_the_phone(link):
    """HR types "138-0000-1234"; the same person applies through a posting with "+86 138 0000 1234": both records
    hold one stored form, so HR is told of the same phone (and lookups by phone find both)."""
    interview, _ = invite_candidate(link.job_id, "李明", "138-0000-1234")
    application, _, same_phone = _apply(link, "+86 138 0000 1234")
    invited = interview.application.candidate
    assert same_phone
    assert Candidate.get_by_id(invited.id).phone == Candidate.get_by_id(application.candidate_id).phone == "13800001234"
    # HR inviting the same person again (typed the other way) reuses the invited record
    again, _ = invite_candidate(link.job_id, "李明", "+86 138 0000 1234")
    assert again.application.candidate_id == invited.id


def test_full_width_digits_are_read_as_ascii_on_both_forms(link):
    interview, _ = invite_candidate(link.job_id, "李明", "１３８－００００－１２３４")
    application, _, same_phone = _apply(link, "＋８６ １３８００００１２３４")
    assert interview.application.candidate.phone == "13800001234"
    assert Candidate.get_by_id(application.candidate_id).phone == "13800001234" and same_phone


@pytest.mark.parametrize("phone", ["010-12345678", "021 5555 1234", "1380000123", "+86 10 1234 5678",
                                   "12345678901", "0086 010 1234 5678", "+0 123 4567", "+1234"])
def test_a_landline_or_short_mainland_number_is_refused_saying_what_is_accepted(link, phone):
    for attempt in (lambda: invite_candidate(link.job_id, "李明", phone), lambda: _apply(link, phone)):
        with pytest.raises(BadRequest) as refused:
            attempt()
        assert refused.value.code == "phone_invalid" and refused.value.status == 400
        assert refused.value.message.startswith(ACCEPTED)
    assert Candidate.select().count() == 0


@pytest.mark.parametrize("typed, stored", [("+44 20 7946 0958", "+442079460958"), ("+1 (202) 555-0123", "+12025550123"),
                                           ("0086 138 0000 1234", "13800001234"), ("8613800001234", "13800001234")])
def test_other_countries_stay_accepted_and_mainland_prefixes_are_dropped(link, typed, stored):
    interview, _ = invite_candidate(link.job_id, "李明", typed)
    assert interview.application.candidate.phone == stored


def test_hr_form_refuses_a_landline_with_the_message_and_keeps_what_was_typed(client, link):
    sign_in_as(client, "hr_lina")
    posted = client.post("/admin/invite", data={"job_id": link.job_id, "name": "李明", "phone": "010-12345678"})
    assert posted.status_code == 302
    home = client.get("/admin/").get_data(as_text=True)
    assert ACCEPTED in home and 'value="010-12345678"' in home
    assert Candidate.select().count() == 0


@pytest.mark.parametrize("phone,parts", [
    ("+442079460958", ("44", "2079460958")), ("+1 415 555 0100", ("1", "4155550100")),
    ("+7 912 345 67 89", ("7", "9123456789")), ("+852 9123 4567", ("852", "91234567")),
    ("+886 912 345 678", ("886", "912345678")), ("+971 50 123 4567", ("971", "501234567")),
    ("+61 412 345 678", ("61", "412345678")), ("+353 85 123 4567", ("353", "851234567")),
    ("0086 138 0000 1234", ("86", "13800001234")), ("13800001234", ("86", "13800001234")),
    ("010-12345678", None), ("", None)])
def test_country_code_splits_a_number_as_e164_assigns_the_codes(phone, parts):
    """What user/create needs ("+<country code> <number>"): 1 and 7 are one digit, 44 or 61 two, 852 or 353
    three; a landline or nothing is not read."""
    assert phones.country_code(phone) == parts
