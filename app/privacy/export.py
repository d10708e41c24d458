"""The candidate's data export (PIPL art. 45): every record the platform holds about one candidate, as plain
JSON-able data, and the same data as one self-contained HTML page a person can read, save or print.

Each application holds what every domain declares (its `personal_data` module, app/core/personal_data.py): the
interview's "interviews", the conversation's "messages", and the "sections" of the others (resume, screening,
intake; second round, scorecards, offer, background check, onboarding, process history; self-identification,
performance), Chinese-labelled, rendered by the page like any other section.

Recordings and files are listed (what, when, size, whether still stored), not embedded: the JSON stays small
enough to open on a phone. See docs/privacy.md for what is in each section.
"""
import datetime as dt
import re

from flask import render_template

from app.core import access_log, personal_data
from app.core import personal_data as domains
from app.core.base import utcnow
from app.core.localtime import zone_label, zone_name
from app.core.models import Application, Candidate, Note, StageEvent
from app.core.pipeline import STAGE_LABELS
from app.interview import personal_data as interview_data
from app.interview.models import InterviewStatus
from app.privacy.models import DeletionRequest, RequestStatus

# 2: the domain packages' "sections" per application; 3: times in TIMEZONE with their offset; 4: the resume's and
# screening's working fields left out and their codes in words, each access-log row says what was seen in words
FORMAT_VERSION = 4


def _at(value):
    return domains.at(value)


def _candidate(candidate):
    return {"id": candidate.id, "name": candidate.name, "phone": candidate.phone, "email": candidate.email,
            "resume_text": candidate.resume_text, "created_at": _at(candidate.created_at)}


def _application(application, sections, fields):
    events = StageEvent.select().where(StageEvent.application == application.id).order_by(StageEvent.created_at,
                                                                                        StageEvent.id)
    own = fields.get(application.id, {})
    return {"id": application.id, "job": {"title": application.job.title, "department": application.job.department,
                                          "location": application.job.location},
            "stage": application.stage, "stage_label": STAGE_LABELS.get(application.stage, application.stage),
            "applied_at": _at(application.created_at),
            "stage_history": [{"from": e.from_stage, "to": e.to_stage, "by": e.actor, "source": e.source,
                               "reason": e.reason, "message_to_candidate": e.candidate_message,
                               "at": _at(e.created_at)} for e in events],
            "interviews": own.get("interviews", []),
            "sections": sections.get(application.id, []),
            "messages": own.get("messages", []),
            "notes": [{"by": n.author, "text": n.body, "at": _at(n.created_at)}
                      for n in Note.select().where(Note.application == application.id).order_by(Note.created_at)]}


def build_export(scope):
    """Everything about the applications of `scope` (app/privacy/scope.py) as one JSON-able dict.

    A candidate's token covers its own application: the record's personal fields, record-wide deletion requests
    and access-log rows come with it only when the record holds no other live application (`scope.whole`);
    otherwise the personal details show the phone (the one the application was made with) and say why the rest
    is left out. HR's scope is the whole record."""
    candidate = Candidate.get_by_id(scope.candidate_id)
    applications = list(Application.select().where(Application.id.in_(list(scope.application_ids)))
                        .order_by(Application.id))
    ids = [a.id for a in applications]
    sections, fields = {}, {}
    for module in personal_data.modules():
        for app_id, found in module.export(ids).items():
            sections.setdefault(app_id, []).extend(found)
        if hasattr(module, "application_fields"):
            for app_id, found in module.application_fields(ids).items():
                fields.setdefault(app_id, {}).update(found)
    in_scope = DeletionRequest.application.in_(list(scope.application_ids))
    if scope.whole:
        in_scope |= DeletionRequest.application.is_null()
    requests = (DeletionRequest.select().where((DeletionRequest.candidate == candidate.id) & in_scope)
                .order_by(DeletionRequest.id))
    log = [row for row in access_log.for_candidate(candidate.id)
           if row.application_id in scope.application_ids or (scope.whole and row.application_id is None)]
    return {"format_version": FORMAT_VERSION, "generated_at": _at(utcnow()), "timezone": zone_name(),
            "candidate": _candidate(candidate) if scope.whole else _shared_candidate(candidate),
            "applications": [_application(a, sections, fields) for a in applications],
            "deletion_requests": [{"status": r.status, "requested_by": r.requested_by, "at": _at(r.created_at),
                                   "deadline": _at(r.deadline), "decided_at": _at(r.decided_at), "reason": r.reason,
                                   "completed_at": _at(r.completed_at)} for r in requests],
            "access_log": _access_log(log, applications, fields)}


