"""Absolute links sent outside the web request (cards, messages, QR codes): built here and nowhere else.

Jobs run without a request, so these join PUBLIC_BASE_URL with the path the blueprint serves.
"""
from app.core.extensions import settings


def absolute(path):
    return f"{settings['PUBLIC_BASE_URL'].rstrip('/')}{path}"


def interview_url(token):
    """The candidate's H5 (app/blueprints/candidate: /i/<token>)."""
    return absolute(f"/i/{token}")


def report_url(report_id):
    """The manager's report page (app/blueprints/reports: /m/reports/<id>)."""
    return absolute(f"/m/reports/{report_id}")


def application_url(application_id):
    """The staff application page (app/blueprints/manager: /m/applications/<id>)."""
    return absolute(f"/m/applications/{application_id}")


def status_url(token):
    """The candidate's status page and conversation (app/conversation/views.py: /i/<token>/status)."""
    return absolute(f"/i/{token}/status")


def conversation_url(application_id):
    """The conversation panel of the staff application page."""
    return absolute(f"/m/applications/{application_id}#conversation")

def posting_url(code):
    """A job's public posting page for one shared link (app/blueprints/postings: /p/<code>)."""
    return absolute(f"/p/{code}")


def applied_url(token):
    """The applicant's confirmation page (app/blueprints/postings: /p/applied/<token>)."""
    return absolute(f"/p/applied/{token}")

def analytics_url():
    """HR's recruiting analytics (app/analytics/views.py: /admin/analytics)."""
    return absolute("/admin/analytics")
