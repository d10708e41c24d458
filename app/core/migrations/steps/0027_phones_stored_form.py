"""Step 27: every `candidate.phone` in its stored form (app/core/phones.py as of this step): a mainland mobile as its
11 digits, another country's number as E.164 ("+442079460958"). HR's invitation stored the number as typed
("138-0000-1234", "+86 138 0000 1234") while a posting stored digits, so one person had two phones; lookups by phone
compare stored forms now. A value today's rules refuse (a landline HR typed once) keeps its digits, after a "+" when
it had one; a value without digits (a deleted record's "") stays as it is. Rows are only updated, never merged:
records that now share a phone stay apart (HR may join them, app/screening/ownership.py).

The rules are copied here, not imported, so this step does the same next year whatever phones.py then says.
SMS consent, phone codes and deliveries always stored E.164 (notifications' to_e164) and need nothing."""
import re
import unicodedata

MAINLAND = re.compile(r"^1[3-9][0-9]{9}$")
SEPARATORS = re.compile(r"[\s\-()]")
DIGITS = re.compile(r"^[0-9]+$")


def stored_form(value):
    typed = unicodedata.normalize("NFKC", value or "").strip()
    compact = SEPARATORS.sub("", typed)
    plus = compact.startswith("+")
    digits = compact[1:] if plus else compact
    if len(typed) <= 32 and DIGITS.match(digits):
        if plus and not digits.startswith("86"):
            if 7 <= len(digits) <= 15 and digits[0] != "0":
                return "+" + digits
        else:
            national = (digits[2:] if plus else digits[4:] if digits.startswith("0086")
                        else digits[2:] if digits.startswith("86") and len(digits) == 13 else digits)
            if MAINLAND.match(national):
                return national
    only_digits = re.sub(r"[^0-9]", "", typed)
    return ("+" if typed.startswith("+") else "") + only_digits if only_digits else value


def upgrade(db):
    mark = db.param   # ? on SQLite, %s on PostgreSQL
    rows = db.execute_sql("SELECT id, phone FROM candidate ORDER BY id").fetchall()
    for row_id, phone in rows:
        stored = stored_form(phone)
        if stored != phone:
            db.execute_sql(f"UPDATE candidate SET phone = {mark} WHERE id = {mark}", (stored, row_id))
