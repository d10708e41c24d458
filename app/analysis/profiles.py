"""Scoring profiles: a company's own level weights on top of the shipped scorer, versioned.

The shipped scorer (app/analysis/data/scorer.json) is the default. `flask --app wsgi scoring calibrate --job ID`
refits the level model's term weights and thresholds to the job's raters, pulled toward the shipped weights
(app/analysis/calibration.py), and saves them as a profile: {"version", "weights": {"terms": {name: weight},
"thresholds": [4 increasing numbers]}}. Relevance and standardisation stay the shipped ones. A profile fitted for
the rule scorer before it (component weights per dimension) no longer applies and is treated as the default.
"""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT = {"version": "shipped", "weights": {}}


class ProfileError(ValueError):
    pass


def validate(profile: dict) -> dict:
    """Return the profile if it is well formed, else raise ProfileError (Chinese first)."""
    if not isinstance(profile, dict) or not isinstance(profile.get("version"), str) or not profile["version"]:
        raise ProfileError("评分配置缺少 version (scoring profile needs a version)")
    weights = profile.get("weights")
    if not isinstance(weights, dict):
        raise ProfileError("评分配置缺少 weights (scoring profile needs weights)")
    if "terms" in weights:
        from app.analysis import model

        names = {t["name"] for t in model.load().terms}
        terms = weights["terms"]
        if not isinstance(terms, dict) or set(terms) - names:
            raise ProfileError(f"评分项无效 unknown terms: {sorted(set(terms) - names)}; known: {sorted(names)}")
        if any(not isinstance(v, (int, float)) for v in terms.values()):
            raise ProfileError("评分项的权重须为数字 term weights must be numbers")
        theta = weights.get("thresholds")
        if (not isinstance(theta, list) or len(theta) != 4
                or any(not isinstance(t, (int, float)) for t in theta)
                or any(b <= a for a, b in zip(theta, theta[1:], strict=False))):
            raise ProfileError("等级阈值须为 4 个递增的数 thresholds must be 4 increasing numbers")
    return profile


def load_profile(source) -> dict:
    """A profile from a dict, a JSON file path, or None (the shipped scorer as it is)."""
    if source is None:
        return DEFAULT
    if isinstance(source, dict):
        return validate(source)
    path = Path(source)
    try:
        return validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProfileError(f"无法读取评分配置 cannot read scoring profile {path}: {exc}") from exc


def apply(scorer, profile: dict):
    """The scorer with the profile's level weights (the scorer itself when the profile has none)."""
    weights = profile.get("weights") or {}
    if "terms" not in weights:
        return scorer
    return scorer.with_weights(weights["terms"], weights["thresholds"], f"{scorer.version}/{profile['version']}")
