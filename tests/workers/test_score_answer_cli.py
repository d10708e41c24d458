"""`flask score-answer`: HR's calibration tool prints one JSON object per recorded answer."""
import json

import pytest

from app.analysis.cer import cer
from app.interview.score_files import score_files
from tests.support.app import ROOT
from tests.support.media import MEDIA, FrozenEngine, frozen_transcripts, speech_refs

pytestmark = pytest.mark.slow
BACKEND = ROOT / "job_templates" / "backend-engineer.yaml"


def test_score_answer_prints_one_json_line_per_file(runner):
    # The real chain (live Whisper): checks the wiring, not the scores (those are machine-dependent here).
    files = [str(MEDIA / "backend_good.webm"), str(MEDIA / "backend_poor.ogg")]
    result = runner.invoke(args=["score-answer", "--job-file", str(BACKEND), "--question", "1", *files])
    assert result.exit_code == 0, result.output
    good, poor = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [good["file"], poor["file"]] == files
    for row, clip_id in ((good, "backend_good"), (poor, "backend_poor")):
        assert set(row["dimensions"]) == {"语言表达", "逻辑思维", "岗位匹配度"}
        assert 0 <= row["total"] <= 100 and row["model_version"]
        assert cer(speech_refs()[clip_id]["text"], row["transcript"]) <= 0.25, row["transcript"]  # this file's words
    assert all(isinstance(ev, dict) for ev in good["dimensions"]["岗位匹配度"]["evidence"])


def test_calibration_ranks_the_answers_far_apart_on_frozen_transcripts():
    # The same service the command runs, fed the frozen transcripts: the same result on every machine.
    files = [MEDIA / "backend_good.webm", MEDIA / "backend_average.mp4", MEDIA / "backend_poor.ogg"]
    good, average, poor = score_files(BACKEND.read_text(encoding="utf-8"), 1, files, FrozenEngine())
    assert good["transcript"] == frozen_transcripts()["backend_good"].text
    assert good["total"] >= average["total"] + 10 and average["total"] >= poor["total"] + 20, (
        good["total"], average["total"], poor["total"])  # measured 78.0 / 54.4 / 10.8


def test_score_answer_refuses_a_question_out_of_range(runner):
    job_file = str(ROOT / "job_templates" / "sales-representative.yaml")
    result = runner.invoke(args=["score-answer", "--job-file", job_file, "--question", "7",
                                 str(MEDIA / "sales_good.webm")])
    assert result.exit_code == 1 and "题号应为 0-2" in result.output
