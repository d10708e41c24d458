"""The interview sweep (every 20 s) finds the reports left waiting after a late biometric withdrawal whose answers
are all scored again (their REFRESH_REPORT job was lost), and only those, in a bounded number of queries: it read
every withdrawn or declined interview's report and asked each waiting one for its readiness, query by query."""
import contextlib

from app.core.db import database
from app.interview import answer_analysis, late_withdrawal, withdrawn_report
from app.interview.models import Report
from tests.privacy.helpers import finished_with_face_flags


def _withdrawn():
    """A finished interview whose biometric consent HR withdrew: its report waits for the answer scored with
    expressions, which is queued to be scored again. Returns (interview id, that answer)."""
    interview, report, with_expressions, _ = finished_with_face_flags()
    late_withdrawal.record_withdrawal(interview.id)
    assert Report.get_by_id(report.id).integrity["rescoring"] is True
    return interview.id, with_expressions


def _stranded():
    """Withdrawn, the answer scored again, the report not written yet (the job that writes it was lost)."""
    interview_id, answer = _withdrawn()
    answer_analysis.score(answer.id)
    return interview_id


@contextlib.contextmanager
def statements():
    """The SQL statements this SQLite connection runs inside the block (SQLite's own trace hook)."""
    seen = []
    connection = database.connection()
    connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        connection.set_trace_callback(None)


def test_the_sweep_finds_a_stranded_refresh_and_ignores_the_others(any_db_app):
    stranded = _stranded()
    waiting, _ = _withdrawn()            # its answer is not scored again yet
    done = _stranded()
    assert withdrawn_report.refresh_report(done) is not None   # written again: nothing waits
    declined, _, _, _ = finished_with_face_flags()            # no withdrawal: its report never waited
    assert withdrawn_report.stranded_refreshes() == [stranded]
    assert declined.id not in withdrawn_report.stranded_refreshes()
    assert waiting not in withdrawn_report.stranded_refreshes()


def test_the_sweep_reads_the_same_number_of_times_however_many_reports_wait(app):
    first = _stranded()
    _withdrawn()
    with statements() as few:
        assert withdrawn_report.stranded_refreshes() == [first]
    more = sorted([first, _stranded(), _stranded(), _stranded()])
    _withdrawn()
    _withdrawn()
    with statements() as many:
        assert withdrawn_report.stranded_refreshes() == more
    selects = [s for s in many if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == len([s for s in few if s.lstrip().upper().startswith("SELECT")]), selects
    assert len(selects) <= 4
