"""HR admin under /admin/: jobs (edited with versions, postings), the applications workbench, a test card."""
from app.blueprints.admin import applications, jobs  # noqa: F401 - their routes attach to bp
from app.blueprints.admin.views import bp

__all__ = ["bp"]
