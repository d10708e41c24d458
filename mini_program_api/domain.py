"""What the mini-program API contributes: /mp/api/v1 (the interview token authenticates it, not a form token)."""
from app.core.domains import Domain
from mini_program_api import bp

DOMAIN = Domain("mini_program_api", blueprints=(bp,), csrf_exempt=(bp,))
