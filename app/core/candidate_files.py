"""Files candidates send (chat attachments, check and onboarding documents, resumes), streamed to whoever may see
them: one way, so every such file gets the same headers."""
import re
import unicodedata

from flask import send_file


def clean_filename(name):
    """A display name: no path, no control characters, at most 80 characters (never used as a path)."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    name = re.sub(r"\s+", " ", name)
    return (name or "附件")[-80:]


def send_stored_file(item, fileobj):
    """Stream a candidate's file: images inline (their type was detected from the bytes), everything else as a
    download; never sniffed, never run. `item` has `mime_type`, `kind` and `filename`: the sender's own name for
    it, cleaned here too (a resume's is stored as posted, and a line break in it made Content-Disposition a 500)."""
    response = send_file(fileobj, mimetype=item.mime_type, as_attachment=item.kind != "image",
                         download_name=clean_filename(item.filename), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
