"""Check that an uploaded answer is real media and measure it by demuxing and decoding (PyAV).

MediaRecorder's WebM has no duration in its header, so the duration is measured from the packets themselves.
"""
import dataclasses
import logging
import os

import av

log = logging.getLogger(__name__)

# How many video frames to decode to prove the video track is usable (decoding all of it is the ML worker's job).
VIDEO_FRAMES_TO_DECODE = 5
# A file whose header promises more than this share of extra length was cut short.
TRUNCATION_TOLERANCE = 0.85
# MediaRecorder's live WebM declares no duration and ends right after its last block (a 4-byte block header sits
# before each frame); more unread bytes after the last whole frame mean the file stops inside a block: it was cut.
WEBM_TRAILING_LIMIT = 32


class MediaError(ValueError):
    """The file is not usable media; `reason` is a short machine-readable cause."""

    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclasses.dataclass
class MediaInfo:
    duration_s: float
    has_audio: bool
    has_video: bool
    container: str


def probe(path):
    """Return MediaInfo of the file at `path`; raise MediaError when it does not decode or was cut short."""
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise MediaError("unreadable", str(exc)) from exc
    with container:
        audio = next(iter(container.streams.audio), None)
        video = next(iter(container.streams.video), None)
        if audio is None and video is None:
            raise MediaError("no_streams")
        streams = [s for s in (audio, video) if s is not None]
        declared = float(container.duration / av.time_base) if container.duration else None
        container_name = container.format.name
        start, end = {}, {}
        video_frames = 0
        audio_frames = 0
        data_end = 0
        try:
            for packet in container.demux(streams):
                if packet.size == 0:
                    continue
                if packet.pts is not None and packet.time_base is not None:
                    t0 = float(packet.pts * packet.time_base)
                    t1 = t0 + float((packet.duration or 0) * packet.time_base)
                    start[packet.stream.index] = min(start.get(packet.stream.index, t0), t0)
                    end[packet.stream.index] = max(end.get(packet.stream.index, t1), t1)
                if packet.pos is not None and packet.pos >= 0:
                    data_end = max(data_end, packet.pos + packet.size)
                if packet.stream is audio:
                    audio_frames += len(packet.decode())
                elif video_frames < VIDEO_FRAMES_TO_DECODE:
                    video_frames += len(packet.decode())
        except av.FFmpegError as exc:
            raise MediaError("corrupt", str(exc)) from exc
    if audio is not None and audio_frames == 0:
        raise MediaError("no_audio_frames")
    if video is not None and audio is None and video_frames == 0:
        raise MediaError("no_video_frames")
    durations = [end[i] - start[i] for i in end]
    duration = max(durations) if durations else 0.0
    if declared and duration < declared * TRUNCATION_TOLERANCE:
        raise MediaError("truncated", f"decoded {duration:.2f}s of a declared {declared:.2f}s")
    if declared is None and "webm" in container_name and os.path.getsize(path) - data_end > WEBM_TRAILING_LIMIT:
        raise MediaError("truncated", f"the file ends inside a block after byte {data_end}")
    return MediaInfo(duration_s=round(duration, 3), has_audio=audio is not None,
                     has_video=video is not None and video_frames > 0, container=container_name)


def packet_duration(path):
    """The duration from the packets' timestamps only (demuxing, no decoding): cheap even for an hour of audio.

    Used to refuse a recording that is too long before `probe` decodes it. Raises MediaError when unreadable.
    """
    try:
        with av.open(str(path)) as container:
            streams = [s for s in (*container.streams.audio[:1], *container.streams.video[:1])]
            start, end = {}, {}
            for packet in container.demux(streams):
                if packet.pts is None or packet.time_base is None:
                    continue
                t0 = float(packet.pts * packet.time_base)
                t1 = t0 + float((packet.duration or 0) * packet.time_base)
                start[packet.stream.index] = min(start.get(packet.stream.index, t0), t0)
                end[packet.stream.index] = max(end.get(packet.stream.index, t1), t1)
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise MediaError("unreadable", str(exc)) from exc
    return max((end[i] - start[i] for i in end), default=0.0)


# Container (PyAV format name) and MIME type of an audio-only copy, by the stored file's extension.
AUDIO_ONLY_FORMATS = {"webm": ("webm", "audio/webm"), "mkv": ("matroska", "audio/x-matroska"),
                      "mp4": ("mp4", "audio/mp4"), "mov": ("mp4", "audio/mp4"), "m4a": ("mp4", "audio/mp4"),
                      "ogv": ("ogg", "audio/ogg"), "ogg": ("ogg", "audio/ogg")}


def strip_video(src, dst, extension):
    """Copy only the audio track of `src` into `dst` (no re-encoding); return the new MIME type.

    Used when the candidate declined biometrics: whatever a client sends, no picture of them is stored.
    """
    fmt, mime = AUDIO_ONLY_FORMATS.get(extension, ("matroska", "audio/x-matroska"))
    try:
        with av.open(str(src)) as source, av.open(str(dst), mode="w", format=fmt) as out:
            audio = next(iter(source.streams.audio), None)
            if audio is None:
                raise MediaError("no_audio_frames")
            target = out.add_stream_from_template(audio)
            for packet in source.demux(audio):
                if packet.dts is None:
                    continue
                packet.stream = target
                out.mux(packet)
    except av.FFmpegError as exc:
        raise MediaError("corrupt", str(exc)) from exc
    return mime
