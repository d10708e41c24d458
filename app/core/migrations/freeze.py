"""Write live models as frozen model source for a migration step (`flask --app wsgi db freeze MODEL...`).

A step must never import a live model: the model changes later and the step would change with it. So a step carries
its own copy of each table it creates or rebuilds, made by this module once and then left alone. The copy keeps what
the database sees (column names, types, lengths, NULL, primary and foreign keys, unique and plain indexes) and the
constant defaults (used to fill a NOT NULL column a step adds); Python-only details (JSON conversion, callable
defaults, backrefs) are dropped.
"""
from __future__ import annotations

from peewee import AutoField, ForeignKeyField, TextField

# Field classes of the project that only differ from a peewee class in Python-side conversion.
_DB_EQUIVALENT = {"JSONField": "TextField"}


def _default(field):
    default = field.default
    if default is None or callable(default) and default not in (dict, list):
        return None
    if default in (dict, list):
        return repr("{}" if default is dict else "[]") if isinstance(field, TextField) else None
    return repr(default)


def _field_class(field):
    if isinstance(field, AutoField):
        return "IdField" if type(field).__name__ == "IdField" else "AutoField"
    name = type(field).__name__
    return _DB_EQUIVALENT.get(name, name)


def field_source(field, names: dict) -> str:
    """One frozen field: `name = Class(arg=...)`."""
    args = []
    if isinstance(field, ForeignKeyField):
        target = field.rel_model
        args.append("'self'" if target is field.model else names[target])
        args.append(f"column_name={field.column_name!r}")
        if field.rel_field.name != "id":
            args.append(f"field={field.rel_field.name!r}")
        if field.on_delete:
            args.append(f"on_delete={field.on_delete!r}")
        args.append("backref='+'")
    elif field.column_name != field.name:
        args.append(f"column_name={field.column_name!r}")
    if getattr(field, "max_length", None) and _field_class(field) == "CharField":
        args.append(f"max_length={field.max_length}")
    for attr in ("max_digits", "decimal_places"):
        if getattr(field, attr, None) is not None and type(field).__name__ == "DecimalField":
            args.append(f"{attr}={getattr(field, attr)}")
    if field.primary_key and not isinstance(field, AutoField):
        args.append("primary_key=True")
    if field.null:
        args.append("null=True")
    if field.unique:
        args.append("unique=True")
    elif field.index and not isinstance(field, ForeignKeyField):
        args.append("index=True")
    elif isinstance(field, ForeignKeyField) and not field.index:
        args.append("index=False")
    default = _default(field)
    if default is not None:
        args.append(f"default={default}")
    return f"    {field.name} = {_field_class(field)}({', '.join(args)})"


def model_source(model, names: dict) -> str:
    """One frozen model class."""
    meta = model._meta
    lines = [f"class {names[model]}(FrozenModel):"]
    lines += [field_source(f, names) for f in meta.sorted_fields]
    lines += ["", "    class Meta:", f"        table_name = {meta.table_name!r}"]
    plain = tuple(i for i in meta.indexes if isinstance(i, (list, tuple)))
    if plain:
        lines.append(f"        indexes = {plain!r}")
    return "\n".join(lines)


def _wrap(line: str, indent: str) -> str:
    """Break a long `name = Class(a, b, ...)` or `[a, b, ...]` line after commas (the project's 120 columns)."""
    if len(line) <= 116:
        return line
    out, current = [], ""
    for part in line.split(", "):
        piece = part if not current else current + ", " + part
        if len(piece) > 114 and current:
            out.append(current + ",")
            current = indent + part
        else:
            current = piece
    return "\n".join(out + [current])


def extra_index_sql(models) -> list[str]:
    """CREATE INDEX statements of indexes a model declares as expressions (e.g. partial indexes)."""
    out = []
    for model in models:
        for index in model._meta.indexes:
            if not isinstance(index, (list, tuple)):
                ctx = model._meta.database.get_sql_context()
                out.append(ctx.sql(model._schema._create_index(index, safe=False)).query()[0])
    return out


def stub_source(model) -> str:
    """A table a frozen model's foreign key points at, reduced to its primary key (enough to declare the key)."""
    pk = model._meta.primary_key
    field = "IdField()" if _field_class(pk) == "IdField" else f"{_field_class(pk)}(primary_key=True)"
    return (f"class {model.__name__}(FrozenModel):  # referenced only\n    {pk.name} = {field}\n\n"
            f"    class Meta:\n        table_name = {model._meta.table_name!r}")


def frozen_source(models, with_references=False) -> str:
    """The frozen classes of `models` (in create order) and the MODELS list, as Python source; with_references adds
    the tables their foreign keys point at as primary-key-only stubs (for a step that changes some tables)."""
    stubs = []
    if with_references:
        chosen = set(models)
        stubs = sorted({f.rel_model for m in models for f in m._meta.refs if f.rel_model not in chosen},
                       key=lambda m: m.__name__)
    names = {m: m.__name__ for m in list(models) + stubs}
    classes = [stub_source(m) for m in stubs]
    classes += ["\n".join(_wrap(line, " " * 8) for line in model_source(m, names).split("\n")) for m in models]
    used = sorted(({_field_class(f) for m in models for f in m._meta.sorted_fields}
                   | {_field_class(m._meta.primary_key) for m in stubs}) - {"IdField"})
    header = _wrap(f"from peewee import ({', '.join(used)})", " " * 20) + "\n\n"
    header += "from app.core.migrations.ops import FrozenModel, IdField\n"
    footer = _wrap("MODELS = [" + ", ".join(names[m] for m in models) + "]", " " * 10) + "\n"
    extra = extra_index_sql(models)
    if extra:
        footer += "EXTRA_SQL = [\n" + "".join(f"    {sql!r},\n" for sql in extra) + "]\n"
    return header + "\n\n" + "\n\n\n".join(classes) + "\n\n\n" + footer
