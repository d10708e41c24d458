"""The consent page in Chromium at 390x844: biometrics are not pre-selected and need an explicit choice."""
import pytest

from tests.support.browser import shot
from tests.support.interviews import invite, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.enforce_csp]


def test_biometric_choice_starts_empty_and_is_required(live_app, phone):
    _, base = live_app
    _, token = invite(make_short_job())
    phone.goto(f"{base}/i/{token}/consent")
    assert not phone.is_checked("#bio-yes") and not phone.is_checked("#bio-no")
    phone.check("#recording")
    assert phone.is_disabled("#consent-submit")  # recording alone is not enough: biometrics need a yes or a no
    phone.click("label[for=bio-no]")
    assert phone.is_enabled("#consent-submit")
    shot(phone, "security-consent-opt-in")
    phone.click("#consent-submit")
    phone.wait_for_selector("#identity-form")
