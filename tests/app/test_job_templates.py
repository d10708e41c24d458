"""Job templates: import, export round trip, and all-or-nothing failures with a message naming the problem."""
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from app.core.models import Dimension, Job, Question, StaffUser
from app.screening.job_templates import TemplateError, export_template, import_template, parse_template

TEMPLATES = Path(__file__).resolve().parents[2] / "job_templates"


@pytest.mark.parametrize("name", ["backend-engineer.yaml", "sales-representative.yaml"])
def test_shipped_templates_import_and_round_trip(any_db_app, name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    job = import_template(text)
    assert sum(d.weight for d in job.dimensions) == 100
    exported = export_template(job.id)
    assert parse_template(exported) == parse_template(text)
    again = import_template(exported)
    assert [q.text for q in again.ordered_questions()] == [q.text for q in job.ordered_questions()]


def _template(**changes):
    data = yaml.safe_load((TEMPLATES / "backend-engineer.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["dimensions"][0].update(weight=25), "权重之和应为 100,实际为 105"),
    (lambda d: d["questions"][1].update(dimensions=["逻辑思维", "抗压能力"]), "questions[1].dimensions"),
    (lambda d: d["questions"][0].update(answer_seconds="两分钟"), "questions[0].answer_seconds"),
    (lambda d: d.pop("title"), "title"),
    (lambda d: d["dimensions"].append(dict(d["dimensions"][0])), "duplicate dimension name"),
    # A question of 5,000 characters was taken (and 试评分 on it took ~20 s): at most 500, the question named.
    (lambda d: d["questions"][1].update(text="请" + "详细" * 2500),
     "questions[1]: 题目「请详细详细详细详细详细详…」不超过 500 字,现为 5001 字"),
])
def test_bad_template_names_the_problem_and_writes_nothing(app, mutate, expected):
    data = _template()
    mutate(data)
    with pytest.raises(TemplateError) as info:
        import_template(yaml.safe_dump(data, allow_unicode=True))
    assert expected in info.value.message
    assert Job.select().count() == Dimension.select().count() == Question.select().count() == 0


def test_a_question_of_500_characters_is_taken(app):
    data = _template()
    data["questions"][0]["text"] = "请" * 500
    assert import_template(yaml.safe_dump(data, allow_unicode=True)).ordered_questions()[0].text == "请" * 500


def test_invalid_yaml_gives_line_number(app):
    with pytest.raises(TemplateError) as info:
        import_template("title: x\ndimensions: [\n  - broken")
    assert "line" in info.value.message


def test_cli_import_and_export(app, runner):
    for userid in ("zhangwei", "wangfang"):   # managers known here (signed in before): no WeCom needed to check them
        StaffUser.create(userid=userid)
    result = runner.invoke(args=["jobs", "import", str(TEMPLATES / "sales-representative.yaml")])
    assert result.exit_code == 0, result.output
    job = Job.get(Job.title == "销售代表")
    out = runner.invoke(args=["jobs", "export", str(job.id)])
    assert out.exit_code == 0 and "客户跟进" in out.output
    bad = runner.invoke(args=["jobs", "export", "999"])
    assert bad.exit_code == 1 and "不存在" in bad.output


def test_seed_demo_imports_every_shipped_template_and_invites_the_demo_candidate(app, runner, client):
    """The README's first command runs `flask --app wsgi seed-demo` on a fresh database."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert Job.select().count() == len(list(TEMPLATES.glob("*.yaml"))) > 0
    assert "面试链接 interview link:" in result.output and "/i/" in result.output
    apply_link = re.search(r"apply link .*: (\S+)", result.output).group(1)
    assert "/p/" in apply_link and "投递简历" in client.get(urlparse(apply_link).path).get_data(as_text=True)
    again = runner.invoke(args=["seed-demo"])           # a second run imports nothing twice
    assert again.exit_code == 0 and Job.select().count() == len(list(TEMPLATES.glob("*.yaml")))
    assert re.search(r"apply link .*: (\S+)", again.output).group(1) == apply_link   # the same link


def test_seed_demo_again_after_the_walk_through_took_the_demo_candidate_on(app, runner):
    """`scripts/up.sh` runs seed-demo on every start: once 李明 was walked on past the AI interview (the README's
    walk-through) it raised IllegalTransition and the demo no longer started. It now says where 李明 is."""
    from app.core import pipeline
    from app.core.models import Application
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    application = Application.get()
    for stage in ("ai_in_progress", "ai_completed", "ai_scored", "second_round"):
        pipeline.advance_stage(application.id, stage, actor="zhangwei", source="web")
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "apply link" in again.output and "进入复试" in again.output and "/i/" not in again.output


def test_seed_demo_again_after_the_demo_candidate_moved_on(app, runner):
    """scripts/up.sh runs seed-demo at every start: once 李明 is past the AI interview (walked to an offer), a restart
    leaves him there and says so, instead of a traceback that stops the demo from starting."""
    from app.core.models import Application
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    application = Application.get()
    Application.update(stage="offer_sent").where(Application.id == application.id).execute()
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "李明 已在「已发Offer」阶段,未重新邀请" in again.output and "apply link" in again.output
    assert Application.get_by_id(application.id).stage == "offer_sent"
