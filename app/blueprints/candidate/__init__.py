"""The candidate H5 under /i/<token>."""
from app.blueprints.candidate.views import bp

__all__ = ["bp"]
