"""What the web shell contributes: staff sign-in, the health probes, HR's and the managers' home pages."""
from app.core.domains import Domain
from app.web import admin, auth, health, manager

DOMAIN = Domain("web", blueprints=(health.bp, auth.bp, manager.bp, admin.bp))
