"""What analytics stores about a candidate: `export` for their data export, `erase` for the deletion (declared as its
`Domain.personal_data`, app/core/personal_data.py; deletion.execute_deletion calls `erase` inside its transaction,
before the candidate's phone is cleared, then rewrites the applications' facts with `rollup.rewrite`).

Export:
- "自愿填写的身份信息 Self-identification": the answers (gender, age band, extra questions), the consent version,
  when.
- "绩效记录 Performance" (a hire's): each period's rating and KPIs; and the rows of performance files HR
  uploaded that are about them (the same rule as `erase`: matched to their application, or unmatched with their
  application number or phone as the reference), with the file's status and date, not its name or uploader.
- The rollup facts (ApplicationFact, ScoreFact, ScorecardFact, ScorecardDimensionFact) are not listed: they are
  copies of what the export already holds (stages and times, channel, the report's scores, the scorecards, the
  self-identification).

Erase:

- SelfIdentification: deleted (gender, age band, extra answers: the most sensitive rows analytics holds).
- PerformanceRecord: deleted (the hire's ratings and KPIs).
- PerformanceImport: the file's rows about the person are removed from `rows` (their rating, KPIs and the
  reference HR typed: the application number or the phone); the import itself (file name, who, when) stays.
  A row is the person's when it matched one of the applications, or when it matched none and its reference is
  one of their application numbers or the candidate's phone (e.g. not hired yet, or a phone with two hires).
- ApplicationFact, ScoreFact, ScorecardFact, ScorecardDimensionFact: not touched here; the caller rewrites them
  from what is left (no report total, no scores, no scorecards, no self-identification; the stage trail and the
  channel stay: the funnel keeps counting the application, anonymously).
- RollupState, WeightChange, AnalyticsFlag, ImpactSnapshot hold aggregates only.
"""
from app.analytics import rollup
from app.analytics.models import ImportStatus, PerformanceImport, PerformanceRecord, SelfIdentification
from app.core import phones
from app.core.models import Application, Candidate
from app.core.personal_data import add, at, section

SELF_ID_LABELS = {"gender": "性别", "age_band": "年龄段", "extra": "其他回答", "consent_version": "同意书版本",
                  "answered_at": "填写于"}
PHONE_KEY = "phone:"
PERFORMANCE_LABELS = {"period": "考核期", "rating": "绩效评分", "kpis": "指标", "recorded_at": "记录于",
                      "line": "行号", "reference": "对应方式",
                      "file_status": "文件状态", "uploaded_at": "上传于", "error": "匹配问题"}


def _reference(row, references):
    """The key of a file row's reference among `references`: an application number as typed, a phone (typed in any
    format in HR's file) as PHONE_KEY + its stored form (app/core/phones.py), as the candidate's phone is kept."""
    ref = str(row.get("reference") or "").strip()
    return ref if ref in references else PHONE_KEY + phones.canonical(ref)


def _theirs(row, ids, references):
    if row.get("application_id") is not None:
        return row["application_id"] in ids
    return _reference(row, references) in references


def _references(ids):
    stored = {(a, p) for (a, p) in Candidate.select(Application.id, Candidate.phone).join(Application)
              .where(Application.id.in_(list(ids))).tuples() if p}
    return {str(i): i for i in ids} | {PHONE_KEY + p: a for a, p in stored}


def export(application_ids):
    """{application_id: [sections]}: the self-identification and the performance records and import rows."""
    ids = list(application_ids)
    out = {}
    # Read as dicts: tests/analytics/test_self_id.py allows attribute reads of the answers only in their readers.
    for s in SelfIdentification.select().where(SelfIdentification.application.in_(ids)).dicts():
        add(out, s["application"], section("self_identification", "自愿填写的身份信息 Self-identification",
                                           SELF_ID_LABELS, [{
                                               "gender": s["gender"] or "不愿透露",
                                               "age_band": s["age_band"] or "不愿透露", "extra": s["extra"],
                                               "consent_version": s["consent_version"],
                                               "answered_at": at(s["created_at"])}]))
    references = _references(ids)
    rows = {}
    for item in PerformanceImport.select().order_by(PerformanceImport.id):
        for r in item.rows or []:
            if not _theirs(r, set(ids), set(references)):
                continue
            app_id = r["application_id"] if r.get("application_id") is not None else references[
                _reference(r, references)]
            rows.setdefault(app_id, []).append({
                "line": r.get("line"), "reference": r.get("reference"), "period": r.get("period"),
                "rating": r.get("rating"), "kpis": r.get("kpis"), "error": r.get("error", ""),
                "file_status": ImportStatus.LABELS.get(item.status, item.status), "uploaded_at": at(item.created_at)})
    records = {}
    for p in PerformanceRecord.select().where(PerformanceRecord.application.in_(ids)).order_by(
            PerformanceRecord.period):
        records.setdefault(p.application_id, []).append({"period": p.period, "rating": p.rating, "kpis": p.kpis,
                                                         "recorded_at": at(p.created_at)})
    for app_id in ids:
        add(out, app_id, section("performance", "绩效记录 Performance", PERFORMANCE_LABELS, records.get(app_id)))
        add(out, app_id, section("performance_file_rows", "HR 上传的绩效文件中关于你的行 Performance file rows",
                                 PERFORMANCE_LABELS, rows.get(app_id)))
    return out


def erase(application_ids):
    """Delete what analytics stores about these applications; return {"counts": {...}, "keys": []}.
    Idempotent: a second call finds nothing to delete."""
    ids = set(application_ids)
    stored = {PHONE_KEY + p for (p,) in Candidate.select(Candidate.phone).join(Application)
              .where(Application.id.in_(list(ids))).tuples() if p}
    references = stored | {str(i) for i in ids}
    dropped = 0
    for item in PerformanceImport.select(PerformanceImport.id, PerformanceImport.rows):
        rows = item.rows or []
        kept = [r for r in rows if not _theirs(r, ids, references)]
        if len(kept) != len(rows):
            PerformanceImport.update(rows=kept).where(PerformanceImport.id == item.id).execute()
            dropped += len(rows) - len(kept)
    counts = {
        "self_identification": SelfIdentification.delete().where(
            SelfIdentification.application.in_(list(ids))).execute(),
        "performance_records": PerformanceRecord.delete().where(
            PerformanceRecord.application.in_(list(ids))).execute(),
        "performance_import_rows": dropped,
    }
    # The facts copy the report's total and scores, the scorecards and the self-identification; the rollup's
    # high-water marks do not see a deletion, so they are rewritten now from what the other domains left (analytics
    # erases after them: it is registered above them).
    rollup.rewrite(list(ids))
    return {"counts": counts, "keys": []}
