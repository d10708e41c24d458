"""Taking a userid out of HR_USERIDS takes their HR role away at once: sign-in no longer copies HR_USERIDS into
StaffUser.is_hr (a member once listed stayed HR for good), and migration step 19 clears the copies made so far."""
from flask import g

from app.core import staff
from app.core.db import database
from app.core.extensions import settings
from app.core.migrations import SchemaVersion, upgrade
from app.core.models import StaffUser
from tests.support.app import make_app
from tests.support.reports import sign_in_as


def test_a_member_removed_from_hr_userids_is_no_longer_hr(tmp_path, redis_conn):
    app = make_app(tmp_path, HR_USERIDS=["hr_lina", "hr_old"])
    with app.app_context(), database.connection_context():
        client = app.test_client()
        sign_in_as(client, "hr_old")
        assert client.get("/admin/").status_code == 200
        assert not StaffUser.get(StaffUser.userid == "hr_old").is_hr      # nothing copied into the database

        settings["HR_USERIDS"] = ["hr_lina"]                                 # HR takes them off the list
        assert staff.load_staff("hr_old") is None
        g.pop("staff", None)                    # a new request (the test shares one app context across them)
        assert client.get("/admin/").status_code in (302, 403)               # their open session too
        assert "hr_old" not in staff.hr_userids()


def test_a_grant_in_the_database_still_makes_hr(app):
    StaffUser.create(userid="hr_granted", is_hr=True)
    assert staff.load_staff("hr_granted").is_hr and "hr_granted" in staff.hr_userids()


def test_step_19_clears_the_copies_of_hr_userids(any_db_app):
    SchemaVersion.delete().where(SchemaVersion.version == 19).execute()
    StaffUser.create(userid="hr_old", is_hr=True)                            # what sign-in used to write
    StaffUser.create(userid="zhangwei")
    assert upgrade() == [19]
    assert not StaffUser.select().where(StaffUser.is_hr).exists()
    assert StaffUser.select().count() == 2
