"""Files candidates send (chat attachments, check and onboarding documents, resumes), streamed to whoever may see
them: one way, so every such file gets the same headers."""
from flask import send_file


def send_stored_file(item, fileobj):
    """Stream a candidate's file: images inline (their type was detected from the bytes), everything else as a
    download; never sniffed, never run. `item` has `mime_type`, `kind` and `filename`."""
    response = send_file(fileobj, mimetype=item.mime_type, as_attachment=item.kind != "image",
                         download_name=item.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
