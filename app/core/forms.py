"""How a page's form runs its service call: the one try / flash of every staff and candidate form, and the
draft a refused form leaves for the page the redirect shows."""
import json
import secrets

from flask import flash, request, session

from app.core.errors import AppError
from app.core.extensions import redis_client

DRAFT_TTL_S = 900


def run(action, done=None, draft=None):
    """Call `action()`. When it works, flash `done` (a text, or done(result) for a text built from the result);
    when it raises AppError, flash the error's message (Chinese first) as an "error" (the pages show it apart from a
    success) and keep `draft`, (form name, subject, values), for the page the redirect shows (keep_draft).
    Returns (True, result) or (False, None): the view then redirects (or renders) as it likes."""
    try:
        result = action()
    except AppError as exc:
        flash(exc.message, "error")
        if draft:
            keep_draft(*draft)
        return False, None
    if done:
        flash(done(result) if callable(done) else done)
    return True, result


def _draft_key(name, subject, create=False):
    """Drafts are kept per browser: a staff member's sign-in, else (a candidate's page) a random id in the session
    cookie, made when a refused form first needs it."""
    sid = session.get("staff_sid") or session.get("draft_sid")
    if not sid and create:
        sid = session["draft_sid"] = secrets.token_urlsafe(12)
    return f"form-draft:{sid}:{name}:{subject}" if sid else None


def typed(names):
    """What was typed into these fields of the posted form (a refused form's draft), whole: a text refused for its
    length comes back as it was pasted. What one draft holds in Redis is bounded by the form's own bound,
    MAX_FORM_MEMORY_SIZE (config MAX_FORM_BYTES: no field has more characters than the form has bytes)."""
    return {name: request.form.get(name, "") for name in names}


def keep_draft(name, subject, values):
    """What was typed into a refused form (`values`: a text or a dict of texts), kept in Redis for this sign-in or
    browser only (not the cookie: a long text would not fit) so the page the redirect shows fills the form again
    beside the error. `subject` is the job, application or item the form is about."""
    key = _draft_key(name, subject, create=True)
    if key:
        redis_client.get().set(key, json.dumps(values, ensure_ascii=False), ex=DRAFT_TTL_S)


def take_draft(name, subject):
    """The kept draft of this form and subject, once (None when there is none)."""
    return take_drafts(name, [subject])[subject]


def take_drafts(name, subjects):
    """{subject: its kept draft or None} of a page with one such form per subject (the items of a check), once
    each, in one round trip."""
    keys = [_draft_key(name, subject) for subject in subjects]
    if not subjects or not keys[0]:
        return dict.fromkeys(subjects)
    pipe = redis_client.get().pipeline()
    for key in keys:
        pipe.get(key).delete(key)   # GETDEL needs Redis 6.2
    raws = pipe.execute()[::2]
    return {subject: json.loads(raw) if raw else None for subject, raw in zip(subjects, raws, strict=True)}
