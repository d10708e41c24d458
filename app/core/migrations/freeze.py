"""Frozen tables: live models written down as data for a migration step, and models built back from that data.

A step must never import a live model: the model changes later and the step would change with it. So a step carries
its own copy of each table it creates or rebuilds, as JSON beside it (`NNNN_name.json`, written once by
`flask --app wsgi db freeze MODEL...` and then left alone). The copy keeps what the database sees (column names,
types, lengths, NULL, primary and foreign keys with ON DELETE, unique and plain indexes, indexes written as SQL) and
the constant defaults (to fill a NOT NULL column a step adds); Python-only details (JSON conversion, callable
defaults, backrefs) are dropped. `models(spec)` turns the copy back into peewee models bound to nothing.
"""
from __future__ import annotations

import json

import peewee
from peewee import AutoField, ForeignKeyField, Model, TextField

from app.core.fields import IdField

# Field classes a frozen column may have; a project field that differs from one only in Python-side conversion is
# written as that one (JSONField is TEXT).
FIELDS = {"IdField": IdField, **{name: getattr(peewee, name) for name in (
    "AutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "DateTimeField", "DoubleField",
    "FloatField", "ForeignKeyField", "IntegerField", "TextField")}}
_DB_EQUIVALENT = {"JSONField": "TextField"}


class FrozenModel(Model):
    """Base of the frozen models: bound to the database by the step's operations when it runs."""

    class Meta:
        legacy_table_names = False


def _kind(field):
    if isinstance(field, AutoField):
        return "IdField" if isinstance(field, IdField) else "AutoField"
    name = type(field).__name__
    return _DB_EQUIVALENT.get(name, name)


def _default(field):
    default = field.default
    if default in (dict, list):
        return ("{}" if default is dict else "[]") if isinstance(field, TextField) else None
    return None if default is None or callable(default) else default


def column(field) -> dict:
    """One frozen column."""
    out = {"name": field.name, "type": _kind(field)}
    if field.column_name != field.name:
        out["column_name"] = field.column_name
    if isinstance(field, ForeignKeyField):
        out["references"] = field.rel_model._meta.table_name
        if field.rel_field.name != "id":
            out["field"] = field.rel_field.name
        if field.on_delete:
            out["on_delete"] = field.on_delete
        if not field.index:
            out["index"] = False
    if getattr(field, "max_length", None) and out["type"] == "CharField":
        out["max_length"] = field.max_length
    if field.primary_key and not isinstance(field, AutoField):
        out["primary_key"] = True
    if field.null:
        out["null"] = True
    if field.unique:
        out["unique"] = True
    elif field.index and not isinstance(field, ForeignKeyField):
        out["index"] = True
    if _default(field) is not None:
        out["default"] = _default(field)
    return out


def table(model, stub=False) -> dict:
    """One frozen table; a stub (a table another one's foreign key points at) keeps only its primary key."""
    meta = model._meta
    if stub:
        return {"table": meta.table_name, "stub": True, "columns": [column(meta.primary_key)]}
    out = {"table": meta.table_name, "columns": [column(f) for f in meta.sorted_fields]}
    plain = [{"columns": list(cols), "unique": bool(unique)} for cols, unique in
             (i for i in meta.indexes if isinstance(i, (list, tuple)))]
    if plain:
        out["indexes"] = plain
    sql = [meta.database.get_sql_context().sql(model._schema._create_index(i, safe=False)).query()[0]
           for i in meta.indexes if not isinstance(i, (list, tuple))]
    if sql:
        out["index_sql"] = sql
    return out


def freeze(models, with_references=False) -> dict:
    """The frozen copy of `models` (create order); with_references adds the tables their foreign keys point at as
    stubs (a step that changes some tables)."""
    stubs = []
    if with_references:
        chosen = set(models)
        stubs = sorted({f.rel_model for m in models for f in m._meta.refs if f.rel_model not in chosen},
                       key=lambda m: m._meta.table_name)
    return {"tables": [table(m, stub=True) for m in stubs] + [table(m) for m in models]}


def dumps(spec) -> str:
    """The frozen copy as JSON text a reader can scan: one table per block, one column per line."""
    def one(value):
        return json.dumps(value, ensure_ascii=False)
    blocks = []
    for item in spec["tables"]:
        head = {k: v for k, v in item.items() if k not in ("columns", "indexes", "index_sql")}
        lines = [" " + one(head)[:-1] + ', "columns": [']
        lines += ["  " + one(col) + "," for col in item["columns"]]
        lines[-1] = lines[-1][:-1]
        tail = "]"
        for key in ("indexes", "index_sql"):
            if key in item:
                tail += f', "{key}": ' + one(item[key])
        lines.append(" " + tail + "}")
        blocks.append("\n".join(lines))
    return '{"tables": [\n' + ",\n".join(blocks) + "\n]}\n"


def _field(col, built, table_name):
    kwargs = {k: col[k] for k in ("null", "unique", "index", "max_length", "default", "primary_key", "column_name")
              if k in col}
    if col["type"] == "ForeignKeyField":
        target = "self" if col["references"] == table_name else built[col["references"]]
        return ForeignKeyField(target, field=col.get("field", "id"), on_delete=col.get("on_delete"), backref="+",
                               **kwargs)
    return FIELDS[col["type"]](**kwargs)


def models(spec) -> dict:
    """{table name: frozen model} from a frozen copy, in its order (stubs included)."""
    built = {}
    for item in spec["tables"]:
        name = item["table"]
        attrs = {col["name"]: _field(col, built, name) for col in item["columns"]}
        indexes = tuple((tuple(i["columns"]), i["unique"]) for i in item.get("indexes", []))
        attrs["Meta"] = type("Meta", (), {"table_name": name, "indexes": indexes})
        attrs["frozen_index_sql"] = tuple(item.get("index_sql", ()))  # indexes a column list cannot say
        attrs["frozen_stub"] = bool(item.get("stub"))                  # only there to be pointed at
        built[name] = type("".join(p.title() for p in name.split("_")), (FrozenModel,), attrs)
    return built
