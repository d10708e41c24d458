"""What a database's schema is, read back from the database itself: to compare a fresh schema with an upgraded one."""
from __future__ import annotations

import re

from app.core.migrations.ops import is_sqlite


def _norm(sql: str | None) -> str:
    return re.sub(r"\s+", " ", (sql or "")).strip().lower()


def _where(index_sql: str | None) -> str:
    match = re.search(r"\bwhere\b(.*)$", _norm(index_sql))
    return match.group(1).strip().replace('"', "") if match else ""


def _foreign_keys(db, table: str) -> set:
    if is_sqlite(db):
        rows = db.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall()
        return {(r[3], r[2], r[4], (r[6] or "NO ACTION").upper()) for r in rows}
    rows = db.execute_sql(
        "SELECT kcu.column_name, ccu.table_name, ccu.column_name, rc.delete_rule "
        "FROM information_schema.table_constraints tc "
        "JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name "
        " AND tc.table_schema = kcu.table_schema "
        "JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name "
        " AND tc.table_schema = ccu.table_schema "
        "JOIN information_schema.referential_constraints rc ON tc.constraint_name = rc.constraint_name "
        " AND tc.table_schema = rc.constraint_schema "
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = %s AND tc.table_schema = current_schema()",
        (table,)).fetchall()
    return {(r[0], r[1], r[2], r[3].upper()) for r in rows}


def _autoincrement(db, table: str) -> bool | None:
    if not is_sqlite(db):
        return None
    row = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    return "autoincrement" in _norm(row[0])


def describe(db, ignore: tuple[str, ...] = ("schema_version",)) -> dict:
    """Tables -> columns (type, NULL, default, primary key), indexes, foreign keys (with ON DELETE), AUTOINCREMENT."""
    out = {}
    for table in sorted(t for t in db.get_tables() if t not in ignore and not t.startswith("sqlite_")):
        columns = {c.name: {"type": c.data_type.lower(), "null": bool(c.null), "default": c.default,
                            "primary_key": bool(c.primary_key)} for c in db.get_columns(table)}
        indexes = {i.name: {"columns": list(i.columns), "unique": bool(i.unique), "where": _where(i.sql)}
                   for i in db.get_indexes(table) if not i.name.startswith("sqlite_autoindex")
                   and not i.name.endswith("_pkey")}
        out[table] = {"columns": columns, "indexes": indexes, "foreign_keys": sorted(_foreign_keys(db, table)),
                      "autoincrement": _autoincrement(db, table)}
    return out


def differences(a: dict, b: dict) -> list[str]:
    """Readable differences between two `describe` results (empty when the schemas are the same)."""
    out = []
    for table in sorted(set(a) | set(b)):
        if table not in a or table not in b:
            out.append(f"table {table}: only in {'second' if table not in a else 'first'}")
            continue
        for part in ("columns", "indexes"):
            x, y = a[table][part], b[table][part]
            for key in sorted(set(x) | set(y)):
                if x.get(key) != y.get(key):
                    kind = "column" if part == "columns" else "index"
                    out.append(f"{table} {kind} {key}: {x.get(key)} != {y.get(key)}")
        for part in ("foreign_keys", "autoincrement"):
            if a[table][part] != b[table][part]:
                out.append(f"{table} {part}: {a[table][part]} != {b[table][part]}")
    return out