# What an access-log row's target was, in words (the JSON keeps the target itself: its id is the record's "id").
TARGETS = {"report": "AI 面试评估报告", "answer": "面试回答", "attachment": "你发送的附件", "resume": "简历文件",
           "check_file": "背景调查材料", "onboarding_file": "入职材料", "candidate": "你的全部数据",
           "request": "删除申请", "interview": "AI 面试的生物识别同意"}


def _access_log(log, applications, fields):
    """The log's rows: who, what they did, the target (the record's kind and id) and what it was in words
    ("第 2 题的回答(第 1 次作答)", "本次应聘「后端工程师」的数据"), never a code on the page."""
    answers = {a["id"]: a for own in fields.values() for iv in own.get("interviews", []) for a in iv["answers"]}
    jobs = {a.id: a.job.title for a in applications}
    return [{"who": row.actor, "action": row.action, "what": row.target,
             "what_label": _target_label(row.target, answers, jobs), "at": _at(row.created_at)} for row in log]


def _target_label(target, answers, jobs):
    kind, number, proof = access_log.parse_target(target)
    if proof:   # a join's row ("hr_merge:candidate:5"): the action's label says it
        return ""
    if kind == "answer" and number in answers:
        a = answers[number]
        return f"第 {a['question_position'] + 1} 题的回答(第 {a['attempt']} 次作答)"
    if kind == "application":
        return f"本次应聘「{jobs[number]}」的数据" if number in jobs else "本次应聘的数据"
    return TARGETS.get(kind, "")


def _shared_candidate(candidate):
    """The personal details of a record that also holds other applications: only the phone this application was
    made with (the applicant typed it), nothing stored from the others."""
    return {"id": candidate.id, "name": None, "phone": candidate.phone, "email": None, "resume_text": None,
            "created_at": None, "shared": True,
            "note": "这份导出只包含本次申请的数据;本链接不显示与其他申请共用的姓名等资料,"
                    "你提交的简历和从中读取的信息见本次申请的「简历」部分。如需全部数据,请联系HR。"}


ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
SOURCES = {"web": "网页", "card": "企业微信卡片", "approval": "企业微信审批", "system": "系统", "cli": "系统"}


def readable_time(value):
    """An export time ("2026-12-01T14:00:00.123+08:00", already in the display zone) as people read it
    ("2026-12-01 14:00"); any other value as it is. The JSON keeps the ISO text with its offset."""
    if isinstance(value, str) and ISO_TIME.match(value):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M")
    return value


def _names(data):
    """{userid: display name} of everyone the page names by userid (the access log, stage history, notes, raters):
    staff by the name they signed in with (personal_data.staff_names), "candidate" as 你本人; the JSON keeps the
    userids."""
    userids = {row["who"] for row in data["access_log"]}
    for application in data["applications"]:
        userids |= {e["by"] for e in application["stage_history"]} | {n["by"] for n in application["notes"]}
        userids |= {r["rater"] for iv in application["interviews"] for a in iv["answers"] for r in a["ratings"]}
    return personal_data.staff_names(userids) | {None: "", "": ""}


def render_html(data, company=""):
    """The export as one self-contained page (inline styles, no scripts, no external files), laid out for a
    phone: lists instead of wide tables, times in the display zone."""
    return render_template("privacy/export.html", data=data, company=company, stage_labels=STAGE_LABELS,
                           action_label=access_log.label, when=readable_time, zone=zone_label(), sources=SOURCES,
                           who=_names(data).get, request_labels=RequestStatus.LABELS,
                           interview_statuses=InterviewStatus.LABELS, speech_labels=interview_data.SPEECH_LABELS,
                           video_labels=interview_data.VIDEO_LABELS,
                           speech=lambda v: interview_data.page_view(v, interview_data.SPEECH_LABELS),
                           video=lambda v: interview_data.page_view(v, interview_data.VIDEO_LABELS,
                                                                    interview_data.VIDEO_VALUES))
