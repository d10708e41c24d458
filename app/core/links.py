"""Absolute links sent outside the web request (cards, messages, QR codes): built here and nowhere else.

Jobs run without a request, so these join PUBLIC_BASE_URL with the path the blueprint serves.
"""
from app.core.extensions import settings


def absolute(path):
    return f"{settings['PUBLIC_BASE_URL'].rstrip('/')}{path}"


def _link(path, doc):
    """A function that makes the absolute link of `path` (its {} filled in order)."""
    def link(*parts):
        return absolute(path.format(*parts))
    link.__doc__ = f"{doc} ({path})"
    return link


interview_url = _link("/i/{}", "The candidate's H5 (app/interview/views.py), by token")
status_url = _link("/i/{}/status", "The candidate's status page and conversation (app/conversation/views.py)")
report_url = _link("/m/reports/{}", "The manager's report page (app/interview/staff_views.py)")
application_url = _link("/m/applications/{}", "The staff application page (app/web/manager.py)")
conversation_url = _link("/m/applications/{}#conversation", "The conversation panel of the staff application page")
posting_url = _link("/p/{}", "A job's public posting page for one shared link (app/screening/views.py)")
applied_url = _link("/p/applied/{}", "The applicant's confirmation page (app/screening/views.py)")
analytics_url = _link("/admin/analytics", "HR's recruiting analytics (app/analytics/views.py)")
