"""Which frames the video checks look at (app/analysis/video_sampling.py), on frozen detector outputs: the face
counts are those of checking every frame, at about half the detections; identity frames are spread and catch
jumps."""
import random

import pytest

from app.analysis import video, video_sampling
from app.analysis.video_sampling import Spread, box_jumped, identity_frames, scan

FACE = {"x": 200, "y": 120, "w": 180, "h": 180}
FAR = {"x": 20, "y": 40, "w": 60, "h": 60}


def boxes(count):
    return [dict(FACE, x=FACE["x"] + 200 * i) for i in range(count)]


def run(counts, step=video_sampling.SPARSE_STEP):
    """Scan a grid whose detector answers are frozen (one count per second); return (samples, detected seconds)."""
    detected = []

    def detect(t):
        detected.append(t)
        return boxes(counts[t])
    return list(scan(((float(t), t) for t in range(len(counts))), detect, step)), detected


def runs_of_at_least_two(rng, n):
    counts = []
    while len(counts) < n:
        counts += [rng.choice([0, 1, 1, 1, 2])] * rng.randint(2, 12)
    counts = counts[:n]
    if n >= 2 and counts[-1] != counts[-2]:
        counts[-1] = counts[-2]
    return counts


def test_counts_equal_the_dense_ones_whenever_every_change_lasts_two_seconds():
    rng = random.Random(23)
    for n in [1, 2, 3, 4, 5, 9, 30, 61, 120, 121]:
        for _ in range(40):
            counts = runs_of_at_least_two(rng, n)
            samples, detected = run(counts)
            assert [s.t for s in samples] == [float(t) for t in range(n)]   # every second, in order
            assert [len(s.boxes) for s in samples] == counts
            assert len(detected) == len(set(detected))                      # no frame detected twice
            if n >= 30 and len(set(counts)) == 1:
                assert len(detected) <= n // 2 + 2


def test_a_steady_answer_is_detected_every_other_second_and_a_change_is_placed_to_the_second():
    counts = [1] * 20 + [2] * 3 + [1] * 17
    samples, detected = run(counts)
    assert [len(s.boxes) for s in samples] == counts
    assert 19 in detected and 20 in detected and 23 in detected     # the seconds around both changes
    assert len(detected) < 26                                       # against 40 for every second
    assert all(s.detected == (s.t in detected) for s in samples)


def test_the_flags_of_the_labelled_patterns_are_the_dense_ones():
    """The patterns of bench/video.py's recordings, by second (60 s answers)."""
    patterns = {
        "one_face": [1] * 60,
        "no_face_stretch": [1] * 20 + [0] * 8 + [1] * 32,
        "second_person": [1] * 20 + [2] * 6 + [1] * 34,
        "second_person_blip": [1] * 20 + [2] + [1] * 39,
        "dark": [0] * 60,
        "turned_away": [1] * 20 + [0] * 40,
    }
    for name, counts in patterns.items():
        samples, _ = run(counts)
        times = [s.t for s in samples]
        sampled = video.summarise(times, [len(s.boxes) for s in samples], [], True, 1.0, None)["flags"]
        dense = video.summarise(times, counts, [], True, 1.0, None)["flags"]
        assert [f["code"] for f in sampled] == [f["code"] for f in dense], name


def test_a_lone_second_between_two_agreeing_detections_can_go_unseen():
    """The price of sampling: a one-second detection (Haar's typical flicker on a poster) between two detections
    that agree is not looked at. Two such blips flag "multiple faces" densely, not sampled."""
    counts = [1] * 11 + [2] + [1] * 9 + [2] + [1] * 8
    samples, _ = run(counts)
    assert sum(len(s.boxes) > 1 for s in samples) == 0
    assert video.summarise(list(range(30)), counts, [], True, 1.0, None)["multi_face_frames"] == 2


def test_spread_keeps_a_few_evenly_spaced_items_of_a_stream_of_any_length():
    for n in [1, 5, 8, 9, 16, 17, 100, 1000, 7201]:
        spread = Spread(8)
        for i in range(n):
            spread.offer(lambda i=i: i)
            assert len(spread.items) <= 16
        picked = spread.picked()
        assert len(picked) == min(n, 8) and picked[0] == 0 and picked == sorted(picked)
        if n >= 100:
            gaps = [b - a for a, b in zip(picked, picked[1:], strict=False)]
            assert max(gaps) <= 2.5 * n / 8   # spread over the whole answer, not bunched at its start


def test_identity_frames_take_the_first_face_as_reference_the_jumps_and_a_spread_rest():
    counts = [1] * 30 + [0] * 4 + [1] * 40
    jump_at = 50
    crops = []

    def detect(t):
        if counts[t] == 0:
            return []
        return [FAR] if t >= jump_at else [FACE]   # someone else sat down at 50 s, further back

    def crop(sample):
        crops.append(sample.t)
        return sample.t
    samples = scan(((float(t), t) for t in range(len(counts))), detect)
    times, got, reference, kept = identity_frames(samples, crop, want_reference=True)
    assert got == counts and times == [float(t) for t in range(len(counts))]
    assert reference == 0.0
    assert kept[:2] == [34.0, 50.0]            # back after no face, and the box jump, first
    spread = kept[2:]
    assert len(spread) == video_sampling.IDENTITY_FRAMES and min(spread) <= 4 and max(spread) >= 70
    # Cropped: the reference, the jumps and what Spread kept along the way, not all 36 single-face detections.
    assert set(kept) | {0.0} <= set(crops) and len(crops) < 36


def test_with_a_reference_photo_the_first_face_votes_too():
    samples = scan(((float(t), t) for t in range(6)), lambda t: [FACE])
    _, _, reference, kept = identity_frames(samples, lambda s: s.t, want_reference=False)
    assert reference is None and kept[0] == 0.0


@pytest.mark.parametrize("after, jumped", [(FACE, False), (dict(FACE, x=FACE["x"] + 40), False),
                                           (dict(FACE, x=FACE["x"] + 120), True), (dict(FACE, w=300), True),
                                           (FAR, True)])
def test_a_box_jump_is_a_move_or_a_resize_by_half_the_face(after, jumped):
    assert box_jumped(FACE, after) is jumped
    assert box_jumped(None, after) is True
