"""The one list of domain packages that store personal data, used by both the export and the deletion.

Each module in DOMAINS (`personal_data.py` of app/screening, app/process, app/analytics, app/notifications; its
docstring lists every model with personal data, what the export shows of it and what the deletion does with it, and
why) has:

- export(application_ids) -> {application_id: [section, ...]}: what it stores about each application, as plain
  JSON-able sections for the candidate's export (`app/privacy/export.build_export` puts them under each
  application's "sections", in DOMAINS order; the HTML page renders any section the same way);
- erase(application_ids) -> {"counts": {name: n}, "keys": [storage keys of files to remove]}: run by the deletion
  job inside its transaction (`app/privacy/deletion.execute_deletion`).

A section: {"key": "resume", "title": "简历 Resume", "labels": {field: 中文标签}, "records": [{field: value}]};
`labels` names the fields of the records at any depth (nested dicts and lists of dicts included).

The modules are imported when used, like every other domain module app/privacy uses (no import cycle, and
app/privacy loads without them).
"""
import importlib

from app.models import StaffUser

DOMAINS = ("app.screening.personal_data", "app.process.personal_data", "app.analytics.personal_data",
           "app.notifications.personal_data")

ACTORS = {"candidate": "你本人", "system": "系统", "privacy": "系统"}


def modules():
    return [importlib.import_module(name) for name in DOMAINS]


def at(value):
    """A datetime (naive UTC) or a date as ISO text; None stays None."""
    if value is None:
        return None
    text = value.isoformat()
    return text + "Z" if hasattr(value, "hour") else text


def section(key, title, labels, records):
    """A section of the export; None when there is nothing to show (the caller leaves it out)."""
    return {"key": key, "title": title, "labels": labels, "records": records} if records else None


def add(out, application_id, item):
    """Append a section (skipping None) to out[application_id]."""
    if item is not None:
        out.setdefault(application_id, []).append(item)


def staff_names(userids):
    """{userid: display name} from sign-ins (no WeCom call while exporting); a member who never signed in shows
    as their userid, as in the rest of the export. Nothing else about a staff member goes into an export."""
    userids = {u for u in userids if u}
    names = {row.userid: row.name for row in StaffUser.select(StaffUser.userid, StaffUser.name)
             .where(StaffUser.userid.in_(list(userids))) if row.name} if userids else {}
    return {u: ACTORS.get(u) or names.get(u) or u for u in userids}
