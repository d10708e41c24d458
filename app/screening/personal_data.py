"""What the funnel stores about a candidate: `export` for their data export, `erase` for the deletion (declared as its
`Domain.personal_data`, app/core/personal_data.py; deletion.execute_deletion calls `erase` inside its transaction,
before the candidate's own fields are cleared).

Export (sections "投递 Application", "简历 Resume", "简历筛选 Screening"):
- Intake: the channel, when and how many times they applied, their knockout answers (with the question's text
  when the job still asks it) and the message HR wrote to them. The posting link's code and the token hash are
  the company's keys, not information about the person.
- Resume: the file's name, type, size, when it was sent, the read status and error, how it was read, the fields
  parsed from it (name, contacts, city, education and work entries with their dates, years, skills) and the full
  text read from it. Left out: `tokens` and the fields' `experience_tokens` (the same text split into words for
  search), the fields' `roles` (each work entry's character offset in the text and its sentence-encoder vector:
  numbers derived from the text for the machine, which the export holds in full and a person cannot read), the
  date the parse took as "至今" (`parsed_on`, the 读取于 time says it) and a work entry's `start_month` and
  `end_month` (its start and end as the months the years were counted with, the same as 开始 and 结束; a bare year
  such as "2019" is counted from 2019-07), the storage key and hash, the parser's version.
- Files (the data package, `files`): every resume file as the candidate sent it (简历/<its name>).
- Screening: the score, how many must-haves were met, whether a knockout answer failed, and every verdict in words:
  the requirement, whether it is a must-have, nice-to-have or knockout, the verdict (符合/不符合/不确定), the
  evidence quoted from the resume, why, where the evidence came from (经历中使用, 仅技能列表...), the years read
  and required, and how much the requirement counted (0-1; the score is their weighted sum). The criteria are the
  job's, the verdicts are about the person. Left out: the criterion's id and the evidence's character offsets.

Erase:

- Resume: deleted. The row is only about the person (the file's name, the text read from it, its tokens and
  parsed fields); its file is returned for removal, unless another application's resume is the same object
  (files are stored by content: the same file sent to the same job twice is one object).
- Screening: deleted. Its verdicts quote the resume and its score is a judgement of the person; nothing else
  reads a screening of a closed application.
- Intake: kept, blanked. The knockout answers and the message HR wrote to the candidate go; the channel stays
  (the funnel and the analytics facts count applications by channel), as do the posting link, the job version,
  how many times they applied, when, and the hash of the status token (the status page still opens and says the
  data was deleted).
- JobVersion, JobScreening, PostingLink hold nothing about a candidate.
"""
from app.core.models import Application
from app.core.personal_data import add, at, section, stored_file
from app.screening.intake import CHANNELS
from app.screening.job_settings import questions_by_id
from app.screening.matching import STRENGTHS
from app.screening.models import Intake, Resume, ResumeStatus, Screening

VERDICTS = {"matched": "符合", "missing": "不符合", "uncertain": "不确定"}
KINDS = {"must": "必备条件", "nice": "加分项", "knockout": "淘汰条件"}
INTAKE_LABELS = {"channel": "投递渠道", "applied_at": "首次投递", "times_applied": "投递次数",
                 "knockout_answers": "必答问题的回答", "question": "问题", "answer": "回答",
                 "message_to_candidate": "给你的说明"}
RESUME_LABELS = {"file_name": "文件名", "kind": "文件类型", "size_bytes": "大小(字节)", "uploaded_at": "上传于",
                 "status": "读取状态", "error": "读取失败原因", "method": "读取方式", "parsed_at": "读取于",
                 "fields": "从简历中识别出的信息", "raw_text": "从简历中读出的全文",
                 "name": "姓名", "phone": "手机号", "email": "邮箱", "city": "城市", "education": "教育经历",
                 "highest_degree": "最高学历", "total_years": "工作年限(年)", "work": "工作经历", "skills": "技能",
                 "school": "学校", "degree": "学历", "major": "专业", "employer": "雇主", "title": "职位",
                 "start": "开始", "end": "结束", "months": "月数", "text": "原文"}
# The parser's working fields: search tokens (the text again), work entries' offsets and vectors (numbers for the
# machine, derived from the text the export holds in full), the "至今" date (读取于 says it), an entry's start and
# end months (开始 and 结束 as counted).
LEFT_OUT_FIELDS = {"experience_tokens", "roles", "parsed_on", "start_month", "end_month"}
SCREENING_LABELS = {"score": "筛选分", "must_met": "满足的必备条件", "must_total": "必备条件数",
                    "knockout_failed": "必答问题未通过", "screened_at": "筛选于", "verdicts": "逐条判断",
                    "label": "条件", "kind": "类别", "verdict": "结论", "evidence": "简历中的依据", "why": "说明",
                    "strength": "依据来自", "years": "读到的年限", "required": "要求的年限",
                    "role_years": "与岗位相近的工作年限", "credit": "本条得分(满分 1)"}


