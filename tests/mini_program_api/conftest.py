from tests.candidate.fixtures import audio_webm_bytes, media_dir, webm_bytes  # noqa: F401
