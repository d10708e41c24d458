"""The funnel (issue 11) for tests: the backend job with screening settings and a knockout question, its posting link,
and generated resumes (bench/resume_samples.py) as PDF, .docx with a text box, and a photo."""
import random

import pytest
import yaml
from rq import Queue, SimpleWorker
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from app.core.queues import FAST, MEDIA, SCORING
from app.screening import intake
from app.screening.job_templates import import_template
from bench import resume_samples
from tests.support.app import ROOT

CRITERIA = """必须 学历: 本科
必须 年限: 3
必须 技能: Python | Go
必须 技能: PostgreSQL
加分 技能: 消息队列
加分 城市: 上海
淘汰 问题: q1
"""
QUESTION = {"id": "q1", "text": "能否接受在上海办公?", "options": ["能", "不能"], "accept": ["能"]}


def backend_template(**screening):
    data = yaml.safe_load(open(f"{ROOT}/job_templates/backend-engineer.yaml", encoding="utf-8"))
    data["screening"] = {"criteria": CRITERIA, "questions": [QUESTION], **screening}
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.fixture
def job(app):
    return import_template(backend_template())


@pytest.fixture
def link(job):
    return intake.create_link(job.id, "wechat_group", "hr1")


def resume_lines(name="张伟", phone="13800001234", years=5, skills=("Python", "PG", "Kafka"), extra=()):
    """A resume as (head, body) lines, written the way the generator writes them."""
    head = [f"姓名: {name}", f"电话: {phone} | 邮箱: zw@example.com | 现居: 上海"]
    start = 2026 - years
    body = ["教育背景", f"{start - 4}.09-{start}.06 复旦大学 计算机科学与技术 本科", "工作经历",
            f"{start}.07-至今 上海云帆信息技术有限公司 后端开发工程师",
            "负责招聘系统后端开发,使用 " + "、".join(skills) + "。",
            "专业技能", "熟悉 " + "、".join(skills) + "。",
            *extra]
    return head, body


def pdf_resume(**kw):
    head, body = resume_lines(**kw)
    return resume_samples.to_pdf(head + body)


def docx_resume(**kw):
    return resume_samples.to_docx(*resume_lines(**kw))


def photo_resume(**kw):
    head, body = resume_lines(**kw)
    return resume_samples.to_image(head + body, random.Random(3))


def run_workers(redis_conn):
    """Drain the queues with a real SimpleWorker (jobs enqueue the next step); fail on any failed job."""
    queues = [Queue(name, connection=redis_conn) for name in (MEDIA, SCORING, FAST)]
    for _ in range(5):
        SimpleWorker(queues, connection=redis_conn).work(burst=True)
        if not any(len(q) for q in queues):
            break
    failed = [(q.name, i, q.fetch_job(i).exc_info) for q in queues for i in FailedJobRegistry(queue=q).get_job_ids()]
    retrying = [(q.name, i) for q in queues for i in ScheduledJobRegistry(queue=q).get_job_ids()]  # failed once
    assert not failed and not retrying, (failed, retrying)
