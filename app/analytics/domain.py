"""What recruiting analytics contributes: HR's dashboard, the candidate's optional self-identification page, the
daily rollup-flags-snapshot job, its data for export and erasure, its commands."""
from app.analytics import candidate_views, cli, personal_data, rollup, views
from app.analytics.daily import ANALYTICS_DAILY
from app.analytics.models import ANALYTICS_MODELS
from app.core.domains import Domain, StatusSection

DOMAIN = Domain(
    "analytics",
    models=tuple(ANALYTICS_MODELS),
    blueprints=(candidate_views.bp, views.bp),
    jobs=(ANALYTICS_DAILY,),
    schedule=((ANALYTICS_DAILY, 24 * 3600),),
    personal_data=personal_data,
    report_rewritten=rollup.rewrite,
    status_section=StatusSection("analytics/_self_id_link.html"),
    cli=cli.register,
)
