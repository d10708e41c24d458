"""Step 19: HR comes from HR_USERIDS, and `staff_user.is_hr` only from a grant made in the database.

Until now every sign-in copied HR_USERIDS into `is_hr`, and nothing took the flag away: a member removed from
HR_USERIDS stayed HR. Sign-in no longer writes the flag, and this step clears the flags written so far. The old
code was the only writer, so a grant made by hand (SQL) before this step cannot be told apart and is cleared too:
make it again (`UPDATE staff_user SET is_hr = true WHERE userid = '...'`) or add the userid to HR_USERIDS.
"""


def upgrade(db):
    mark = db.param   # ? on SQLite, %s on PostgreSQL
    db.execute_sql(f"UPDATE staff_user SET is_hr = {mark} WHERE is_hr = {mark}", (False, True))
