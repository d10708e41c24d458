"""JSON views (placeholder until the API lands)."""
from flask import jsonify

from mini_program_api import bp


@bp.get("/openapi.json")
def openapi():
    return jsonify({"openapi": "3.1.0", "info": {"title": "AI Interview mini-program API", "version": "1"},
                    "paths": {}})
