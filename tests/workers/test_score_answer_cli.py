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
    assert good["total"] >= average["total"] + 20 and average["total"] >= poor["total"] + 10, (
        good["total"], average["total"], poor["total"])
    # The margins are the claim; the totals move with each refit and transcript freeze (96.0 / 23.0 / 7.0 with
    # lr-2026.12.3 on the one-thread transcripts).


def test_score_answer_refuses_a_question_out_of_range(runner):
    job_file = str(ROOT / "job_templates" / "sales-representative.yaml")
    result = runner.invoke(args=["score-answer", "--job-file", job_file, "--question", "7",
                                 str(MEDIA / "sales_good.webm")])
    assert result.exit_code == 1 and "题号应为 0-2" in result.output


def test_score_text_prints_one_json_line_per_typed_answer(runner, tmp_path):
    tsv = tmp_path / "answers.tsv"
    tsv.write_text("strong\t去年大促前报表接口超时，我负责排查。先看监控定位到一条慢查询，执行计划显示全表扫描，"
                   "我加了联合索引并把热点结果缓存五分钟，接口从三秒降到两百毫秒，之后加了慢查询告警。\n"
                   "\n"
                   "hobby\t我平时喜欢爬山和做饭，周末经常和朋友去郊外走走。\n", encoding="utf-8")
    result = runner.invoke(args=["score-text", "--job-file", str(BACKEND), "--question", "1", str(tsv)])
    assert result.exit_code == 0, result.output
    strong, hobby = [json.loads(line) for line in result.output.strip().splitlines()]
    assert (strong["id"], hobby["id"]) == ("strong", "hobby")
    for row in (strong, hobby):
        assert set(row["dimensions"]) == {"语言表达", "逻辑思维", "岗位匹配度"}
        for dim in row["dimensions"].values():
            assert isinstance(dim["score"], int) and dim["level"] == min(5, dim["score"] // 20 + 1)
            assert all(r["kind"] in ("strength", "concern") and r["text"] for r in dim["reasons"])
    assert strong["total"] >= hobby["total"] + 30, (strong["total"], hobby["total"])
    assert "内容与本题关系不大" in [r["text"] for r in hobby["dimensions"]["岗位匹配度"]["reasons"]]


def test_score_text_names_a_line_without_a_tab(runner, tmp_path):
    tsv = tmp_path / "answers.tsv"
    tsv.write_text("a\t我加了索引。\n没有制表符的一行\n", encoding="utf-8")
    result = runner.invoke(args=["score-text", "--job-file", str(BACKEND), "--question", "1", str(tsv)])
    assert result.exit_code == 1 and "第 2 行缺少制表符" in result.output
