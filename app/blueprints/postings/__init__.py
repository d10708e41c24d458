"""Public job postings (/p/<code>): read the job, apply with a resume, see what happens next."""
from app.blueprints.postings.views import bp

__all__ = ["bp"]
