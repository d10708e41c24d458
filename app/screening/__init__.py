"""The front of the funnel: postings, applications with resumes, resume parsing and explained screening.

Pure code (no DB, no Flask): `resume_files` (bytes -> text), `resume_fields` (text -> fields), `skills`
(the synonym dictionary), `criteria` (a job's screening criteria), `matching` (criteria x resume -> verdicts
with evidence, a score). Services over the models: `intake`, `parsing`, `screen`, `workbench`, `job_editor`.
"""
