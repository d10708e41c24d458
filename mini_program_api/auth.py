"""The interview a mini-program request opens with its bearer token (app/core/access.bearer_token)."""
from app.core.access import bearer_token
from app.interview.invitations import api_interview


def current_interview():
    """The interview the bearer token opens (Unauthorized without one; NotFound / Gone from api_interview)."""
    return api_interview(bearer_token())
