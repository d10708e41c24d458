"""Check API requests and answers against the OpenAPI document of /mp/api/v1 (jsonschema is not installed: this
validates the subset of JSON Schema the document uses: $ref, type and type lists, enum, properties, required,
items, oneOf, minimum, maxLength, maxItems, pattern and the date-time format).

Strict by default: a property the schema does not name is an error too, so a field added to an answer without
documenting it fails the test that walks the API.
"""
import datetime as dt
import re

from mini_program_api.openapi import build_document

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
         "number": (int, float), "integer": int}


def _is(value, kind):
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, TYPES[kind])


def _date_time(value):
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return value.endswith("Z") or "+" in value[10:]


def errors(value, schema, doc, where="$", strict=True):
    """What is wrong with `value` against `schema` (a list of "path: reason"; empty when it conforms)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return errors(value, doc["components"]["schemas"][name], doc, where, strict)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not errors(value, s, doc, where, strict)]
        return [] if len(matching) == 1 else [f"{where}: matches {len(matching)} of oneOf, not exactly one"]
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, kind) for kind in kinds):
            return [f"{where}: {value!r:.60} is not {'/'.join(kinds)}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r:.60} not in {schema['enum']}"]
    found = []
    if isinstance(value, dict):
        props = schema.get("properties", {})
        found += [f"{where}: missing {key}" for key in schema.get("required", ()) if key not in value]
        for key, item in value.items():
            if key in props:
                found += errors(item, props[key], doc, f"{where}.{key}", strict)
            elif strict and "properties" in schema:
                found.append(f"{where}: {key} is not documented")
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            found.append(f"{where}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            found += errors(item, schema.get("items", {}), doc, f"{where}[{i}]", strict)
    if isinstance(value, int | float) and not isinstance(value, bool) and value < schema.get("minimum", value):
        found.append(f"{where}: {value} < minimum {schema['minimum']}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            found.append(f"{where}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: {value!r:.60} does not match {schema['pattern']}")
        if schema.get("format") == "date-time" and not _date_time(value):
            found.append(f"{where}: {value!r:.60} is not an RFC 3339 date-time")
    return found


class Document:
    """The document, and the operations a test answered against it (path template, method, status)."""

    def __init__(self, doc=None):
        self.doc = doc or build_document()
        self.seen = set()

    def operation(self, path, method):
        """(template, operation) of a concrete path such as /uploads/ab12.../chunks/0; AssertionError if none."""
        for template, ops in self.doc["paths"].items():
            pattern = "^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path) and method in ops:
                return template, ops[method]
        raise AssertionError(f"{method.upper()} {path} is not in the document")

    def check_request(self, path, method, body):
        """The JSON body a test sends conforms to the operation's requestBody schema."""
        _, op = self.operation(path, method)
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        problems = errors(body, schema, self.doc)
        assert not problems, (method, path, problems)

    def check(self, res, path, method):
        """The answer's status is documented for the operation and its JSON body conforms to that response's
        schema; return the body."""
        template, op = self.operation(path, method)
        status = str(res.status_code)
        assert status in op["responses"], (method.upper(), path, status, res.get_json(silent=True))
        self.seen.add((template, method, status))
        content = op["responses"][status].get("content", {}).get("application/json")
        body = res.get_json(silent=True)
        if content is not None:
            assert res.mimetype == "application/json", (method, path, res.mimetype)
            problems = errors(body, content["schema"], self.doc)
            assert not problems, (method.upper(), path, status, problems)
        return body
