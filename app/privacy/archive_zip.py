"""Writing one data package: the export (export.build_export, unchanged) as 我的数据.json and 我的数据.html, and
every file still stored (each domain's `personal_data.files`) under readable Chinese folders, each file's path
written beside the export record that lists it ("file_in_archive"), so the page links to it by relative path.

Files are streamed from storage one at a time (`storage.open`, 1 MB at a time: a recording never sits in memory,
on local disk or S3 alike) into a zip file on this host's scratch folder; media already compressed is stored, the
rest deflated. The total is checked against the limit before anything is written.
"""
import contextlib
import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import PurePosixPath

from app.core import personal_data
from app.core.extensions import settings
from app.core.storage import get_storage
from app.privacy import export

JSON_NAME, HTML_NAME = "我的数据.json", "我的数据.html"
# Already compressed: stored as they are (deflating them again costs time and gains nothing).
STORED = {".webm", ".mp4", ".m4a", ".mp3", ".ogg", ".aac", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic",
          ".pdf", ".zip", ".docx", ".xlsx", ".pptx", ".rar", ".7z"}
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
COPY_BYTES = 1024 * 1024


class TooLarge(Exception):
    """The files add up to more than the limit: the package is not built (the reason says both sizes)."""

    def __init__(self, total, limit):
        super().__init__(f"{total} > {limit}")
        self.total, self.limit = total, limit


def safe_name(name, limit=80):
    """A file or folder name every unzip tool accepts: no separators or control characters, not hidden, at most
    `limit` characters (the extension kept)."""
    name = UNSAFE.sub("_", name or "").strip(" .") or "文件"
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    if len(name) > limit:
        suffix = suffix if len(suffix) <= 10 else ""
        name = stem[:limit - len(suffix)] + suffix
    return name


def _unique(path, taken):
    """`path`, or "name (2).ext" ... when another file already has it."""
    candidate, n = path, 1
    while candidate.lower() in taken:
        n += 1
        p = PurePosixPath(path)
        candidate = str(p.with_name(f"{p.stem} ({n}){p.suffix}"))
    taken.add(candidate.lower())
    return candidate


def plan(scope_, data):
    """[(path in the zip, storage key, size)] of every file still stored, each stored object once; the export
    records that list a file get its path ("file_in_archive"); files listed but gone are in data["archive"]."""
    storage = get_storage()
    ids = list(scope_.application_ids)
    entries = [f for module in personal_data.modules() if hasattr(module, "files") for f in module.files(ids)]
    applications = {a["id"]: (n, a) for n, a in enumerate(data["applications"], 1)}
    by_key, taken, files, missing = {}, {JSON_NAME.lower(), HTML_NAME.lower()}, [], []
    for entry in entries:
        number, application = applications[entry["application_id"]]
        path = by_key.get(entry["key"])
        if path is None:
            try:
                size = storage.size(entry["key"])
            except FileNotFoundError:
                missing.append(f"{entry['folder']}/{entry['name']}")
                continue
            folder = safe_name(entry["folder"])
            if len(applications) > 1:
                folder = f"{safe_name(f'应聘{number}-' + application['job']['title'], 40)}/{folder}"
            path = by_key[entry["key"]] = _unique(f"{folder}/{safe_name(entry['name'])}", taken)
            files.append((path, entry["key"], size))
        _annotate(_part(application, entry["part"]), entry["match"], path)
    data["archive"] = {"files": [{"path": p, "size_bytes": s} for p, _, s in files], "missing": missing}
    return files


def _part(application, part):
    if part in ("interviews", "messages"):
        return application[part]
    return [s["records"] for s in application["sections"] if s["key"] == part]


def _annotate(value, match, path):
    """Write `path` into the first record (at any depth) whose fields equal `match`; True when one was found."""
    if isinstance(value, dict):
        if "file_in_archive" not in value and all(value.get(k) == v for k, v in match.items()):
            value["file_in_archive"] = path
            return True
        return any(_annotate(v, match, path) for v in value.values() if isinstance(v, dict | list))
    if isinstance(value, list):
        return any(_annotate(v, match, path) for v in value)
    return False


def _info(path, now):
    info = zipfile.ZipInfo(path, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED if PurePosixPath(path).suffix.lower() in STORED else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write(scope_, out_path, limit_bytes):
    """Write the package of `scope_` to `out_path`; return how many files it holds. TooLarge before writing
    anything when the files add up to more than `limit_bytes`."""
    data = export.build_export(scope_)
    files = plan(scope_, data)
    total = sum(size for _, _, size in files)
    if total > limit_bytes:
        raise TooLarge(total, limit_bytes)
    storage = get_storage()
    now = dt.datetime.now()
    written = []
    with zipfile.ZipFile(out_path, "w", allowZip64=True) as zf:
        for path, key, size in files:
            try:
                with contextlib.closing(storage.open(key)) as src, \
                        zf.open(_info(path, now), "w", force_zip64=size > 2 ** 31) as dst:
                    shutil.copyfileobj(src, dst, COPY_BYTES)
                written.append(path)
            except FileNotFoundError:  # removed after the plan (retention): listed as missing, not linked
                data["archive"]["missing"].append(path)
        _unlink_gone(data, set(written))
        zf.writestr(_info(JSON_NAME, now), json.dumps(data, ensure_ascii=False, indent=2))
        zf.writestr(_info(HTML_NAME, now), export.render_html(data, company=settings["COMPANY_NAME"]))
    return len(written)


def _unlink_gone(data, written):
    """Drop the paths of files that vanished while the package was written (the page must not link to them)."""
    data["archive"]["files"] = [f for f in data["archive"]["files"] if f["path"] in written]

    def walk(value):
        if isinstance(value, dict):
            if value.get("file_in_archive") and value["file_in_archive"] not in written:
                del value["file_in_archive"]
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(data["applications"])
