"""Transcribe recorded answers (Mandarin) with Whisper base from local files only."""

from __future__ import annotations

import abc
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from app.analysis import paths, speech_cut

SAMPLE_RATE = 16000
# Whisper base writes traditional characters for Mandarin unless the prompt is in simplified ones;
# OpenCC t2s afterwards catches what the prompt misses.
INITIAL_PROMPT = "以下是普通话的句子。"
# A unit of 1-12 characters repeated 4+ times in a row is a decoding loop, not speech.
_LOOP = re.compile(r"(.{1,12}?)\1{3,}", re.S)
# Such a loop running to the end of a segment ("……………", "的的的的"), after what was really said.
_TAIL_LOOP = re.compile(_LOOP.pattern + r"\W*$", re.S)
# Determinism: the same audio on one machine gives the same transcript. The thread count is fixed (not the
# machine's core count: a different split of the matrix work can change a float and then a character), and
# decoding is greedy at temperature 0 with no sampling fallback (a fallback would sample at 0.2, 0.4, ...).
# Threads: one. On a 120 s answer (bench/asr.py's thread table) one thread decodes as fast as two and spends 30 %
# less CPU (the second thread mostly waits), so one model worker per core with one thread each is both the
# cheapest per interview and the fastest for a burst (two answers at once). ASR_THREADS overrides it for a host
# that runs fewer workers than cores; the frozen transcripts (tools/fixtures/freeze_transcripts.py) are this value's.
CPU_THREADS = 1
TEMPERATURE = 0.0
# Text over silence (measured: with the job's words in the prompt Whisper closed 3 of 14 clips with an invented
# phrase, "我认为你能够做到最后的一切", "这次的电视频是"). Such a segment sits at the end of the audio with its words
# collapsed onto one instant, a high no-speech probability and low word probabilities, or loops (high compression).
COMPRESSION_RATIO_MAX = 2.4
NO_SPEECH_MIN = 0.5  # with mean word probability below WORD_PROB_MIN
WORD_PROB_MIN = 0.4
MIN_WORD_S = 0.05  # median word duration below this: the words were not spoken over time


@dataclass
class Transcript:
    """What was said in one recording."""

    text: str
    # {"start", "end", "text", "words": [{start, end, word, probability}], "avg_logprob", "no_speech_prob"}
    segments: list[dict] = field(default_factory=list)
    language: str = "zh"
    engine: str = ""
    model: str = ""
    duration: float = 0.0
    raw_text: str = ""  # what Whisper wrote, before the job-term correction (text == raw_text without one)
    corrections: list[dict] = field(default_factory=list)  # {"start", "end", "heard", "term", "match"}
    prompt_terms: list[str] = field(default_factory=list)  # the job's words the decoder was primed with
    dropped: list[dict] = field(default_factory=list)  # segments dropped as not speech: {"start", "end", "text", "why"}
    # What the recogniser was fed: the speech regions [start, end] on the recording's timeline (None: the whole
    # recording, or faster-whisper's own VAD filter) and their total seconds.
    speech: list[list[float]] | None = None
    decoded_s: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Transcript:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def decode_audio(path: str | Path) -> np.ndarray:
    """Decode any container the browser recorded (webm/opus, mp4/aac, ogg, wav) to 16 kHz mono float32."""
    from faster_whisper.audio import decode_audio as _decode  # PyAV, no ffmpeg binary needed

    return _decode(str(path), sampling_rate=SAMPLE_RATE)


