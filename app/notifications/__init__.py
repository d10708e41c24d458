"""Notices to candidates on the channel that reaches them (微信客服, external contact, SMS, email; the status page
always), sent once with fallback, and SMS codes that prove a phone. docs/notifications.md.

What other domains call:
- outreach.tell(application_id, notice_key, extra, idempotency_key=..., urgent=None): plan on the application's
  Reach (outreach.reach_for) and notify; process/notices.tell_candidate wraps it with the page text;
- core.domains.announce_invitation(interview, token) reaches invitations.announce (Domain.invitations);
- routing.Reach(...), routing.plan(notice_key, reach) -> the channel steps;
- sending.notify(application_id, notice_key, values, steps, idempotency_key=..., urgent=None) -> (notice, created);
- history.for_application(application_id), history.kf_sent_since(application_id, since);
- consent.opted_out(phone), consent.record(phone, opted_out, source), consent.unsubscribe_token(phone);
- codes.request_code(phone, purpose, ip), codes.verify_code(phone, purpose, code, ip),
  codes.check_proof(proof, phone, purpose);
- (phone numbers: app/core/phones.py - normalise, to_e164, e164_or_none, mask.)
"""
