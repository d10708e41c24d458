"""Manager pages under /m/: my applications, one application with its audit trail and notes."""
from app.blueprints.manager.views import bp

__all__ = ["bp"]
