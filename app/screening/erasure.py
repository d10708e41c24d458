"""What the funnel erases when a candidate's data is deleted (app/privacy/deletion.execute_deletion calls `erase`
inside its transaction, before the candidate's own fields are cleared).

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
from app.screening.models import Intake, Resume, Screening


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
