"""HR admin under /admin/ (minimal: jobs and applications with stages, a test card)."""
from app.blueprints.admin.views import bp

__all__ = ["bp"]
