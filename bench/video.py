"""Video checks: the sampled path (app/analysis/video.py) against the dense one it replaced, on labelled recordings.

    python bench/video.py [--seconds 40] [--only one_face,person_swap]

The labelled set is made here with ffmpeg from the committed face photos (tests/fixtures/media/astronaut.jpg and
other_person.jpg, the fake-camera tooling's photos: tools/fixtures/make_video.py) as a phone would record it
(640x480, 30 fps, VP8, camera noise), plus the committed face fixtures and the Chromium fake-camera recording.
Each is scored by both paths with the same flags; the dense path is the previous analyse_video (every 1 fps frame
detected at 640 px with alignment, every single-face frame embedded), kept here only for this comparison.
Prints seconds of checking per answer-minute for both, the agreement (flags and identity verdict) and the load
average, and writes bench/results/video.{md,json}.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MEDIA = ROOT / "tests" / "fixtures" / "media"
BROWSER = ROOT / "tests" / "fixtures" / "browser"
RESULTS = ROOT / "bench" / "results"
W, H, FPS = 640, 480, 30


def dense_analysis(path, reference_image=None, emotions=False, sample_fps=1.0):
    """The dense path as it was: detect (640 px, aligned) and embed every sampled frame."""
    from app.analysis import video
    reference = video._reference_embedding(reference_image) if reference_image is not None else None
    times, counts, distances, felt = [], [], [], []
    for t, frame in video.read_frames(path, sample_fps):
        faces = video.detect_faces(frame)
        times.append(round(t, 2))
        counts.append(len(faces))
        if len(faces) != 1:
            continue
        vector = video.embed(faces[0]["face"])
        if reference is None and reference_image is None:
            reference = vector
            continue
        if reference is not None:
            distances.append(float(np.linalg.norm(vector - reference)))
        if emotions:
            felt.append(video.emotion(faces[0]["face"]))
    average = {k: round(sum(f[k] for f in felt) / len(felt), 3) for k in video.EMOTIONS} if felt else {}
    return video.summarise(times, counts, distances, reference_image is not None, sample_fps,
                           average if emotions else None)


# --- the labelled recordings ---------------------------------------------------------------------------------

def _photos():
    from PIL import Image
    return Image.open(MEDIA / "astronaut.jpg").convert("RGB"), Image.open(MEDIA / "other_person.jpg").convert("RGB")


def _canvas(*faces, brightness=1.0, rotate=0, size=1.0):
    """The photos side by side on a grey 640x480 frame, each as large as its slot allows (times `size`): the
    astronaut's face is then ~15 % of the frame's width, a candidate at arm's length is 20-40 %."""
    from PIL import Image, ImageEnhance
    frame = Image.new("RGB", (W, H), (128, 128, 128))
    slot = W // max(1, len(faces))
    for i, face in enumerate(faces):
        face = face.rotate(rotate, expand=True, fillcolor=(128, 128, 128)) if rotate else face
        scale = size * min((slot - 10) / face.width, (H - 20) / face.height)
        face = face.resize((round(face.width * scale), round(face.height * scale)), Image.LANCZOS)
        frame.paste(face, (i * slot + (slot - face.width) // 2, (H - face.height) // 2))
    return ImageEnhance.Brightness(frame).enhance(brightness) if brightness != 1.0 else frame


def _encode(pieces, target):
    """(frame, seconds) pieces -> a 30 fps VP8 WebM with temporal camera noise and a slight drift, like a phone."""
    with tempfile.TemporaryDirectory() as tmp:
        lines = []
        for i, (frame, seconds) in enumerate(pieces):
            png = Path(tmp) / f"{i}.png"
            frame.save(png)
            lines += [f"file '{png}'", f"duration {seconds}"]
        lines.append(f"file '{Path(tmp) / f'{len(pieces) - 1}.png'}'")
        (Path(tmp) / "list.txt").write_text("\n".join(lines) + "\n")
        subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i",
                        str(Path(tmp) / "list.txt"), "-vf",
                        f"crop={W - 16}:{H - 12}:8+6*sin(t/3):6+4*cos(t/4),scale={W}:{H},noise=alls=7:allf=t",
                        "-r", str(FPS), "-fps_mode", "cfr", "-pix_fmt", "yuv420p", "-c:v", "libvpx", "-b:v", "500k",
                        "-deadline", "realtime", "-cpu-used", "8", str(target)], check=True)


