"""The funnel's queries on SQLite and PostgreSQL: apply, parse, screen, the workbench's filters and sorts, export."""
from app.core.staff import Staff
from app.interview.models import Interview, Report
from app.screening import actions, intake, workbench
from app.screening.job_templates import import_template
from app.screening.models import Screening
from tests.support.funnel import backend_template, pdf_resume, run_workers

HR = Staff(userid="hr_lina", name="", is_hr=True, job_ids=frozenset())


def test_funnel_queries(any_db_app, redis_conn):
    job = import_template(backend_template())
    link = intake.create_link(job.id, "moments")
    strong, _, _ = intake.apply(link.code, "张伟", "13800001234", pdf_resume(), "cv.pdf", {"q1": "能"})
    weak, _, _ = intake.apply(link.code, "李娜", "13900002222",
                              pdf_resume(name="李娜", phone="13900002222", years=1, skills=("Photoshop",)),
                              "cv.pdf", {"q1": "不能"})
    run_workers(redis_conn)
    assert Screening.select().count() == 2
    actions.bulk("invite", [strong.id], "hr_lina")
    interview = Interview.get(Interview.application == strong.id)
    Report.create(interview=interview, total=66.5, model_version="t", dimensions={})

    def names(**args):
        rows, total, _ = workbench.page(HR, workbench.Filters.from_args({"job": str(job.id), **args}))
        return [r["name"] for r in rows]

    assert names() == ["张伟", "李娜"]
    assert names(sort="ai") == ["张伟", "李娜"] and names(sort="name") == sorted(["张伟", "李娜"])
    assert names(must="knockout") == ["李娜"] and names(must="all") == ["张伟"]
    assert names(stage="ai_invited") == ["张伟"] and names(channel="moments") == ["张伟", "李娜"]
    assert names(channel="hr_invite") == [] and names(q="1390000") == ["李娜"]
    # a phone searched as HR would type it (dashes, +86, full-width digits) finds the stored one (app/core/phones.py)
    assert names(q="139-0000") == names(q="+86 139 0000 2222") == names(q="１３９００００") == ["李娜"]
    assert names(score_min="70") == ["张伟"] and names(since="2000-01-01", until="2000-01-02") == []
    rows, _, _ = workbench.page(HR, workbench.Filters.from_args({"job": str(job.id)}))
    assert rows[0]["ai_total"] == 66.5 and rows[1]["ai_total"] is None
    assert workbench.export_csv(HR, workbench.Filters()).decode("utf-8-sig").count("\n") == 3
