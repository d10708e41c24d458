"""Field types that change what the database stores (used by the live models and by frozen migration steps)."""
from peewee import SQL, AutoField, NodeList, SqliteDatabase


class IdField(AutoField):
    """An integer primary key whose values are never reused.

    PostgreSQL's SERIAL sequence never hands out a number twice. SQLite without AUTOINCREMENT gives a new row
    max(id) + 1, so deleting the newest row (a candidate's deletion) let the next one take its id, and an old WeCom
    card's link opened somebody else's report.
    """

    def ddl(self, ctx):
        node = super().ddl(ctx)
        db = self.model._meta.database
        if isinstance(getattr(db, "obj", db), SqliteDatabase):
            return NodeList((node, SQL("AUTOINCREMENT")))
        return node
