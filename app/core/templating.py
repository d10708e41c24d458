"""Template filters shared by every page. Times go through app/core/localtime.py (one way, one zone setting)."""
from app.core.job_labels import job_choices, job_label
from app.core.localtime import local_iso, local_time, zone_label, zone_short
from app.core.text_limits import length as text_length


def file_size(n):
    """A size as people read it, rounded up (a file of a few bytes is "1 KB", never "0 KB"): "820 KB", "12.3 MB"."""
    if n < 1024 * 1024:
        return f"{-(-n // 1024)} KB"
    if n < 1024 ** 3:
        return f"{n / 1024 ** 2:.1f} MB"
    return f"{n / 1024 ** 3:.1f} GB"


def register(app):
    app.add_template_filter(file_size, "file_size")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_iso, "local_iso")
    app.add_template_filter(job_label, "job_label")
    app.add_template_filter(text_length, "text_length")
    app.add_template_global(job_choices, "job_choices")   # a job picker's options, told apart
    app.add_template_global(zone_label, "zone_label")
    app.add_template_global(zone_short, "zone_short")
