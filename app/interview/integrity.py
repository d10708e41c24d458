"""Integrity checks of one interview: what was checked, what was found, said in plain Chinese.

Face checks come from the video worker (a face, one face, the same person). The scorer adds two: an answer that
reads like another question's (第4题的回答更像在回答第2题) and a transcript too unreliable to score. The rest needs
no model: answers that repeat each other (every pair, not only the first), answers far shorter than asked or
silent, an answer restarted after a reload, the page left during recording (the H5 reports it), and an audio-only
interview (no face check possible). The report shows every check with its result; the card says 未发现异常 only
when checks ran and found nothing.
"""
from app.interview import biometrics
from app.interview.models import QuestionStart

# A flag's weight when picking the one the card shows (higher first).
SEVERITY = {"different_person": 90, "multiple_faces": 80, "duplicate_answers": 70, "page_hidden": 60,
            "answer_mismatch": 55, "no_face": 50, "no_speech": 45, "unreliable_transcript": 42, "short_answer": 40,
            "restarted": 30, "analysis_failed": 20}
FACE_CODES = ("no_face", "multiple_faces", "different_person")   # the flags the face check writes
DUPLICATE_SIMILARITY = 0.7   # share of character trigrams two answers have in common
DUPLICATE_MIN_CHARS = 15     # shorter answers are too short to call copies
SHORT_SHARE = 0.25           # an answer shorter than this share of its answer time ...
SHORT_SECONDS = 15           # ... and than this many seconds is "much shorter than asked"


def _trigrams(text):
    text = "".join(ch for ch in text if not ch.isspace() and ch not in "，。、！？,.!?；;：:")
    return {text[i:i + 3] for i in range(len(text) - 2)}


def similarity(a, b):
    """Jaccard similarity of the character trigrams of two transcripts (0..1)."""
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def _flag(code, number, message):
    return {"code": code, "question": number - 1, "message": message, "severity": SEVERITY.get(code, 10)}


def _duplicates(items):
    flags = []
    for i, (n1, text1) in enumerate(items):
        for n2, text2 in items[i + 1:]:
            if min(len(text1), len(text2)) < DUPLICATE_MIN_CHARS:
                continue
            share = similarity(text1, text2)
            if share >= DUPLICATE_SIMILARITY:
                message = f"第{n1}题与第{n2}题的回答几乎相同（相同内容约 {share:.0%}）"
                flags.append(_flag("duplicate_answers", n2, message))
    return flags


def _scoring(answer, number):
    """What the scorer noticed: an answer told for another question of the interview (it earned no topic credit
    there), and a transcript too unreliable to score (the scorer abstained)."""
    scores = answer.scores or {}
    flags = []
    mismatch = scores.get("mismatch")
    if mismatch and mismatch.get("question") is not None:
        flags.append(_flag("answer_mismatch", number, mismatch.get("message")
                           or f"第{number}题的回答更像在回答第{mismatch['question'] + 1}题"))
    check = scores.get("reliability") or {}
    if check.get("reliable") is False and ((answer.transcript or {}).get("text") or "").strip():
        flags.append(_flag("unreliable_transcript", number, f"第{number}题{check.get('reason', '无法可靠评分')}"))
    return flags


def _timing(answer, number, start):
    flags = []
    text = ((answer.transcript or {}).get("text") or "").strip()
    limit = answer.asked.answer_seconds
    if not text:
        flags.append(_flag("no_speech", number, f"第{number}题未识别到说话内容（录音 {answer.duration_s:.0f} 秒）"))
    elif answer.duration_s < min(SHORT_SECONDS, SHORT_SHARE * limit):
        flags.append(_flag("short_answer", number,
                           f"第{number}题回答仅 {answer.duration_s:.0f} 秒，题目作答时间 {limit} 秒"))
    if start is not None and start.recording_restarts:
        flags.append(_flag("restarted", number, f"第{number}题录制中页面被刷新或关闭，按剩余时间重录了 "
                           f"{start.recording_restarts} 次（回答可能不完整）"))
    if start is not None and start.hidden_count:
        flags.append(_flag("page_hidden", number, f"第{number}题录制中离开答题页面 {start.hidden_count} 次，"
                           f"共 {start.hidden_seconds:.0f} 秒"))
    return flags


