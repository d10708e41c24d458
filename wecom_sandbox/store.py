"""The sandbox's state in its own SQLite file, so cards, tokens and the request log survive restarts."""
import json
import secrets
import sqlite3
import threading
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (userid TEXT PRIMARY KEY, name TEXT, role TEXT);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, kind TEXT, agent_id INTEGER, expires_at REAL);
CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, msgid TEXT, userid TEXT,
    agent_id INTEGER, msgtype TEXT, body TEXT, task_id TEXT, created_at REAL);
CREATE TABLE IF NOT EXISTS cards (task_id TEXT, agent_id INTEGER, card TEXT, userids TEXT, created_at REAL,
    PRIMARY KEY (agent_id, task_id));
CREATE TABLE IF NOT EXISTS card_views (task_id TEXT, agent_id INTEGER, userid TEXT, replace_name TEXT,
    card TEXT, updated_at REAL, PRIMARY KEY (agent_id, task_id, userid));
CREATE TABLE IF NOT EXISTS response_codes (code TEXT PRIMARY KEY, task_id TEXT, agent_id INTEGER,
    userid TEXT, created_at REAL, used_at REAL);
CREATE TABLE IF NOT EXISTS approvals (sp_no TEXT PRIMARY KEY, template_id TEXT, creator TEXT, approvers TEXT,
    cc TEXT, apply_data TEXT, summary TEXT, status INTEGER, records TEXT, created_at REAL);
CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, kind TEXT, userid TEXT, expires_at REAL, used_at REAL);
CREATE TABLE IF NOT EXISTS ext_tasks (msgid TEXT PRIMARY KEY, sender TEXT, body TEXT, created_at REAL);
CREATE TABLE IF NOT EXISTS ext_received (id INTEGER PRIMARY KEY AUTOINCREMENT, msgid TEXT, sender TEXT,
    external_userid TEXT, created_at REAL);
CREATE TABLE IF NOT EXISTS kf_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, msgid TEXT UNIQUE, open_kfid TEXT,
    external_userid TEXT, origin INTEGER, msgtype TEXT, body TEXT, send_time REAL);
CREATE TABLE IF NOT EXISTS kf_tokens (token TEXT PRIMARY KEY, open_kfid TEXT, expires_at REAL);
CREATE TABLE IF NOT EXISTS kf_media (media_id TEXT PRIMARY KEY, filename TEXT, mime TEXT, content BLOB,
    created_at REAL);
CREATE TABLE IF NOT EXISTS media (media_id TEXT PRIMARY KEY, type TEXT, filename TEXT, size INTEGER,
    created_at REAL);
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, endpoint TEXT,
    remaining INTEGER, delay REAL, created_at REAL);
CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT, path TEXT, query TEXT,
    body TEXT, status INTEGER, errcode INTEGER, answer TEXT, ms REAL, created_at REAL);
CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, userid TEXT,
    plain TEXT, attempts INTEGER DEFAULT 0, status TEXT, last_status INTEGER, last_error TEXT,
    created_at REAL, done_at REAL);
"""

# Names match job_templates/*.yaml managers and the default HR_USERIDS.
SEED_USERS = [("zhangwei", "张伟", "manager"), ("wangfang", "王芳", "manager"), ("hr_lina", "李娜", "hr"),
              ("liuyang", "刘洋", "member")]


class Store:
    """Thin helpers over one SQLite file; a connection per call keeps threads independent."""

    def __init__(self, path):
        self.path = str(path)
        self.lock = threading.Lock()  # serialises check-and-use sequences (response codes, task ids)
        with self.connect() as db:
            db.executescript(SCHEMA)
            db.executemany("INSERT OR IGNORE INTO users (userid, name, role) VALUES (?, ?, ?)", SEED_USERS)

    def connect(self):
        db = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA busy_timeout=15000")
        return _Conn(db)

    def one(self, sql, *args):
        with self.connect() as db:
            row = db.execute(sql, args).fetchone()
        return dict(row) if row else None

    def all(self, sql, *args):
        with self.connect() as db:
            return [dict(r) for r in db.execute(sql, args).fetchall()]

    def run(self, sql, *args):
        with self.connect() as db:
            cur = db.execute(sql, args)
            return cur.lastrowid

    # -- domain helpers -------------------------------------------------------------------------------
    def user(self, userid):
        return self.one("SELECT * FROM users WHERE userid = ?", userid)

    def new_code(self, kind, userid, ttl):
        code = secrets.token_urlsafe(24)
        self.run("INSERT INTO codes VALUES (?, ?, ?, ?, NULL)", code, kind, userid, time.time() + ttl)
        return code

    def use_code(self, kind, code):
        """Consume a one-time code; return its userid or None when unknown, used or expired."""
        with self.lock:
            row = self.one("SELECT * FROM codes WHERE code = ? AND kind = ?", code or "", kind)
            if not row or row["used_at"] or row["expires_at"] < time.time():
                return None
            self.run("UPDATE codes SET used_at = ? WHERE code = ?", time.time(), code)
        return row["userid"]

    def new_response_code(self, task_id, agent_id, userid=None):
        code = "rc" + secrets.token_urlsafe(30)
        self.run("INSERT INTO response_codes VALUES (?, ?, ?, ?, ?, NULL)", code, task_id, agent_id, userid,
                 time.time())
        return code

    def take_fault(self, endpoint):
        """The next armed fault for `endpoint` (consuming one use), or None."""
        with self.lock:
            for fault in self.all("SELECT * FROM faults ORDER BY id"):
                scope = fault["endpoint"] or "*"
                if scope == "*" and endpoint == "gettoken":
                    continue  # faults hit API calls; arm one for "gettoken" explicitly to break tokens
                if scope not in ("*", endpoint):
                    continue
                if fault["remaining"] > 0:
                    left = fault["remaining"] - 1
                    if left == 0:
                        self.run("DELETE FROM faults WHERE id = ?", fault["id"])
                    else:
                        self.run("UPDATE faults SET remaining = ? WHERE id = ?", left, fault["id"])
                return fault
        return None


class _Conn:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        self.db.close()


def dumps(value):
    return json.dumps(value, ensure_ascii=False)


def loads(value, default=None):
    return json.loads(value) if value else default
