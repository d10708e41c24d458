"""Check a recorded answer's video for integrity: a face is there, one face, the same person."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from app.analysis import paths, video_sampling

DETECTOR = "opencv"
MODEL = "Dlib"
# Dlib euclidean_l2 distances measured here: same person 0.09-0.22, different people 0.34-0.59;
# deepface's 0.4 let 1-2 of 7 different pairs through, so vote with a stricter band and leave the
# middle undecided.
SAME_MAX = 0.30
DIFFERENT_MIN = 0.40
MIN_FACE_FRACTION = 0.08  # faces narrower than 8% of the frame are background people or Haar noise
MAX_SIDE = 640  # detection cost grows with pixels; phone video is at most 640x480 anyway
CROP_MARGIN = 0.5  # the crop embedded is the face box plus half its width each side: the aligner needs context
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


def grid_frames(path: str | Path, sample_fps: float = 1.0):
    """Yield (seconds, decoded av.VideoFrame) about sample_fps times a second from any container PyAV reads.

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
                yield t, frame


def read_frames(path: str | Path, sample_fps: float = 1.0):
    """Yield (seconds, BGR frame) about sample_fps times a second."""
    for t, frame in grid_frames(path, sample_fps):
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
                      f"最长连续 {result['longest_no_face_s']:.0f} 秒） / No face in the video for part of the answer"})
    if result["multi_face_frames"] >= 2 or (n and result["multi_face_frames"] / n >= 0.2):
        flags.append({"code": "multiple_faces", "message": f"画面中出现多张人脸（{result['multi_face_frames']} 帧）"
                      " / More than one face in the video"})
    if result["identity"]["verdict"] == "different":
        flags.append({"code": "different_person", "message": "答题人与参考照片或开头画面不是同一人"
                      " / The person answering does not match the reference"})
    return flags


def count_faces(image: np.ndarray) -> list[dict]:
    """The plausible face boxes of a frame (at most MAX_SIDE): the same Haar cascade and filters as detect_faces,
    without its eye search and alignment (only embeddings need them), and without searching for faces smaller than
    the filter keeps (the cascade's smallest windows are most of its cost). Counting on frames downscaled to 320 px
    instead missed a second face 10 % of the width wide (the cascade's 24 px window), and at 480 a candidate
    sitting far back (8-9 %); at 640 px the counts equal detect_faces' (tests/analysis/test_video.py)."""
    load_models()
    from deepface.modules import modeling

    cascade = modeling.build_model(task="face_detector", model_name=DETECTOR).model["face_detector"]
    width = image.shape[1]
    smallest = math.ceil(MIN_FACE_FRACTION * width)  # the filter below drops smaller ones: do not search for them
    try:
        found, _, scores = cascade.detectMultiScale3(image, 1.1, 10, outputRejectLevels=True,
                                                     minSize=(smallest, smallest))
    except Exception:  # noqa: BLE001 - what deepface does: an undetectable frame has no faces
        return []
    # deepface's confidence is (100 - score) / 100; detect_faces drops confidence <= 0.
    return [{"x": int(x), "y": int(y), "w": int(w), "h": int(h)}
            for (x, y, w, h), score in zip(found, scores, strict=True)
            if score < 100 and w >= MIN_FACE_FRACTION * width]


def _crop(sample) -> np.ndarray:
    """The face of a sample with CROP_MARGIN around it (the aligner needs context), for the full detector."""
    box, image = sample.boxes[0], sample.frame
    pad = CROP_MARGIN * box["w"]
    x0, y0 = max(0, round(box["x"] - pad)), max(0, round(box["y"] - pad))
    return np.ascontiguousarray(image[y0:round(box["y"] + box["h"] + pad), x0:round(box["x"] + box["w"] + pad)])


def _one_face(crop: np.ndarray | None) -> np.ndarray | None:
    """The aligned face of a crop when the full detector finds exactly one there."""
    faces = detect_faces(crop) if crop is not None else []
    return faces[0]["face"] if len(faces) == 1 else None


def analyse_video(path: str | Path, reference_image: str | Path | np.ndarray | None = None, emotions: bool = False,
                  sample_fps: float = 1.0) -> dict:
    """Count faces on the 1 fps grid (sparse where nothing changes: video_sampling.scan), then check
    identity and (opt-in) emotions on a few well-spread single-face frames and those where the count or the box
    jumped; report presence, count, identity and emotions.

    Without reference_image the first frame with exactly one face is the reference, which still catches
    a person swap during the answer.
    """
    reference = _reference_embedding(reference_image) if reference_image is not None else None
    detections = []

    def detect(image):
        detections.append(1)
        return count_faces(image)

    grid = ((t, _shrink(frame.to_ndarray(format="bgr24"))) for t, frame in grid_frames(path, sample_fps))
    samples = video_sampling.scan(grid, detect)
    times, counts, first, crops = video_sampling.identity_frames(samples, _crop, reference_image is None)
    faces = [face for face in map(_one_face, crops) if face is not None]
    if reference_image is None:
        first_face = _one_face(first)
        if first_face is None and faces:
            first_face = faces.pop(0)  # the reference frame would only vote for itself
        reference = embed(first_face) if first_face is not None else None
    distances = [float(np.linalg.norm(embed(face) - reference)) for face in faces] if reference is not None else []
    felt = [emotion(face) for face in faces] if emotions else []
    result = summarise(times, counts, distances, reference_image is not None, sample_fps,
                       {k: round(sum(f[k] for f in felt) / len(felt), 3) for k in EMOTIONS} if felt else {}
                       if emotions else None)
    result["sampling"] = {"step": video_sampling.SPARSE_STEP,
                          "frames_detected": len(detections), "frames_embedded": len(faces)}
    return result


def summarise(times: list[float], counts: list[int], distances: list[float], reference_given: bool,
              sample_fps: float, emotions: dict | None) -> dict:
    """The stored result (and its flags) from the faces counted on the grid and the identity distances."""
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
            "reference": "given" if reference_given else "first_frame",
            "same_person_votes": int(same),
            "different_votes": int(different),
            "distance_median": round(float(np.median(distances)), 3) if distances else None,
            "thresholds": {"same_max": SAME_MAX, "different_min": DIFFERENT_MIN, "metric": "euclidean_l2"},
            "verdict": _verdict(same, different, len(distances)),
        },
        "emotions": emotions,
        "model": f"deepface/{MODEL}+{DETECTOR}",
    }
    result["flags"] = _flags(result)
    return result
