"""Candidate pages (placeholder until the H5 lands)."""
from flask import render_template

from app.blueprints.candidate import bp
from app.services.invitations import find_interview


@bp.get("/<token>")
def landing(token):
    interview = find_interview(token)
    return render_template("candidate/landing.html", interview=interview, job=interview.application.job)
