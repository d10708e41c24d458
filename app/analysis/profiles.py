"""Scoring profiles: the weights that combine each dimension's components, versioned.

A dimension's score is gate x length factor x sum(weight_k x component_k), components in [0, 1] (see
app/analysis/scoring.py). The default profile is written by hand; `flask --app wsgi scoring calibrate --job ID`
fits a job's own profile to its raters (app/analysis/calibration.py) and saves it with a new version.
Weights are non-negative and sum to 1 per dimension; a component a dimension cannot compute (no anchors) is left
out and the others renormalised.
"""

from __future__ import annotations

import json
from pathlib import Path

FIT, LOGIC, EXPRESSION, OTHER = "岗位匹配度", "逻辑思维", "语言表达", "*"
COMPONENTS = ("substance", "coverage", "rubric", "topic", "anchor", "structure", "fluency", "precision", "credited")
DEFAULT_WEIGHTS = {
    FIT: {"substance": 0.35, "coverage": 0.15, "rubric": 0.2, "topic": 0.15, "anchor": 0.15},
    LOGIC: {"structure": 0.3, "substance": 0.3, "rubric": 0.2, "topic": 0.1, "anchor": 0.1},
    EXPRESSION: {"fluency": 0.2, "precision": 0.1, "credited": 0.1, "topic": 0.2, "substance": 0.25, "anchor": 0.15},
    OTHER: {"substance": 0.35, "coverage": 0.15, "rubric": 0.25, "topic": 0.1, "anchor": 0.15},
}
DEFAULT = {"version": "default-2026.11.3", "weights": DEFAULT_WEIGHTS}


class ProfileError(ValueError):
    pass


def validate(profile: dict) -> dict:
    """Return the profile if its weights are well formed, else raise ProfileError (Chinese first)."""
    if not isinstance(profile, dict) or not isinstance(profile.get("version"), str) or not profile["version"]:
        raise ProfileError("评分配置缺少 version (scoring profile needs a version)")
    weights = profile.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise ProfileError("评分配置缺少 weights (scoring profile needs weights)")
    for dim, w in weights.items():
        if not isinstance(w, dict) or not w or set(w) - set(COMPONENTS):
            raise ProfileError(f"维度 {dim} 的权重无效 invalid weights for {dim}: components are {COMPONENTS}")
        if any(not isinstance(v, (int, float)) or v < 0 for v in w.values()) or abs(sum(w.values()) - 1) > 1e-3:
            raise ProfileError(f"维度 {dim} 的权重须非负且和为 1 weights of {dim} must be >= 0 and sum to 1")
    return profile


def load_profile(source) -> dict:
    """A profile from a dict, a JSON file path, or None (the default)."""
    if source is None:
        return DEFAULT
    if isinstance(source, dict):
        return validate(source)
    path = Path(source)
    try:
        return validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProfileError(f"无法读取评分配置 cannot read scoring profile {path}: {exc}") from exc


def weights_for(profile: dict, dimension: str) -> dict:
    weights = profile["weights"]
    return weights.get(dimension) or weights.get(OTHER) or DEFAULT_WEIGHTS.get(dimension, DEFAULT_WEIGHTS[OTHER])
