"""The models a worker process holds: loaded once at start, then used by every job of that process."""
import logging
import os

log = logging.getLogger(__name__)


def preload(config):
    """Load every model the jobs use; report what loaded and what is missing (jobs then fail visibly)."""
    os.environ.setdefault("MODELS_DIR", config.get("MODELS_DIR", ""))
    loaded, missing = [], []
    from app.interview.answer_jobs import asr_engine
    steps = [("asr", asr_engine), ("text", _load_text), ("faces", _load_faces)]
    for name, load in steps:
        try:
            load()
            loaded.append(name)
        except Exception as exc:  # noqa: BLE001 - a missing model must not stop the fast queue
            log.error("model %s not loaded: %s", name, exc)
            missing.append(name)
    return {"loaded": loaded, "missing": missing}


def _load_text():
    from app.analysis import scoring
    scoring.load_models()


def _load_faces():
    from app.analysis import video
    if hasattr(video, "load_models"):
        video.load_models()
