"""Locate prepared model files (see scripts/install_models.py)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL_HINT = "run scripts/install_ml.sh (pip installs + scripts/install_models.py)"


class ModelsMissing(RuntimeError):
    """A model file that the install step prepares is not there."""


def models_dir() -> Path:
    """Return MODELS_DIR, or instance/models under the repository."""
    return Path(os.environ.get("MODELS_DIR") or REPO_ROOT / "instance" / "models")


def whisper_ct2_dir() -> Path:
    return models_dir() / "whisper-base-ct2"


def whisper_checkpoint() -> Path:
    return models_dir() / "whisper-base.pt"


def deepface_home() -> Path:
    """Return the folder to use as DEEPFACE_HOME (weights live in .deepface/weights below it)."""
    return models_dir() / "deepface"


def require(path: Path, what: str) -> Path:
    """Return path, or raise ModelsMissing saying how to install it."""
    if not path.exists():
        raise ModelsMissing(f"{what} not found at {path}: {INSTALL_HINT}")
    return path
