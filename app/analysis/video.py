"""Check a recorded answer's video for integrity: a face is there, one face, the same person."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from app.analysis import paths

DETECTOR = "opencv"
MODEL = "Dlib"
# Dlib euclidean_l2 distances measured here: same person 0.09-0.22, different people 0.34-0.59;
# deepface's 0.4 let 1-2 of 7 different pairs through, so vote with a stricter band and leave the
# middle undecided.
SAME_MAX = 0.30
DIFFERENT_MIN = 0.40
MIN_FACE_FRACTION = 0.08  # faces narrower than 8% of the frame are background people or Haar noise
MAX_SIDE = 640  # detection cost grows with pixels; phone video is at most 640x480 anyway
NO_FACE_RATIO = 0.2
NO_FACE_LONGEST_S = 3.0
EMOTIONS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")

_deepface = None


def load_models():
    """Import deepface on onnxruntime with local weights and build the models (call before forking)."""
    global _deepface
    if _deepface is None:
        home = paths.deepface_home()
        weights = home / ".deepface" / "weights"
        for name in ("dlib_face_recognition_resnet_model_v1.dat", "facial_expression_model_weights.onnx"):
            paths.require(weights / name, "deepface weights")
        os.environ["DEEPFACE_HOME"] = str(home)  # read on each weights lookup, so set before any model builds
        os.environ["DEEPFACE_BACKEND_ENGINE"] = "onnx"
        from deepface import DeepFace
        from deepface.modules import modeling

        modeling.build_model(task="facial_recognition", model_name=MODEL)
        modeling.build_model(task="facial_attribute", model_name="Emotion")
        modeling.build_model(task="face_detector", model_name=DETECTOR)
        _deepface = DeepFace
    return _deepface


def _shrink(image: np.ndarray) -> np.ndarray:
    import cv2

    h, w = image.shape[:2]
    scale = MAX_SIDE / max(h, w)
    return cv2.resize(image, (round(w * scale), round(h * scale))) if scale < 1 else image


def read_frames(path: str | Path, sample_fps: float = 1.0):
    """Yield (seconds, BGR frame) about sample_fps times a second from any container PyAV reads.

    Times come from decoding, not the header: MediaRecorder's WebM has no duration.
    """
    import av

    step = 1.0 / sample_fps
    next_t = 0.0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rate = float(stream.average_rate or 25)
        for index, frame in enumerate(container.decode(stream)):
            t = float(frame.time) if frame.time is not None else index / rate
            if t + 1e-6 >= next_t:
                next_t = t + step
                yield t, frame.to_ndarray(format="bgr24")


def _load_image(image: str | Path | np.ndarray) -> np.ndarray:
    import cv2

    if isinstance(image, np.ndarray):
        return image
    loaded = cv2.imread(str(image))
    if loaded is None:
        raise ValueError(f"cannot read image {image}")
    return loaded


def detect_faces(image: np.ndarray) -> list[dict]:
    """Detect faces once; return [{"area": {...}, "face": aligned BGR uint8 crop}] for plausible faces."""
    deepface = load_models()
    image = _shrink(image)
    found = deepface.extract_faces(image, detector_backend=DETECTOR, enforce_detection=False, align=True)
    width = image.shape[1]
    faces = []
    for item in found:
        area = item["facial_area"]
        # With enforce_detection=False deepface returns the whole frame at confidence 0 when it finds nothing.
        if item.get("confidence", 0) <= 0 or area["w"] < MIN_FACE_FRACTION * width:
            continue
        crop = (np.clip(item["face"], 0, 1) * 255).astype(np.uint8)[:, :, ::-1]  # RGB [0,1] -> BGR uint8
        faces.append({"area": {k: int(area[k]) for k in ("x", "y", "w", "h")}, "face": np.ascontiguousarray(crop)})
    return faces


def embed(face: np.ndarray) -> np.ndarray:
    """Return the L2-normalised Dlib embedding of an aligned face crop."""
    deepface = load_models()
    vector = np.asarray(deepface.represent(face, model_name=MODEL, detector_backend="skip")[0]["embedding"])
    return vector / (np.linalg.norm(vector) or 1.0)


def emotion(face: np.ndarray) -> dict[str, float]:
    """Return emotion probabilities (0-1) for an aligned face crop."""
    deepface = load_models()
    result = deepface.analyze(face, actions=["emotion"], detector_backend="skip", silent=True)[0]["emotion"]
    return {k: float(result[k]) / 100 for k in EMOTIONS}


def extract_reference(path_or_image: str | Path | np.ndarray) -> np.ndarray | None:
    """Return the aligned face crop of a reference snapshot, or None unless it shows exactly one face."""
    faces = detect_faces(_load_image(path_or_image))
    return faces[0]["face"] if len(faces) == 1 else None


def _reference_embedding(reference: str | Path | np.ndarray) -> np.ndarray | None:
    image = _load_image(reference)
    faces = detect_faces(image)
    if len(faces) == 1:
        return embed(faces[0]["face"])
    if not faces and max(image.shape[:2]) <= 300:
        return embed(image)  # already a tight crop from extract_reference(): the detector needs context
    return None


def _verdict(same: int, different: int, checked: int) -> str:
    """Vote over frames so one odd frame cannot decide."""
    if checked == 0:
        return "unknown"
    if different >= max(2, math.ceil(0.3 * checked)):
        return "different"
    if same >= math.ceil(0.6 * checked) and different < 2:
        return "same"
    return "unknown"


def _longest_run(flags: list[bool], times: list[float], step: float) -> float:
    longest, start = 0.0, None
    for flag, t in zip(flags + [False], times + [times[-1] + step if times else 0.0], strict=True):
        if flag and start is None:
            start = t
        elif not flag and start is not None:
            longest, start = max(longest, t - start), None
    return round(longest, 2)


def _flags(result: dict) -> list[dict]:
    flags = []
    n = result["frames_sampled"]
    if n and (result["no_face_ratio"] >= NO_FACE_RATIO or result["longest_no_face_s"] >= NO_FACE_LONGEST_S):
        flags.append({"code": "no_face", "message": f"画面中未检测到人脸（{result['no_face_ratio']:.0%} 的抽样帧，"
                      f"最长连续 {result['longest_no_face_s']:.0f} 秒）/ No face in the video for part of the answer"})
    if result["multi_face_frames"] >= 2 or (n and result["multi_face_frames"] / n >= 0.2):
        flags.append({"code": "multiple_faces", "message": f"画面中出现多张人脸（{result['multi_face_frames']} 帧）"
                      " / More than one face in the video"})
    if result["identity"]["verdict"] == "different":
        flags.append({"code": "different_person", "message": "答题人与参考照片或开头画面不是同一人"
                      " / The person answering does not match the reference"})
    return flags


def analyse_video(path: str | Path, reference_image: str | Path | np.ndarray | None = None, emotions: bool = False,
                  sample_fps: float = 1.0) -> dict:
    """Sample frames, detect faces once per frame, and report presence, count, identity and (opt-in) emotions.

    Without reference_image the first frame with exactly one face is the reference, which still catches
    a person swap during the answer.
    """
    reference = _reference_embedding(reference_image) if reference_image is not None else None
    times, counts, distances, emotion_sum, emotion_frames = [], [], [], dict.fromkeys(EMOTIONS, 0.0), 0
    for t, frame in read_frames(path, sample_fps):
        faces = detect_faces(frame)
        times.append(round(t, 2))
        counts.append(len(faces))
        if len(faces) != 1:
            continue
        vector = embed(faces[0]["face"])
        if reference is None and reference_image is None:
            reference = vector
            continue  # the reference frame would only vote for itself
        if reference is not None:
            distances.append(float(np.linalg.norm(vector - reference)))
        if emotions:
            for k, v in emotion(faces[0]["face"]).items():
                emotion_sum[k] += v
            emotion_frames += 1
    n = len(times)
    same = sum(d <= SAME_MAX for d in distances)
    different = sum(d >= DIFFERENT_MIN for d in distances)
    result = {
        "frames_sampled": n,
        "sample_fps": sample_fps,
        "duration_s": round(times[-1] + 1.0 / sample_fps, 2) if times else 0.0,
        "faces_per_frame": counts,
        "no_face_ratio": round(sum(c == 0 for c in counts) / n, 3) if n else 1.0,
        "longest_no_face_s": _longest_run([c == 0 for c in counts], times, 1.0 / sample_fps),
        "multi_face_frames": sum(c > 1 for c in counts),
        "identity": {
            "checked": len(distances),
            "reference": "given" if reference_image is not None else "first_frame",
            "same_person_votes": int(same),
            "different_votes": int(different),
            "distance_median": round(float(np.median(distances)), 3) if distances else None,
            "thresholds": {"same_max": SAME_MAX, "different_min": DIFFERENT_MIN, "metric": "euclidean_l2"},
            "verdict": _verdict(same, different, len(distances)),
        },
        "emotions": ({k: round(v / emotion_frames, 3) for k, v in emotion_sum.items()} if emotion_frames else {})
        if emotions else None,
        "model": f"deepface/{MODEL}+{DETECTOR}",
    }
    result["flags"] = _flags(result)
    return result