def labelled_set(folder, seconds):
    """[(name, path, reference photo or None, expected flag codes, what it shows)]."""
    me, other = _photos()
    s = seconds
    third = round(s / 3)
    made = {
        "one_face": ([(_canvas(me), s)], "the candidate throughout"),
        "no_face_stretch": ([(_canvas(me), third), (_canvas(), 8), (_canvas(me), s - third - 8)],
                            "the candidate leaves the camera for 8 s"),
        "second_person": ([(_canvas(me), third), (_canvas(me, other), 6), (_canvas(me), s - third - 6)],
                          "a second person beside the candidate for 6 s"),
        "second_person_blip": ([(_canvas(me), third), (_canvas(me, other), 1), (_canvas(me), s - third - 1)],
                               "a second face for 1 s (below the flag's two frames)"),
        "person_swap": ([(_canvas(me), third), (_canvas(other), s - third)], "another person answers after a third"),
        "far_from_camera": ([(_canvas(me, size=0.6), s)], "the candidate far back (face ~9 % of the width)"),
        "dark": ([(_canvas(me, brightness=0.12), s)], "the candidate in a dark room"),
        "turned_away": ([(_canvas(me), third), (_canvas(me, rotate=75), s - third)],
                        "the candidate turns away (head at 75 degrees) after a third"),
    }
    expected = {"one_face": [], "no_face_stretch": ["no_face"], "second_person": ["multiple_faces"],
                "second_person_blip": [], "person_swap": ["different_person"], "far_from_camera": [], "dark": None,
                "turned_away": None}
    out = []
    for name, (pieces, what) in made.items():
        path = Path(folder) / f"{name}.webm"
        _encode(pieces, path)
        out.append((name, path, MEDIA / "astronaut.jpg", expected[name], what))
    out.append(("person_swap_first_frame", Path(folder) / "person_swap.webm", None, ["different_person"],
                "the swap without a reference photo (the first face is the reference)"))
    for name, expect in (("face_astronaut.webm", []), ("face_astronaut.mp4", []), ("face_switch.webm",
                         ["different_person"]), ("face_two.webm", ["multiple_faces"]),
                         ("face_blank.webm", ["no_face"])):
        out.append((f"fixture {name}", MEDIA / name, MEDIA / "astronaut.jpg", expect, "committed face fixture"))
    out.append(("fixture mediarecorder-vp8-opus.webm", BROWSER / "mediarecorder-vp8-opus.webm", None, None,
                "Chromium's fake camera through MediaRecorder (no face: a test pattern)"))
    out.append(("audio_only", MEDIA / "backend_good.webm", MEDIA / "astronaut.jpg", None,
                "no video stream: skipped before the checks (answer_analysis.video_policy) on both paths"))
    return out


def has_video(path):
    import av
    with av.open(str(path)) as container:
        return bool(container.streams.video)


def timed(fn, *args, **kwargs):
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=40, help="length of each made recording")
    parser.add_argument("--only", default="", help="comma-separated recording names")
    args = parser.parse_args()
    args.load_start = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at start {args.load_start}", flush=True)
    from app.analysis import video
    video.load_models()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-video-") as folder:
        recordings = labelled_set(folder, args.seconds)
        for name, path, reference, expected, what in recordings:
            if args.only and name not in args.only.split(","):
                continue
            load = os.getloadavg()[0]
            if not has_video(path):
                rows.append({"name": name, "what": what, "expected": expected, "skipped": True, "load": load})
                continue
            old, old_cpu, old_wall = timed(dense_analysis, path, reference_image=reference)
            new, new_cpu, new_wall = timed(video.analyse_video, path, reference_image=reference)
            rows.append({
                "name": name, "what": what, "expected": expected, "load": load, "duration_s": old["duration_s"],
                "old": {"flags": [f["code"] for f in old["flags"]], "verdict": old["identity"]["verdict"],
                        "cpu_s": old_cpu, "wall_s": old_wall, "frames_detected": old["frames_sampled"],
                        "embedded": old["identity"]["checked"], "faces_per_frame": old["faces_per_frame"]},
                "new": {"flags": [f["code"] for f in new["flags"]], "verdict": new["identity"]["verdict"],
                        "cpu_s": new_cpu, "wall_s": new_wall, "frames_detected": new["sampling"]["frames_detected"],
                        "embedded": new["sampling"]["frames_embedded"], "faces_per_frame": new["faces_per_frame"]},
            })
            print(f"{name}: old {rows[-1]['old']['flags']} {rows[-1]['old']['verdict']} {old_cpu:.1f}s cpu; "
                  f"new {rows[-1]['new']['flags']} {rows[-1]['new']['verdict']} {new_cpu:.1f}s cpu", flush=True)
    report(rows, args)


