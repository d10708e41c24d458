"""What analytics erases when a candidate's data is deleted (app/privacy/deletion.execute_deletion calls `erase`
inside its transaction, before the candidate's phone is cleared, then rewrites the applications' facts with
`rollup.rewrite`).

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
from app.analytics.models import PerformanceImport, PerformanceRecord, SelfIdentification
from app.models import Application, Candidate


def _theirs(row, ids, references):
    if row.get("application_id") is not None:
        return row["application_id"] in ids
    return str(row.get("reference") or "").strip() in references


def erase(application_ids):
    """Delete what analytics stores about these applications; return {"counts": {...}, "keys": []}.
    Idempotent: a second call finds nothing to delete."""
    ids = set(application_ids)
    phones = {p for (p,) in Candidate.select(Candidate.phone).join(Application)
              .where(Application.id.in_(list(ids))).tuples() if p}
    references = phones | {str(i) for i in ids}
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
    return {"counts": counts, "keys": []}
