"""The mini-program JSON API, /mp/api/v1."""
from mini_program_api.views import bp

__all__ = ["bp"]