def report(rows, args):
    head = ("| recording | expected flags | dense: flags / identity | sampled: flags / identity | agree | "
            "frames detected / embedded (dense -> sampled) | CPU s dense -> sampled | load 1 min |\n"
            "|---|---|---|---|---|---|---|---|\n")
    lines, agree, checked = [], 0, 0
    for r in rows:
        expected = "—" if r["expected"] is None else (", ".join(r["expected"]) or "none")
        if r.get("skipped"):
            lines.append(f"| {r['name']} | {expected} | skipped (audio-only) | skipped (audio-only) | yes | — | — | "
                         f"{r['load']:.1f} |")
            continue
        old, new = r["old"], r["new"]
        same = old["flags"] == new["flags"] and old["verdict"] == new["verdict"]
        agree += same
        checked += 1
        lines.append(f"| {r['name']} | {expected} | {', '.join(old['flags']) or 'none'} / {old['verdict']} | "
                     f"{', '.join(new['flags']) or 'none'} / {new['verdict']} | {'yes' if same else '**NO**'} | "
                     f"{old['frames_detected']}/{old['embedded']} -> {new['frames_detected']}/{new['embedded']} | "
                     f"{old['cpu_s']:.1f} -> {new['cpu_s']:.1f} | {r['load']:.1f} |")
    timed_rows = [r for r in rows if not r.get("skipped")]
    minutes = sum(r["duration_s"] for r in timed_rows) / 60
    old_cpu = sum(r["old"]["cpu_s"] for r in timed_rows)
    new_cpu = sum(r["new"]["cpu_s"] for r in timed_rows)
    old_wall = sum(r["old"]["wall_s"] for r in timed_rows)
    new_wall = sum(r["new"]["wall_s"] for r in timed_rows)
    loads = [r["load"] for r in rows]
    load_end = [round(x, 2) for x in os.getloadavg()]
    summary = (f"| path | CPU s per answer-minute | wall s per answer-minute |\n|---|---|---|\n"
               f"| dense (before) | {old_cpu / minutes:.1f} | {old_wall / minutes:.1f} |\n"
               f"| sampled (now) | {new_cpu / minutes:.1f} | {new_wall / minutes:.1f} |\n\n"
               f"Agreement (flags and identity verdict, dense vs sampled): **{agree}/{checked}** recordings with "
               f"video, plus the audio-only one skipped by both. Cost: **{old_cpu / max(new_cpu, 1e-9):.1f}x** less "
               f"CPU ({minutes:.1f} answer-minutes in all). Load average (1 min) during the runs: "
               f"{min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores shared with other work; load average "
               f"(1, 5, 15 min) at start {args.load_start}, at end {load_end}.\n")
    table = head + "\n".join(lines) + "\n"
    print(summary + "\n" + table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = (f"# Video checks: sampled vs dense\n\n`python bench/video.py --seconds {args.seconds}` on "
            f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({platform.machine()}), Python "
            f"{platform.python_version()}. CPU seconds are the process's (decoding, detection, embeddings; "
            "onnxruntime and OpenCV threads included). Made recordings: 640x480, 30 fps VP8 with camera noise, "
            f"{args.seconds} s each, from the fixture photos; expected flags \"—\" where the label is not a flag "
            "(dark, turned away: whatever the dense path said is the verdict to keep).\n\n" + summary + "\n" + table)
    (RESULTS / "video.md").write_text(text, encoding="utf-8")
    (RESULTS / "video.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(f"saved {RESULTS / 'video.md'}")


if __name__ == "__main__":
    main()
