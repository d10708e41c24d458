"""Video integrity on real face photos: presence, one face, same person; emotions only on request."""

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_one_person_throughout(video, media):
    result = video.analyse_video(media / "face_astronaut.webm", reference_image=media / "astronaut.jpg")
    assert result["frames_sampled"] >= 5
    assert set(result["faces_per_frame"]) == {1}
    assert result["identity"]["verdict"] == "same"
    # Identity is checked on the detected single-face frames kept (at most 8 spread + 4 after a jump), not all.
    assert 3 <= result["identity"]["checked"] <= result["frames_sampled"]
    assert result["sampling"]["frames_embedded"] == result["identity"]["checked"]
    assert result["sampling"]["frames_detected"] < result["frames_sampled"]   # sparse: nothing changed
    assert result["flags"] == []
    assert result["emotions"] is None  # not asked: not computed


def test_mp4_without_reference_uses_the_first_face(video, media):
    result = video.analyse_video(media / "face_astronaut.mp4")
    assert result["identity"]["reference"] == "first_frame"
    assert result["identity"]["verdict"] == "same" and result["flags"] == []


@pytest.mark.parametrize("reference", ["astronaut.jpg", None])
def test_a_different_person_is_flagged(video, media, reference):
    result = video.analyse_video(media / "face_switch.webm",
                                 reference_image=media / reference if reference else None)
    assert result["identity"]["verdict"] == "different"
    assert result["identity"]["different_votes"] >= 2
    assert [f["code"] for f in result["flags"]] == ["different_person"]
    assert result["flags"][0]["message"].startswith("答题人")


def test_no_face_is_flagged(video, media):
    result = video.analyse_video(media / "face_blank.webm")
    assert result["no_face_ratio"] == 1.0 and result["longest_no_face_s"] >= 3
    assert result["identity"]["verdict"] == "unknown"
    assert [f["code"] for f in result["flags"]] == ["no_face"]


def test_two_faces_are_flagged(video, media):
    result = video.analyse_video(media / "face_two.webm")
    assert result["multi_face_frames"] == result["frames_sampled"] >= 3
    assert "multiple_faces" in [f["code"] for f in result["flags"]]


def test_emotions_only_when_asked(video, media):
    result = video.analyse_video(media / "face_astronaut.webm", emotions=True, sample_fps=0.5)
    emotions = result["emotions"]
    assert set(emotions) == {"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"}
    assert sum(emotions.values()) == pytest.approx(1.0, abs=0.01)
    assert max(emotions, key=emotions.get) == "happy"  # the astronaut photo smiles


def test_reference_snapshot_needs_exactly_one_face(video, media):
    import cv2

    crop = video.extract_reference(media / "astronaut.jpg")
    assert isinstance(crop, np.ndarray) and crop.ndim == 3
    assert video.extract_reference(np.full((480, 640, 3), 128, np.uint8)) is None
    frames = list(video.read_frames(media / "face_two.webm"))
    assert video.extract_reference(frames[0][1]) is None
    # A crop from extract_reference() is accepted as the reference itself.
    result = video.analyse_video(media / "face_astronaut.mp4", reference_image=crop)
    assert result["identity"]["verdict"] == "same"
    assert cv2 is not None


@pytest.mark.parametrize("name", ["face_two.webm", "face_switch.webm", "face_blank.webm", "face_astronaut.mp4"])
def test_sampled_counts_equal_the_full_detector_on_every_frame(video, media, name):
    """The cascade alone, every other second, gives the counts detect_faces gives on every second."""
    dense = [len(video.detect_faces(frame)) for _, frame in video.read_frames(media / name)]
    assert video.analyse_video(media / name)["faces_per_frame"] == dense


def test_the_identity_frames_vote_like_every_frame(video, media):
    reference = video._reference_embedding(media / "astronaut.jpg")
    dense = []
    for _, frame in video.read_frames(media / "face_switch.webm"):
        faces = video.detect_faces(frame)
        if len(faces) == 1:
            dense.append(float(np.linalg.norm(video.embed(faces[0]["face"]) - reference)))
    identity = video.analyse_video(media / "face_switch.webm", reference_image=media / "astronaut.jpg")["identity"]
    share = identity["different_votes"] / identity["checked"]
    assert share == pytest.approx(sum(d >= video.DIFFERENT_MIN for d in dense) / len(dense), abs=0.2)
    assert identity["distance_median"] == pytest.approx(float(np.median(dense)), abs=0.08)
