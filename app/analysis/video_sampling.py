"""Which frames of an answer the face checks look at, so they cost a fraction of checking every sampled frame.

- Faces are counted on every `step`-th frame of the 1 fps grid; where two counts disagree, every grid frame
  between them is counted too, so each change that lasts `step` seconds is placed to the second and the counts
  equal those of counting every frame. What can go unseen is a lone frame between two agreeing counts: Haar's
  one-frame flicker (a poster taken for a face) mostly, which densely flagged "multiple faces" when it came twice.
- Identity is checked on a few well-spread single-face frames (`Spread`) plus the frames where the face count or
  the face box jumps (someone sat down in front of the camera), not on every frame.

Pure logic: the detector and the frames come in as arguments, so tests run it on frozen detector outputs.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

SPARSE_STEP = 2          # grid frames per detection where nothing changes
IDENTITY_FRAMES = 8      # well-spread single-face frames embedded per answer
JUMP_FRAMES = 4          # at most this many more: frames right after the count or the face box jumped
BOX_JUMP = 0.5           # the box centre moved by half its width, or its width changed by half


@dataclass
class Sample:
    t: float
    frame: Any                # whatever the grid yields (the decoded frame); alive only during the walk
    boxes: list[dict]         # {"x","y","w","h"} in the detector's image; copied from a neighbour when not detected
    detected: bool


def scan(grid: Iterable[tuple[float, Any]], detect: Callable[[Any], list[dict]],
         step: int = SPARSE_STEP) -> Iterator[Sample]:
    """Yield a Sample for every (t, frame) of `grid`, in order, detecting faces (`detect(frame)` -> boxes) on the
    first, every `step`-th and the last frame, and on every frame between two detections whose counts differ."""
    pending: list[tuple[float, Any]] = []
    previous: list[dict] | None = None
    index = -1
    for index, (t, frame) in enumerate(grid):
        if index % step:
            pending.append((t, frame))
            continue
        boxes = detect(frame)
        yield from _between(pending, previous, boxes, detect)
        yield Sample(t, frame, boxes, True)
        previous, pending = boxes, []
    if pending:  # the frames after the last detection: detect the very last, then settle the ones before it
        t, frame = pending.pop()
        boxes = detect(frame)
        yield from _between(pending, previous, boxes, detect)
        yield Sample(t, frame, boxes, True)


def _between(pending, before, after, detect):
    for t, frame in pending:
        if before is not None and len(before) == len(after):
            yield Sample(t, frame, before, False)
        else:
            yield Sample(t, frame, detect(frame), True)


def box_jumped(before: dict | None, after: dict) -> bool:
    """Whether a single face's box moved or resized enough to be someone else sitting down."""
    if before is None:
        return True
    centre = abs((before["x"] + before["w"] / 2) - (after["x"] + after["w"] / 2))
    centre_y = abs((before["y"] + before["h"] / 2) - (after["y"] + after["h"] / 2))
    return (max(centre, centre_y) > BOX_JUMP * before["w"]
            or abs(after["w"] - before["w"]) > BOX_JUMP * before["w"])


class Spread:
    """Keep about `target` items spread evenly over a stream of unknown length, holding at most 2 x target: every
    stride-th offer is kept, and when too many are kept every other one is dropped and the stride doubles."""

    def __init__(self, target: int = IDENTITY_FRAMES):
        self.target, self.stride, self.offered, self.items = target, 1, 0, []

    def offer(self, make: Callable[[], Any]) -> None:
        if self.offered % self.stride == 0:
            self.items.append(make())
            if len(self.items) > 2 * self.target:
                self.items, self.stride = self.items[::2], self.stride * 2
        self.offered += 1

    def picked(self) -> list:
        """`target` of the kept items, first and last included, evenly spaced."""
        n = len(self.items)
        if n <= self.target:
            return list(self.items)
        return [self.items[round(i * (n - 1) / (self.target - 1))] for i in range(self.target)]


def identity_frames(samples: Iterable[Sample], crop: Callable[[Sample], Any], want_reference: bool,
                    target: int = IDENTITY_FRAMES, jumps: int = JUMP_FRAMES):
    """Walk the samples; return (times, counts, reference crop or None, [crops to embed]). Candidates are detected
    single-face frames: the first one is the reference when `want_reference`; frames right after the count or the
    box jumped go first (up to `jumps`), the rest are spread evenly (`target`). `crop(sample)` is called only for
    frames kept, while their frame is still at hand."""
    times, counts, jumped, spread = [], [], [], Spread(target)
    reference, last_box, last_count = None, None, None
    for sample in samples:
        times.append(round(sample.t, 2))
        counts.append(len(sample.boxes))
        if len(sample.boxes) == 1 and sample.detected:
            box = sample.boxes[0]
            if want_reference and reference is None:
                reference = crop(sample)
            elif (last_count != 1 or box_jumped(last_box, box)) and len(jumped) < jumps and last_count is not None:
                jumped.append(crop(sample))
            else:
                spread.offer(lambda s=sample: crop(s))
            last_box = box
        if sample.detected:
            last_count = len(sample.boxes)
    return times, counts, reference, jumped + spread.picked()