def _face(answer, number):
    video = answer.video or {}
    if video.get("skipped") or not video:
        return None, []
    # The worker's message is "中文 / English" (stored no-face ones "…秒）/ English"): the report is Chinese only.
    return True, [_flag(f["code"], number, f"第{number}题" + f["message"].split("/ ")[0].rstrip())
                  for f in video.get("flags", [])]


def check_interview(interview, answers, unanalysed=()):
    """{"checks": [{code, label, ran, found, note}], "flags": [...], "audio_only": bool, "line": str}.

    `unanalysed`: the questions whose recording is stored but could not be analysed (a system failure, not the
    candidate's): each gets an `analysis_failed` flag, so the report says why that question has no score."""
    answers = sorted(answers, key=lambda a: a.asked.position)
    starts = {(s.question_id, s.attempt): s for s in
              QuestionStart.select().where(QuestionStart.interview == interview.id)}
    flags, face_ran = [], False
    for answer in answers:
        number = answer.asked.position + 1
        flags += _timing(answer, number, starts.get((answer.question_id, answer.attempt)))
        flags += _scoring(answer, number)
        ran, face_flags = _face(answer, number)
        face_ran = face_ran or bool(ran)
        flags += face_flags
    for question in unanalysed:
        number = question.position + 1
        flags.append(_flag("analysis_failed", number, f"第{number}题录音已保存，但系统未能完成分析（非候选人原因），"
                           "本题未计入总分"))
    flags += _duplicates([(a.asked.position + 1, ((a.transcript or {}).get("text") or "").strip())
                          for a in answers])
    audio_only = bool(interview.audio_only) or not any(a.has_video for a in answers)
    flags.sort(key=lambda f: (-f["severity"], f["question"]))
    found = {}
    for f in flags:
        found[f["code"]] = found.get(f["code"], 0) + 1
    checks = [
        {"code": "face", "label": "人脸核验（有人脸、仅一人、同一人）", "ran": face_ran,
         "found": sum(found.get(c, 0) for c in FACE_CODES),
         "note": "" if face_ran else _no_face_check(answers, audio_only)},
        {"code": "duplicate_answers", "label": "各题回答是否雷同", "ran": len(answers) > 1,
         "found": found.get("duplicate_answers", 0), "note": ""},
        {"code": "answer_mismatch", "label": "回答是否对得上题目", "ran": len(answers) > 1,
         "found": found.get("answer_mismatch", 0), "note": ""},
        {"code": "length", "label": "回答时长与是否有声音", "ran": bool(answers),
         "found": found.get("no_speech", 0) + found.get("short_answer", 0), "note": ""},
        {"code": "restarted", "label": "录制中断重录", "ran": bool(answers), "found": found.get("restarted", 0),
         "note": ""},
        {"code": "page_hidden", "label": "录制中离开答题页面", "ran": bool(answers),
         "found": found.get("page_hidden", 0), "note": ""},
    ]
    return {"checks": checks, "flags": flags, "audio_only": audio_only, "line": summary_line(flags, audio_only)}


def _no_face_check(answers, audio_only):
    """Why the report has no face check: a withdrawal of biometric consent erased its results (or stopped it), or
    nothing was filmed."""
    if any((a.video or {}).get("skipped") == biometrics.WITHDRAWN for a in answers):
        return biometrics.WITHDRAWN_NOTE
    return "仅音频作答，未做人脸核验" if audio_only else "未做人脸核验"


def without_faces(checks):
    """A report's checks once biometric consent was withdrawn after it was built: no face flag left, the face check
    not run and saying why, the interview counted as audio only (as a report built after the withdrawal reads)."""
    flags = [f for f in checks.get("flags", []) if f.get("code") not in FACE_CODES]
    rows = [dict(c, ran=False, found=0, note=biometrics.WITHDRAWN_NOTE) if c.get("code") == "face" else c
            for c in checks.get("checks", [])]
    return {**checks, "checks": rows, "flags": flags, "audio_only": True, "line": summary_line(flags, True)}


def summary_line(flags, audio_only):
    """One line for the card: 未发现异常 only when the checks found nothing, else the count and the top one."""
    prefix = "仅音频 · " if audio_only else ""
    if not flags:
        return prefix + "未发现异常"
    return f"{prefix}{len(flags)} 项提示：{flags[0]['message']}"
