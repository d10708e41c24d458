"""What a domain's `personal_data.py` provides (declared as `Domain.personal_data`), and its helpers.

Every domain that stores personal data has a `personal_data.py` (its docstring lists every model with personal
data, what the export shows of it and what the deletion does with it, and why) with:

- export(application_ids) -> {application_id: [section, ...]}: what it stores about each application, as plain
  JSON-able sections for the candidate's export (app/privacy/export.py puts them under each application's
  "sections", in domain order; the HTML page renders any section the same way);
- optionally application_fields(application_ids) -> {application_id: {key: value}}: fields of the export's
  application object itself (the interview's "interviews", the conversation's "messages");
- optionally files(application_ids) -> [stored_file(...), ...]: the candidate's files still stored (the resume, a
  recording, an attachment...), for the data package (app/privacy/archive.py): the zip holds each under a readable
  Chinese folder and name and writes its path beside the export record that lists it (the record in `part`: a
  section's key, "interviews" or "messages", whose fields equal `match`);
- erase(application_ids) -> {"counts": {name: n}, "keys": [storage keys], "paths": [local files]}: run by the
  deletion job inside its transaction, in domain order (bottom to top: the analytics facts are rewritten last, from
  what the others left), before the record's own fields go (app/privacy/deletion.py).

A section: {"key": "resume", "title": "简历 Resume", "labels": {field: 中文标签}, "records": [{field: value}]};
`labels` names the fields of the records at any depth (nested dicts and lists of dicts included).
"""
from app.core import domains
from app.core.localtime import local_iso
from app.core.models import StaffUser

ACTORS = {"candidate": "你本人", "system": "系统", "privacy": "系统"}


def modules():
    """The registered domains' personal-data modules, bottom to top."""
    return [d.personal_data for d in domains.registered() if d.personal_data is not None]


def at(value):
    """A datetime (stored as naive UTC) as ISO text in the display zone with its offset
    ("2026-12-01T14:00:00+08:00"), a date as "2026-12-01"; None stays None. One helper: app/core/localtime.py."""
    return local_iso(value)


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


def stored_file(application_id, folder, name, key, part, match):
    """One stored file for the data package: put under `folder`/`name` (the package makes the name safe and
    unique), read from storage `key`, its path written into the export record of `part` whose fields equal
    `match`."""
    return {"application_id": application_id, "folder": folder, "name": name, "key": key, "part": part,
            "match": match}