def _fields(value):
    """The parsed fields without the parser's working fields (LEFT_OUT_FIELDS), at any depth, in the order of
    RESUME_LABELS (name first, an entry's start before its end; the stored JSON may come back sorted by key)."""
    if isinstance(value, dict):
        order = list(RESUME_LABELS)
        keys = sorted((k for k in value if k not in LEFT_OUT_FIELDS),
                      key=lambda k: order.index(k) if k in order else len(order))
        return {k: _fields(value[k]) for k in keys}
    if isinstance(value, list):
        return [_fields(x) for x in value]
    return value


def _verdict(v):
    """One verdict in words: the requirement, its kind, the verdict, the quoted evidence, why, where the evidence
    came from, the years, how much it counted. No criterion id, no character offsets, no codes."""
    evidence = v.get("evidence")
    out = {"label": v.get("label"), "kind": KINDS.get(v.get("kind"), v.get("kind")),
           "verdict": VERDICTS.get(v.get("verdict"), v.get("verdict")),
           "evidence": evidence.get("text") if isinstance(evidence, dict) else evidence, "why": v.get("why"),
           "strength": STRENGTHS.get(v.get("strength") or "") or None,
           "years": v.get("years"), "required": v.get("required"), "role_years": v.get("role_years"),
           "credit": round(v["credit"], 2) if isinstance(v.get("credit"), (int, float)) else None}
    return {k: x for k, x in out.items() if x is not None and x != ""}


def export(application_ids):
    """{application_id: [sections]}: the intake, every resume (newest first) and the screening."""
    ids = list(application_ids)
    out = {}
    intakes = list(Intake.select().where(Intake.application.in_(ids)))
    jobs = {a.id: a.job_id for a in Application.select(Application.id, Application.job).where(Application.id.in_(ids))}
    questions = questions_by_id(set(jobs.values()))
    for i in intakes:
        asked = questions.get(jobs.get(i.application_id), {})
        add(out, i.application_id, section("intake", "投递 Application", INTAKE_LABELS, [{
            "channel": CHANNELS.get(i.channel, i.channel), "applied_at": at(i.created_at),
            "times_applied": i.times_applied,
            "knockout_answers": [{"question": asked.get(k) or k, "answer": v} for k, v in (i.answers or {}).items()],
            "message_to_candidate": i.candidate_message}]))
    resumes = {}
    for r in Resume.select().where(Resume.application.in_(ids)).order_by(Resume.created_at.desc(), Resume.id.desc()):
        resumes.setdefault(r.application_id, []).append({
            "file_name": r.file_name, "kind": r.kind, "size_bytes": r.size_bytes, "uploaded_at": at(r.created_at),
            "status": ResumeStatus.LABELS.get(r.status, r.status), "error": r.error,
            "method": {"text": "读取文字", "ocr": "文字识别(OCR)"}.get(r.method, r.method),
            "parsed_at": at(r.parsed_at), "fields": _fields(r.fields or {}), "raw_text": r.raw_text})
    for app_id, records in resumes.items():
        add(out, app_id, section("resume", "简历 Resume", RESUME_LABELS, records))
    for s in Screening.select().where(Screening.application.in_(ids)):
        add(out, s.application_id, section("screening", "简历筛选 Screening", SCREENING_LABELS, [{
            "score": s.score, "must_met": s.must_met, "must_total": s.must_total,
            "knockout_failed": s.knockout_failed, "screened_at": at(s.created_at),
            "verdicts": [_verdict(v) if isinstance(v, dict) else v for v in s.verdicts or []]}]))
    return out


def files(application_ids):
    """Every resume file, under its own name (the record is found by its name and upload time)."""
    return [stored_file(r.application_id, "简历", r.file_name or f"简历{r.id}.{r.kind}", r.file_key, "resume",
                        {"file_name": r.file_name, "uploaded_at": at(r.created_at)})
            for r in Resume.select().where(Resume.application.in_(list(application_ids))).order_by(Resume.id)
            if r.file_key]


def erase(application_ids):
    """Delete or blank what the funnel stores about these applications; return {"counts": {...}, "keys": [...]}
    (the storage keys of the files to remove). Idempotent: a second call finds nothing to delete."""
    ids = list(application_ids)
    resumes = list(Resume.select(Resume.id, Resume.file_key).where(Resume.application.in_(ids)))
    counts = {"screenings": Screening.delete().where(Screening.application.in_(ids)).execute(),
              "resumes": Resume.delete().where(Resume.id.in_([r.id for r in resumes])).execute(),
              "intakes": Intake.update(answers={}, candidate_message="").where(Intake.application.in_(ids)).execute()}
    keys = {r.file_key for r in resumes if r.file_key}
    still_used = {key for (key,) in Resume.select(Resume.file_key).where(Resume.file_key.in_(list(keys))).tuples()}
    return {"counts": counts, "keys": sorted(keys - still_used)}
