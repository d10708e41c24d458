"""What the front of the funnel contributes: HR's job pages and applications workbench, the public postings, resume
parsing and screening as jobs, the candidate's screening data for export and erasure, its commands."""
from app.core.domains import Domain
from app.screening import cli, job_views, personal_data, staff_views, views, workbench_views
from app.screening.models import FUNNEL_MODELS
from app.screening.parsing import PARSE_RESUME, REPARSE_RESUMES
from app.screening.screen import SCREEN_APPLICATION, SCREEN_JOB

DOMAIN = Domain(
    "screening",
    models=tuple(FUNNEL_MODELS),
    blueprints=(job_views.bp, workbench_views.bp, staff_views.bp, views.bp),
    jobs=(PARSE_RESUME, SCREEN_APPLICATION, SCREEN_JOB, REPARSE_RESUMES),
    personal_data=personal_data,
    cli=cli.register,
)
