"""Request-level guards against crafted input, in one place for every endpoint.

- No NUL character in the path, the query string, form fields or upload file names: PostgreSQL refuses NUL in
  text ("A string literal cannot contain NUL"), so such a value reached the database and came back as a 500.
- JSON bodies are read by one loader (Flask's JSON provider, used by every `request.get_json`): nesting deeper
  than MAX_JSON_DEPTH, or a NUL anywhere in a string or key, is a 400. Python's json module recurses per level,
  so 5,000 nested brackets raised RecursionError (a 500) on every JSON endpoint. NaN and Infinity, which JSON
  does not have but Python's json module reads, are a 400 too: a NaN `seconds` reached a NOT NULL column as NULL
  (a 500 on /mp/api/v1/questions/<id>/page-hidden).

- A urlencoded form over MAX_FORM_MEMORY_SIZE (config MAX_FORM_BYTES, 2 MB) is a 413 before it is read. Werkzeug
  bounds only a multipart form's text fields by it (each); a urlencoded one was bounded by the whole request's cap
  alone (MAX_REQUEST_BYTES, 8 MB). With this, no field of any form holds more characters than MAX_FORM_BYTES, so a
  refused form's draft (app/core/forms.typed) keeps every field whole. A paste of up to about 230,000 Chinese
  characters (9 bytes each, urlencoded) reaches the box's own limit, which refuses it whole and gives it back.

Each other refusal is a 400 in the endpoint's own format (JSON under the APIs, the error page elsewhere), through the
AppError handler.
"""
import json

from flask import current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import RequestEntityTooLarge

from app.core.access import FORM_TYPES
from app.core.errors import BadRequest

# Our JSON bodies are at most three levels deep ({"attachment_ids": [1]}); 32 leaves room for any client.
MAX_JSON_DEPTH = 32


def nul_refused():
    return BadRequest("请求含有空字符(NUL),已拒绝 The request contains a NUL character", code="nul_character")


def json_too_deep():
    return BadRequest(f"JSON 嵌套层数过多(最多 {MAX_JSON_DEPTH} 层) JSON nested too deeply", code="json_too_deep")


def not_json_constant(name):
    """parse_constant of the loader: NaN, Infinity and -Infinity are not JSON."""
    raise BadRequest(f"JSON 不能含 {name} The body contains {name}, which is not JSON", code="invalid_json")


def check_json(value):
    """Walk a decoded JSON value without recursion: refuse deep nesting and NUL characters."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise nul_refused()
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise json_too_deep()
        if isinstance(item, dict):
            for key, child in item.items():
                if "\x00" in key:
                    raise nul_refused()
                stack.append((child, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in item)


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with a depth limit and no NUL on the way in."""

    def loads(self, s, **kwargs):
        try:
            value = json.loads(s, parse_constant=not_json_constant, **kwargs)
        except RecursionError:
            raise json_too_deep() from None
        check_json(value)
        return value


def _has_nul(*values):
    return any("\x00" in value for value in values if isinstance(value, str))


def refuse_nul():
    """before_request: a NUL in the path, the query, a form field or a file name is a 400."""
    if _has_nul(request.path) or any(_has_nul(k, v) for k, v in request.args.items(multi=True)):
        raise nul_refused()
    if request.mimetype in FORM_TYPES:  # other bodies (chunks, callbacks, JSON) are read by their own views
        if any(_has_nul(k, v) for k, v in request.form.items(multi=True)):
            raise nul_refused()
        if any(_has_nul(k, f.filename) for k, f in request.files.items(multi=True)):
            raise nul_refused()


def bound_form():
    """before_request: a urlencoded form longer than MAX_FORM_MEMORY_SIZE is a 413 (the error page says what to do)."""
    limit = current_app.config["MAX_FORM_MEMORY_SIZE"]
    if request.mimetype == "application/x-www-form-urlencoded" and limit is not None \
            and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def register(app):
    app.json = GuardedJSONProvider(app)
    # First of the before_request hooks: nothing else reads a value before it is checked (nor a form its size).
    app.before_request_funcs.setdefault(None, [])[:0] = [bound_form, refuse_nul]
