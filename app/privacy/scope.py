"""Whose data an export or a deletion covers: a candidate's token covers its own application, HR the whole record.

A candidate record is not proof of one person: before issue 20 a posting filed a new application under any
existing candidate with the same phone, so an existing database may hold records whose applications come from
different people (and HR may join same-phone records by hand, app/screening/ownership.py). So a token never
opens "the candidate": its scope is the application it belongs to. The record's own fields (name, phone, email,
resume text) and its record-wide rows (HR's export of the whole record, HR's deletion of it) are in a token's
scope only when the record holds no other application whose data is still there (`Scope.whole`).
"""
from dataclasses import dataclass

from app.core.models import Application
from app.privacy.models import DeletionRequest, RequestStatus


@dataclass(frozen=True)
class Scope:
    candidate_id: int
    application_ids: tuple   # the applications covered, in id order
    whole: bool              # the scope covers every live application of the record (its fields included)
    by_token: bool           # opened with a candidate's token (else by HR)

    @property
    def application_id(self):
        """The one application a token's scope is about (None for HR's whole-record scope)."""
        return self.application_ids[0] if self.by_token else None

    @property
    def key(self):
        """What the scope covers, as the access log names it and the data package is keyed by."""
        return f"application:{self.application_id}" if self.by_token else f"candidate:{self.candidate_id}"


def deleted_application_ids(candidate_id):
    """The record's applications whose data a finished deletion removed (a record-wide one removed them all)."""
    ids = set()
    for request in DeletionRequest.select().where((DeletionRequest.candidate == candidate_id)
                                                  & (DeletionRequest.status == RequestStatus.DONE)):
        if request.application_id is None:
            return set(_application_ids(candidate_id))
        ids.add(request.application_id)
    return ids


def live_application_ids(candidate_id):
    """The record's applications whose data is still there."""
    deleted = deleted_application_ids(candidate_id)
    return [i for i in _application_ids(candidate_id) if i not in deleted]


def _application_ids(candidate_id):
    return [a.id for a in Application.select(Application.id).where(Application.candidate == candidate_id)
            .order_by(Application.id)]


def of_token(application):
    """What the token of `application` may see and act on: that application alone."""
    others = [i for i in live_application_ids(application.candidate_id) if i != application.id]
    return Scope(application.candidate_id, (application.id,), whole=not others, by_token=True)


def whole_record(candidate_id):
    """HR's scope: every application of the record."""
    return Scope(candidate_id, tuple(_application_ids(candidate_id)), whole=True, by_token=False)


def of_request(request):
    """The scope of a deletion request: the application it was filed from, or (HR's) the whole record."""
    if request.application_id is None:
        return whole_record(request.candidate_id)
    return of_token(Application.get_by_id(request.application_id))
