"""Template filters shared by every page. Times go through app/core/localtime.py (one way, one zone setting)."""
from app.core.localtime import local_iso, local_time, zone_label, zone_short


def register(app):
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_iso, "local_iso")
    app.add_template_global(zone_label, "zone_label")
    app.add_template_global(zone_short, "zone_short")
