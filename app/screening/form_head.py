"""The text fields at the head of a multipart form that was refused as too large (413), so the posting page can
show them again. Werkzeug refuses such a request before reading any of it; the fields the page puts before the
file input (name, phone) arrive first, so a bounded read of the body's head holds them. The file and what follows
it are not read (the page's script restores those from sessionStorage)."""
from flask import request
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

HEAD_BYTES = 64 * 1024


def fields_before_the_file():
    """{name: value} of the form fields before the first file part; {} when there are none or the head is bad."""
    content_type, options = parse_options_header(request.headers.get("Content-Type", ""))
    boundary = options.get("boundary")
    if content_type != "multipart/form-data" or not boundary:
        return {}
    try:
        head = request.environ["wsgi.input"].read(min(HEAD_BYTES, request.content_length or 0))
        decoder = MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=HEAD_BYTES)
        decoder.receive_data(head)
        fields, name, parts = {}, None, []
        event = decoder.next_event()
        while not isinstance(event, (NeedData, Epilogue, File)):
            if isinstance(event, Field):
                name, parts = event.name, []
            elif isinstance(event, Data) and name is not None:
                parts.append(event.data)
                if not event.more_data:
                    fields[name] = b"".join(parts).decode("utf-8", "replace")[:200]
                    name = None
            event = decoder.next_event()
        return fields
    except (ValueError, OSError):  # a head that is not a well-formed form: show the empty form
        return {}
