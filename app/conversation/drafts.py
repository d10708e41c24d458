"""Reply templates (built-in and per job) and the feedback draft from the AI report.

Nothing here sends anything: a template or a draft only fills HR's reply box, and HR edits it before sending.
"""
from dataclasses import dataclass

from app.conversation.models import ReplyTemplate
from app.core.converters import parse_int
from app.core.errors import BadRequest
from app.core.extensions import settings
from app.interview.reports import latest_report

STRENGTH_AT = 75  # a dimension scored at least this is offered as a strength
CONCERN_BELOW = 60  # below this, as something to improve


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    body: str
    stages: tuple = ()  # offered at these stages (empty: always)


BUILT_IN = (
    Template("received", "已收到材料", "{name}你好,你发来的材料已收到,我们会和面试结果一并评估,谢谢!"),
    Template("second_round", "复试通知", "{name}你好,恭喜你通过「{job}」的AI面试评估,进入复试。"
             "复试时间:____;方式/地点:____。请回复确认,如时间不便也可告诉我们。", ("second_round",)),
    Template("logistics", "面试安排", "{name}你好,面试安排如下:时间 ____,地点/会议号 ____,"
             "请携带身份证和简历。如需调整请直接回复。"),
    Template("evaluating", "评估中", "{name}你好,你的面试仍在评估中,预计本周内给你答复,感谢耐心等待。",
             ("ai_completed", "ai_scored", "on_hold")),
    Template("rejected", "未通过的反馈", "{name}你好,感谢你参加{company}「{job}」的面试。"
             "经过综合评估,这次很遗憾未能进入下一轮。{feedback}祝你求职顺利!", ("rejected",)),
)
BY_KEY = {t.key: t for t in BUILT_IN}


def _fill(body, application, feedback=""):
    return body.format(name=application.candidate.name, job=application.job.title,
                       company=settings["COMPANY_NAME"], feedback=feedback)


def offered(application):
    """[(compose key, title)] for the reply box: built-ins for this stage, the job's own, the AI draft."""
    items = [(f"t:{t.key}", t.title) for t in BUILT_IN if not t.stages or application.stage in t.stages]
    items += [(f"j:{t.id}", t.title) for t in ReplyTemplate.select().where(ReplyTemplate.job == application.job_id)
              .order_by(ReplyTemplate.id)]
    if latest_report(application.id) is not None:
        items.append(("ai", "AI报告反馈草稿"))
    return items


def compose(application, key):
    """The text a compose key puts in the reply box ("" for an unknown key)."""
    if not key:
        return ""
    if key == "ai":
        return feedback_draft(application)
    kind, _, ident = key.partition(":")
    if kind == "t" and ident in BY_KEY:
        return _fill(BY_KEY[ident].body, application, _feedback_sentence(application))
    if kind == "j":
        try:
            template_id = parse_int(ident)
        except ValueError:
            return ""
        row = ReplyTemplate.get_or_none((ReplyTemplate.id == template_id) & (ReplyTemplate.job == application.job_id))
        return _fill_safe(row.body, application) if row else ""
    return ""


def _fill_safe(body, application):
    """HR's own templates may contain braces: only the documented placeholders are replaced."""
    for name, value in (("{name}", application.candidate.name), ("{job}", application.job.title),
                        ("{company}", settings["COMPANY_NAME"])):
        body = body.replace(name, value)
    return body


def strengths_and_concerns(report):
    """([dimension names] scored high, [names] scored low) from the report, best and worst first."""
    scored = [(name, d.get("score")) for name, d in (report.dimensions or {}).items() if d.get("score") is not None]
    strengths = [n for n, s in sorted(scored, key=lambda x: -x[1]) if s >= STRENGTH_AT][:2]
    concerns = [n for n, s in sorted(scored, key=lambda x: x[1]) if s < CONCERN_BELOW][:2]
    return strengths, concerns


def _feedback_sentence(application):
    report = latest_report(application.id)
    if report is None:
        return ""
    strengths, concerns = strengths_and_concerns(report)
    parts = []
    if strengths:
        parts.append("你在" + "、".join(f"「{n}」" for n in strengths) + "方面表现突出")
    if concerns:
        parts.append("在" + "、".join(f"「{n}」" for n in concerns) + "方面还有提升空间")
    return (",".join(parts) + "。") if parts else ""


def feedback_draft(application):
    """A feedback draft from the AI report's strengths and concerns, for the application's stage."""
    template = BY_KEY["rejected"] if application.stage == "rejected" else None
    sentence = _feedback_sentence(application)
    if template is not None:
        return _fill(template.body, application, sentence)
    return _fill("{name}你好,感谢你参加「{job}」的AI面试。", application) + sentence


def save_template(job_id, title, body, userid):
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 40:
        raise BadRequest("模板名称需要1到40个字 The title needs 1 to 40 characters", code="template_title")
    if not body or len(body) > 2000:
        raise BadRequest("模板内容需要1到2000字 The text needs 1 to 2000 characters", code="template_body")
    return ReplyTemplate.create(job=job_id, title=title, body=body, created_by=userid)