_t2s = None


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified ones."""
    global _t2s
    if _t2s is None:
        from opencc import OpenCC

        _t2s = OpenCC("t2s")
    return _t2s.convert(text)


def collapse_loops(text: str) -> str:
    """Cut runs where the decoder repeated the same few characters over and over."""
    return _LOOP.sub(r"\1", text)


def clean_segments(raw: list[tuple[float, float, str, list]]) -> list[dict]:
    """Simplify, de-loop and drop segments that only repeat the previous one.

    raw items are (start, end, text, words) with words as (start, end, word); word timings let
    speech features find pauses inside a segment (Whisper's segment bounds run over silences).
    """
    segments: list[dict] = []
    for start, end, text, words, *stats in raw:
        text = collapse_loops(to_simplified(text.strip()))
        if not text or (segments and text == segments[-1]["text"]):
            continue
        segment = {
            "start": round(float(start), 2), "end": round(float(end), 2), "text": text,
            "words": [{"start": round(float(a), 2), "end": round(float(b), 2), "word": to_simplified(w.strip()),
                       **({"probability": round(float(p[0]), 3)} if p else {})}
                      for a, b, w, *p in words],
        }
        # Whisper's own confidence, for abstaining on unreliable transcripts (app/analysis/reliability.py).
        segment.update({k: round(float(v), 3) for k, v in (stats[0] if stats else {}).items() if v is not None})
        segments.append(segment)
    return segments


def not_speech(segment: dict) -> str:
    """Why a decoded segment is not speech ('' when it is): {text, no_speech_prob, compression_ratio, words}."""
    words = segment.get("words") or []
    if segment.get("compression_ratio", 0.0) > COMPRESSION_RATIO_MAX:
        return "compression_ratio"
    probs = [w[3] for w in words if len(w) > 3]
    if probs and segment.get("no_speech_prob", 0.0) >= NO_SPEECH_MIN and sum(probs) / len(probs) < WORD_PROB_MIN:
        return "no_speech"
    if len(words) >= 3 and float(np.median([b - a for a, b, *_ in words])) < MIN_WORD_S:
        return "no_duration"
    return ""


def split_tail_loop(segment: dict) -> tuple[dict, dict] | None:
    """(what was said, the loop) of a segment whose text ends in a decoding loop that alone made its compression
    ratio high (seen: a real sentence followed by 60 "…" when the browser's recording ended); None otherwise. The
    loop's words go with it; what was said keeps its own words and must pass `not_speech` on its own, with its
    compression ratio measured as the decoder measures it."""
    from faster_whisper.transcribe import get_compression_ratio

    loop = _TAIL_LOOP.search(segment["text"])
    head_text = segment["text"][:loop.start()].strip() if loop else ""
    if not head_text:
        return None
    words, length = [], 0
    for word in segment.get("words") or []:
        length += len(word[2].strip())
        if length > len(head_text):
            break
        words.append(word)
    end = words[-1][1] if words else segment["end"]
    head = {**segment, "end": end, "text": head_text, "words": words,
            "compression_ratio": get_compression_ratio(head_text)}
    tail = {"start": round(float(end), 2), "end": round(float(segment["end"]), 2),
            "text": to_simplified(segment["text"][loop.start():].strip()), "why": "loop"}
    return (head, tail) if not not_speech(head) else None


def guard_segments(decoded: list[dict]) -> tuple[list[tuple], list[dict]]:
    """Split decoded segments into kept (start, end, text, words, stats) tuples and dropped ones (for audit)."""
    kept, dropped = [], []
    for seg in decoded:
        why = not_speech(seg)
        split = split_tail_loop(seg) if why == "compression_ratio" else None
        if split is not None:   # keep what was said before the loop
            seg, tail = split
            dropped.append(tail)
        elif why:
            dropped.append({"start": round(float(seg["start"]), 2), "end": round(float(seg["end"]), 2),
                            "text": to_simplified(seg["text"].strip()), "why": why})
            continue
        stats = {k: seg.get(k) for k in ("avg_logprob", "no_speech_prob")}
        kept.append((seg["start"], seg["end"], seg["text"], [tuple(w[:4]) for w in seg.get("words") or []], stats))
    return kept, dropped


def _transcript(segments: list[dict], engine: str, model: str, duration: float, vocabulary=None,
                correct: bool = True, prompt_terms: list[str] | None = None,
                dropped: list[dict] | None = None, where: speech_cut.Splice | None = None) -> Transcript:
    raw = collapse_loops("".join(s["text"] for s in segments))
    text, corrections = raw, []
    if vocabulary is not None and correct:
        from app.analysis.correction import correct as correct_terms

        text, corrections = correct_terms(raw, vocabulary.correction_terms())
    return Transcript(text=text, segments=segments, language="zh", engine=engine, model=model,
                      duration=round(duration, 2), raw_text=raw, corrections=corrections,
                      prompt_terms=list(prompt_terms or []), dropped=list(dropped or []),
                      speech=where.regions_s() if where is not None else None,
                      decoded_s=round(where.speech_s if where is not None else duration, 2))


def speech_only(audio: np.ndarray) -> tuple[np.ndarray, speech_cut.Splice]:
    """The recording's speech laid end to end (silences cut out, see speech_cut) and the map back onto it."""
    return speech_cut.splice(audio, speech_cut.speech_regions(audio))


def decoding_prompt(vocabulary=None, use_prompt: bool = True) -> tuple[str, list[str]]:
    """Whisper's initial prompt: the simplified-Chinese sentence plus the job's terms (when given)."""
    terms = vocabulary.prompt_terms() if vocabulary is not None and use_prompt else []
    return INITIAL_PROMPT + ("、".join(terms) + "。" if terms else ""), terms


class ASREngine(abc.ABC):
    """Interface: transcribe(path) -> Transcript. Load once per worker process, call many times."""

    name = "base"
    model = ""

    @abc.abstractmethod
    def transcribe(self, path: str | Path, vocabulary=None, *, use_prompt: bool = True, correct: bool = True,
                   hotwords: bool = False) -> Transcript:
        """Transcribe one recording; `vocabulary` (job_vocabulary.JobVocabulary) primes the decoder with the job's
        terms and corrects homophones of them (the raw text is kept). `hotwords` is faster-whisper only and is not
        used by the workers (it writes terms nobody said)."""


class FasterWhisperEngine(ASREngine):
    """CTranslate2 Whisper: the default (int8, 2.4-4.6x faster than openai-whisper on CPU)."""

    name = "faster-whisper"

    def __init__(self, model_dir: str | Path | None = None, beam_size: int = 1, compute_type: str = "int8",
                 cpu_threads: int = CPU_THREADS, cut_silence: bool = True):
        from faster_whisper import WhisperModel

        folder = paths.require(Path(model_dir or paths.whisper_ct2_dir()) / "model.bin", "Whisper CTranslate2 model")
        self.model = f"whisper-base-ct2/{compute_type}"
        self.beam_size = beam_size
        # False: the path before issue 23 (faster-whisper's own VAD filter, pauses under 2.8 s decoded); kept for
        # bench/asr.py's comparison.
        self.cut_silence = cut_silence
        # One CTranslate2 worker with a fixed number of intra-op threads (see CPU_THREADS).
        self._model = WhisperModel(str(folder.parent), device="cpu", compute_type=compute_type,
                                   cpu_threads=cpu_threads, num_workers=1, local_files_only=True)

    def transcribe(self, path: str | Path, vocabulary=None, *, use_prompt: bool = True, correct: bool = True,
                   hotwords: bool = False) -> Transcript:
        """Transcribe one recording in Mandarin, simplified characters."""
        audio = decode_audio(path)
        duration = len(audio) / SAMPLE_RATE
        prompt, terms = decoding_prompt(vocabulary, use_prompt and not hotwords)
        extra = {"hotwords": "、".join(vocabulary.prompt_terms())} if hotwords and vocabulary is not None else {}
        primed = vocabulary.prompt_terms() if extra else terms
        where = None
        if self.cut_silence:
            audio, where = speech_only(audio)
            if not len(audio):  # no speech at all: nothing to decode (Whisper would invent text over silence)
                return _transcript([], self.name, self.model, duration, where=where)
        pieces, _info = self._model.transcribe(
            audio, language="zh", beam_size=self.beam_size, initial_prompt=prompt,
            vad_filter=not self.cut_silence, condition_on_previous_text=False, temperature=TEMPERATURE,
            word_timestamps=True, **extra,
        )
        decoded = [{"start": s.start, "end": s.end, "text": s.text, "no_speech_prob": s.no_speech_prob,
                    "compression_ratio": s.compression_ratio, "avg_logprob": s.avg_logprob,
                    "words": [(w.start, w.end, w.word, w.probability) for w in s.words or []]} for s in pieces]
        if where is not None:
            decoded = speech_cut.map_decoded(decoded, where)
        kept, dropped = guard_segments(decoded)
        return _transcript(clean_segments(kept), self.name, self.model, duration, vocabulary, correct, primed,
                           dropped, where)


class OpenAIWhisperEngine(ASREngine):
    """openai-whisper (PyTorch) on the converted checkpoint; slower, kept as a reference engine."""

    name = "openai-whisper"

    def __init__(self, model_dir: str | Path | None = None, beam_size: int = 1, compute_type: str = "float32"):
        import torch
        from whisper.model import ModelDimensions, Whisper

        checkpoint_path = Path(model_dir or paths.whisper_checkpoint())
        if checkpoint_path.is_dir():
            checkpoint_path = checkpoint_path / "whisper-base.pt"
        paths.require(checkpoint_path, "openai-whisper checkpoint")
        torch.set_num_threads(CPU_THREADS)
        checkpoint = torch.load(checkpoint_path, map_location="cpu", weights_only=False)
        self._model = Whisper(ModelDimensions(**checkpoint["dims"]))
        self._model.load_state_dict(checkpoint["model_state_dict"])
        if checkpoint.get("alignment_heads"):
            self._model.set_alignment_heads(checkpoint["alignment_heads"])
        self._model.eval()
        self.model = "whisper-base.pt/float32"
        self.beam_size = beam_size

    def transcribe(self, path: str | Path, vocabulary=None, *, use_prompt: bool = True, correct: bool = True,
                   hotwords: bool = False) -> Transcript:
        """Transcribe one recording in Mandarin, simplified characters."""
        import whisper

        if hotwords:
            raise ValueError("hotwords: faster-whisper only")
        audio = decode_audio(path)
        duration = len(audio) / SAMPLE_RATE
        # openai-whisper has no VAD: decode only the speech (none: skip, where Whisper would invent text).
        speech, where = speech_only(audio)
        if where.speech_s < 0.3:
            return _transcript([], self.name, self.model, duration, where=where)
        prompt, terms = decoding_prompt(vocabulary, use_prompt)
        result = whisper.transcribe(
            self._model, speech, language="zh", initial_prompt=prompt, fp16=False,
            condition_on_previous_text=False, temperature=TEMPERATURE, verbose=None,
            beam_size=self.beam_size if self.beam_size > 1 else None, word_timestamps=True,
        )
        decoded = [{"start": s["start"], "end": s["end"], "text": s["text"], "no_speech_prob": s["no_speech_prob"],
                    "compression_ratio": s["compression_ratio"], "avg_logprob": s.get("avg_logprob"),
                    "words": [(w["start"], w["end"], w["word"], w["probability"]) for w in s.get("words", [])]}
                   for s in result["segments"]]
        kept, dropped = guard_segments(speech_cut.map_decoded(decoded, where))
        return _transcript(clean_segments(kept), self.name, self.model, duration, vocabulary, correct, terms,
                           dropped, where)


ENGINES = {"faster-whisper": FasterWhisperEngine, "openai-whisper": OpenAIWhisperEngine}
_loaded: dict[tuple, ASREngine] = {}


def load_engine(name: str = "faster-whisper", model_dir: str | Path | None = None, beam_size: int = 1,
                compute_type: str = "int8", **options) -> ASREngine:
    """Load an engine once per process and return it (a worker loads it at start, see workers/main.py).
    `options` (faster-whisper: cpu_threads, cut_silence); the workers set cpu_threads from ASR_THREADS."""
    if name not in ENGINES:
        raise ValueError(f"unknown ASR engine {name!r}; choose one of {sorted(ENGINES)}")
    if name == "faster-whisper":
        options.setdefault("cpu_threads", CPU_THREADS)  # one key for the default, named or not
    key = (name, str(model_dir), beam_size, compute_type, tuple(sorted(options.items())))
    if key not in _loaded:
        kwargs = {"compute_type": compute_type, **options} if name == "faster-whisper" else {}
        _loaded[key] = ENGINES[name](model_dir=model_dir, beam_size=beam_size, **kwargs)
    return _loaded[key]


def configured_engine(name: str = "faster-whisper", beam_size: int = 1, threads: int = CPU_THREADS) -> ASREngine:
    """The engine named in settings (ASR_ENGINE, ASR_BEAM_SIZE, ASR_THREADS), on the model files the install step
    prepared."""
    if name == "faster-whisper":
        return load_engine(name, model_dir=paths.whisper_ct2_dir(), beam_size=beam_size, cpu_threads=threads)
    return load_engine(name, model_dir=paths.whisper_checkpoint(), beam_size=beam_size)
