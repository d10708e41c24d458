"""How a domain says what it contributes, in one place, and the registry the app factory fills with them.

Each domain package has a `domain.py` with one `Domain(...)`; `app/domains.py` lists them bottom to top and
`create_app` registers them. Everything that used to be a central list loops over the registered domains: the
blueprints (the app factory), the models (migrations' fresh-schema test, the privacy search), the background jobs
and their schedule (the job registry, the scheduler), what follows a stage change (the pipeline), the periodic
sweeps, the candidate's data export and erasure (privacy), the sections of the candidate's status page, who else may
have a staff role (a second-round panel), and the CLI commands.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType


@dataclass(frozen=True)
class StatusSection:
    """A domain's part of the candidate's status page (/i/<token>/status): `template` is included with the
    page's context plus what `context(application)` returns; `place` is "top" (under the status) or "bottom"
    (under the messages). `applicant`: the section is also on an applicant's page before any invitation
    (/p/applied/<token>, which has no messages: it comes after the page's own content)."""
    template: str
    context: Callable = lambda application: {}
    place: str = "top"
    applicant: bool = False


@dataclass(frozen=True)
class Domain:
    name: str
    models: tuple = ()
    # Blueprint objects; csrf_exempt: those that authenticate otherwise (a token, WeCom's msg_signature)
    blueprints: tuple = ()
    csrf_exempt: tuple = ()
    # JobSpecs (app/core/jobs.py) this domain runs in the background, and (spec, every_seconds) to run on a schedule
    jobs: tuple = ()
    schedule: tuple = ()
    # to_stage -> ((JobSpec, args_for(stage_event) -> [args, ...]), ...): what follows a committed stage change
    follow_ups: Mapping[str, tuple] = field(default_factory=dict)
    # functions() -> int re-enqueueing work left stranded (a dead worker, Redis down after a commit)
    sweeps: tuple = ()
    # a module with export(application_ids) and erase(application_ids) (app/core/personal_data.py explains)
    personal_data: ModuleType | None = None
    # the domain's section of the candidate's status page: a StatusSection (template, context, place) or None
    status_section: StatusSection | None = None
    # role name -> function(userid) -> bool: staff roles besides HR and the job's managers (a second-round panel)
    staff_roles: Mapping[str, Callable] = field(default_factory=dict)
    # function(application) -> the page every page of a candidate's link shows instead of itself, or None (privacy:
    # the one final state once the application's data was deleted)
    final_page: Callable | None = None
    # function(application) -> bool: its data is deleted or being deleted (privacy: a confirmed or finished deletion
    # covers it); nothing more is written to its conversation or sent to its candidate
    erased: Callable | None = None
    # register(app): the domain's `flask --app wsgi ...` commands
    cli: Callable | None = None
    # a module with reaches(application) -> bool, announce(interview, token) -> dict, held_until(application)
    # -> datetime | None and link_token(application) -> str | None: what an AI-interview invitation opened under a
    # known link token sends to the candidate (notifications: the invitation notice), when a held one goes out, and
    # the link it carries (for the applicant's own page only)
    invitations: ModuleType | None = None
    # function(source_id, target_id, application_id, emptied): an application moved from candidate record
    # `source_id` to `target_id` (HR's or the candidate's join); move the domain's rows kept per candidate (all of
    # them when `emptied`, the source record then being deleted; else those of that application)
    candidate_joined: Callable | None = None
    # check(proof, phone, purpose) -> bool: whether a proof from an SMS code proves `phone` (notifications' codes),
    # for the lower domains that ask for one (the interview's identity step)
    phone_proofs: Callable | None = None
    # function(application_ids): these applications' reports were written again in place (same ids, so nothing new
    # for a high-water mark to see; a late biometric withdrawal's re-scoring); called inside the rewrite's
    # transaction (analytics rewrites their facts)
    report_rewritten: Callable | None = None


_registered: list[Domain] = []


def register(domains) -> None:
    """Register the product's domains (the app factory does, once per process; again is a no-op)."""
    names = [d.name for d in domains]
    if len(set(names)) != len(names):
        raise ValueError(f"two domains with one name: {names}")
    if [d.name for d in _registered] == names:
        return
    _registered[:] = list(domains)


def registered() -> tuple[Domain, ...]:
    return tuple(_registered)


def all_models() -> list:
    """Every registered domain's models, in create order (the domains are listed bottom to top)."""
    return [model for d in _registered for model in d.models]


def status_sections(application, place):
    """[(template, context)] of the registered domains' status-page sections at `place`, bottom to top."""
    return _sections(application, lambda section: section.place == place)


def applicant_sections(application):
    """[(template, context)] of the registered domains' sections shown on an applicant's page, bottom to top."""
    return _sections(application, lambda section: section.applicant)


def _sections(application, wanted):
    return [(d.status_section.template, d.status_section.context(application)) for d in _registered
            if d.status_section is not None and wanted(d.status_section)]


def invitation_reaches(application):
    """Whether a registered domain can send this candidate an invitation (SMS, WeChat...) beyond their own link."""
    return any(d.invitations.reaches(application) for d in _registered if d.invitations is not None)


def invitation_held_until(application):
    """When a registered domain's held invitation (quiet hours...) is due to be sent, or None."""
    return next((until for d in _registered if d.invitations is not None
                 for until in [d.invitations.held_until(application)] if until is not None), None)


def invitation_link_token(application):
    """The link token a registered domain's invitation carries for the application's newest interview, or None.
    A secret: only for the applicant's own page (whose token proves the same application)."""
    return next((token for d in _registered if d.invitations is not None
                 for token in [d.invitations.link_token(application)] if token), None)


def announce_invitation(interview, token):
    """Tell the candidate of a new invitation (called after its commit, with the link token): a list of what each
    registered domain sent ({"application_id", "channels", "summary"...})."""
    return [d.invitations.announce(interview, token) for d in _registered if d.invitations is not None]


def candidate_joined(source_id, target_id, application_id, emptied):
    """Tell every registered domain that keeps rows per candidate that an application moved to another record."""
    for domain in _registered:
        if domain.candidate_joined is not None:
            domain.candidate_joined(source_id, target_id, application_id, emptied)


def check_phone_proof(proof, phone, purpose):
    """True when a registered domain confirms that `proof` proves `phone` for `purpose`."""
    return any(d.phone_proofs(proof, phone, purpose) for d in _registered if d.phone_proofs is not None)


def report_rewritten(application_ids):
    """Tell every registered domain that copies reports that these applications' reports were written again."""
    for domain in _registered:
        if domain.report_rewritten is not None:
            domain.report_rewritten(application_ids)


def erased(application):
    """Whether a registered domain says `application`'s data is deleted or being deleted (`Domain.erased`): a job
    queued before the deletion (a stage notice, a reminder) then writes and sends nothing."""
    return any(d.erased(application) for d in _registered if d.erased is not None)


def final_page(application):
    """The page a candidate's link must show instead of any other (a registered domain's `final_page`), or None."""
    for domain in _registered:
        page = domain.final_page(application) if domain.final_page else None
        if page is not None:
            return page
    return None
