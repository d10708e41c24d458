"""`flask score-answer`: HR's calibration tool prints one JSON object per recorded answer."""
import json

import pytest

from tests.support.app import ROOT
from tests.support.media import MEDIA

pytestmark = pytest.mark.slow


def test_score_answer_prints_one_json_line_per_file(runner):
    files = [str(MEDIA / "backend_good.webm"), str(MEDIA / "backend_poor.ogg")]
    result = runner.invoke(args=["score-answer", "--job-file", str(ROOT / "job_templates" / "backend-engineer.yaml"),
                                 "--question", "1", *files])
    assert result.exit_code == 0, result.output
    good, poor = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [good["file"], poor["file"]] == files
    assert set(good["dimensions"]) == {"语言表达", "逻辑思维", "岗位匹配度"}
    assert good["total"] > poor["total"] and good["model_version"]
    assert all(isinstance(ev, dict) for ev in good["dimensions"]["岗位匹配度"]["evidence"])
    assert "毫秒" in good["transcript"]


def test_score_answer_refuses_a_question_out_of_range(runner):
    job_file = str(ROOT / "job_templates" / "sales-representative.yaml")
    result = runner.invoke(args=["score-answer", "--job-file", job_file, "--question", "7",
                                 str(MEDIA / "sales_good.webm")])
    assert result.exit_code == 1 and "题号应为 0-2" in result.output
