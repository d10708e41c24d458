"""The interview token of a mini-program request: `Authorization: Bearer <token>`."""
from flask import request

from app.core.errors import Unauthorized
from app.interview.invitations import find_interview


def request_token():
    """The bearer token of this request; Unauthorized when there is none."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("缺少面试凭证 Missing interview token (Authorization: Bearer <token>)",
                           code="token_required")
    return token.strip()


def current_interview():
    """The interview the bearer token opens (NotFound / Gone from find_interview)."""
    return find_interview(request_token())
