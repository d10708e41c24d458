"""What privacy operations contribute: the candidate's export and deletion pages, HR's requests page and access
log, the deletion job, the retention purge on a schedule, its commands."""
from app.core.domains import Domain, StatusSection
from app.privacy import archive, cli, deletion, views
from app.privacy.archive import BUILD_ARCHIVE
from app.privacy.deletion import EXECUTE_DELETION
from app.privacy.hr_reminders import REMIND_HR
from app.privacy.models import PRIVACY_MODELS
from app.privacy.retention import PURGE_RETENTION

DOMAIN = Domain(
    "privacy",
    models=tuple(PRIVACY_MODELS),
    blueprints=(views.candidate_bp, views.admin_bp),
    jobs=(EXECUTE_DELETION, PURGE_RETENTION, REMIND_HR, BUILD_ARCHIVE),
    schedule=((PURGE_RETENTION, 6 * 3600), (REMIND_HR, 300)),
    sweeps=(deletion.resume_stranded, archive.resume_stranded),
    status_section=StatusSection("privacy/status_section.html", views.my_data_state, place="bottom",
                                 applicant=True),
    final_page=views.final_page,
    erased=deletion.erasing,
    candidate_joined=deletion.move_requests,
    cli=cli.register,
)
