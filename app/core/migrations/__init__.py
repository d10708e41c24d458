"""Numbered, frozen schema migration steps (`flask --app wsgi db upgrade`, the Procfile's release step).

Each step is a file `steps/NNNN_name.py` with `upgrade(db)`; it carries frozen copies of the tables it touches, as
data beside it (`NNNN_name.json`, written by `flask --app wsgi db freeze MODEL...`; freeze.py), and never imports a
live model, so a step written today does the same thing next year. Step 14 is the baseline: the whole schema of
release 14 (databases made before it recorded versions 1-14 with the old, unfrozen migrations and continue from
there). A test builds the schema both ways — the
live models' `create_tables` and every step from the baseline with rows in every table — and compares them on SQLite
and PostgreSQL (tests/core/test_migrations.py).

Each step runs in its own transaction. On SQLite foreign keys are off while it runs (a table rebuild drops the old
table, which would cascade deletes) and `PRAGMA foreign_key_check` must find nothing before it commits.
"""
from __future__ import annotations

import importlib.util
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from peewee import CharField, DateTimeField, IntegerField, Model

from app.core.base import utcnow
from app.core.db import database
from app.core.migrations import ops

log = logging.getLogger(__name__)
STEPS_DIR = Path(__file__).with_name("steps")
BASELINE = 14
_STEP_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.py$")


class SchemaVersion(Model):
    version = IntegerField(primary_key=True)
    name = CharField(max_length=120)
    applied_at = DateTimeField(default=utcnow)

    class Meta:
        database = database
        table_name = "schema_version"


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    path: Path

    def load(self) -> ModuleType:
        spec = importlib.util.spec_from_file_location(f"_migration_step_{self.number:04d}", self.path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


class MigrationError(RuntimeError):
    pass


def steps(directory: Path = STEPS_DIR) -> list[Step]:
    """Every step file in number order; two files with one number, or a gap, is an error."""
    found = []
    for path in sorted(Path(directory).glob("*.py")):
        match = _STEP_FILE.match(path.name)
        if match:
            found.append(Step(int(match.group(1)), match.group(2), path))
        elif path.name != "__init__.py":
            raise MigrationError(f"migration step file name not NNNN_name.py: {path.name}")
    numbers = [s.number for s in found]
    if numbers != list(range(BASELINE, BASELINE + len(found))):
        raise MigrationError(f"migration steps must be numbered {BASELINE}, {BASELINE + 1}, ... once each: {numbers}")
    return found


def step_module(number: int) -> ModuleType:
    """The module of step `number` (a later step may read an earlier step's frozen models)."""
    return next(s for s in steps() if s.number == number).load()


def applied() -> set[int]:
    database.create_tables([SchemaVersion], safe=True)
    return {row.version for row in SchemaVersion.select(SchemaVersion.version)}


def pending(directory: Path = STEPS_DIR) -> list[Step]:
    """The steps not yet applied. A database from before the baseline that never reached it cannot continue."""
    done = applied()
    if done and BASELINE not in done:
        raise MigrationError(
            f"数据库停在旧迁移 {max(done)}：请先用 release 14 的代码执行 db upgrade，再用本版本升级。"
            f" The database is at old migration {max(done)}: upgrade it with release 14 first.")
    return [s for s in steps(directory) if s.number not in done]


def _run(step: Step) -> None:
    module = step.load()
    sqlite = ops.is_sqlite(database)
    if sqlite:
        database.execute_sql("PRAGMA foreign_keys = OFF")   # only takes effect outside a transaction
    try:
        with database.atomic():
            module.upgrade(database)
            problems = ops.foreign_key_problems(database)
            if problems:
                raise MigrationError(f"step {step.number} left rows with broken foreign keys: {problems[:5]}")
            SchemaVersion.create(version=step.number, name=step.name.replace("_", " ")[:120])
    finally:
        if sqlite:
            database.execute_sql("PRAGMA foreign_keys = ON")


def upgrade(until: int | None = None, directory: Path = STEPS_DIR) -> list[int]:
    """Apply every pending step (up to `until`), each in its own transaction; return the numbers applied."""
    done = []
    for step in pending(directory):
        if until is not None and step.number > until:
            break
        _run(step)
        log.info("applied migration %s: %s", step.number, step.name)
        done.append(step.number)
    return done
