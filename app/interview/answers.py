"""What is stored of an interview's answers: the answer that counts per question, the questions answered, the
attempts used; and the interview row locked for a change that must not race another (both the candidate's steps in
app/interview/flow.py and the answer chain below it read these)."""
from dataclasses import dataclass

from app.interview.models import Answer, AnswerStatus, Interview


@dataclass(frozen=True)
class StoredAnswers:
    """An interview's answers as stored, read in one query."""
    counted: dict    # question id -> the Answer that counts: the latest attempt that did not fail
    failed: dict     # question id -> the latest attempt, for the questions whose every attempt failed for good

    @property
    def answered(self):
        """Ids of the questions with a stored Answer (of any status, failed included)."""
        return self.counted.keys() | self.failed.keys()

    def unanalysed(self, questions):
        """The questions (of `questions`) answered only by attempts whose analysis failed for good."""
        return [q for q in questions if q.id in self.failed]


def _stored(rows):
    """StoredAnswers of one interview's Answer rows, ordered by question and attempt."""
    counted = {row.question_id: row for row in rows if row.status != AnswerStatus.FAILED}
    return StoredAnswers(counted=counted,
                         failed={row.question_id: row for row in rows if row.question_id not in counted})


def stored_answers(interview_id):
    # with its interview, whose questions (Answer.asked) the report reads for every answer: no query an answer
    return _stored(list(Answer.select(Answer, Interview).join(Interview).where(Answer.interview == interview_id)
                        .order_by(Answer.question, Answer.attempt)))


def stored_answers_of(interview_ids):
    """{interview id: StoredAnswers} of several interviews, read in one query (the sweeps)."""
    rows = {interview_id: [] for interview_id in interview_ids}
    for row in (Answer.select().where(Answer.interview.in_(list(rows)))
                .order_by(Answer.interview, Answer.question, Answer.attempt)):
        rows[row.interview_id].append(row)
    return {interview_id: _stored(answers) for interview_id, answers in rows.items()}


def counted_answers(interview_id):
    """The Answer that counts per question id: the latest attempt that did not fail."""
    return stored_answers(interview_id).counted


def answered_questions(interview_id):
    """Ids of the questions the candidate answered: those with a stored Answer (of any status, failed included)."""
    return {row.question_id for row in Answer.select(Answer.question).where(Answer.interview == interview_id)}


def attempts_used(interview_id, question_id):
    """The highest attempt number stored for a question (0 when none)."""
    row = (Answer.select(Answer.attempt).where((Answer.interview == interview_id) & (Answer.question == question_id))
           .order_by(Answer.attempt.desc()).first())
    return row.attempt if row else 0


def locked_interview(interview_id):
    """The interview row, locked until the transaction ends where the database can (PostgreSQL: FOR UPDATE)."""
    query = Interview.select().where(Interview.id == interview_id)
    if getattr(Interview._meta.database.obj, "for_update", False):
        query = query.for_update()
    return query.get()
