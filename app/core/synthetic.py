"""The synthetic demo data (`flask --app wsgi analytics demo-data`, app/analytics/demo.py): jobs titled
"[演示数据] …" holding thousands of made-up candidacies. They exist to fill the analytics charts and nobody is
behind them, so nothing about them reaches a person: no result or round card, no notice to the candidate (SMS,
微信客服, external contact, email), no reminder or message to staff, no analytics flag in WeCom. The sweeps leave
them out (`synthetic_jobs`) and the senders ask (`is_synthetic`). The real demo jobs that `seed-demo` imports (李明's
后端开发工程师 …) are not synthetic and send as any job does."""
from app.core.models import Application, Job

PREFIX = "[演示数据] "   # the title of every synthetic job


def is_synthetic_title(title):
    return (title or "").startswith(PREFIX)


def synthetic_jobs():
    """The ids of the synthetic jobs, as a subquery (`Application.job.not_in(synthetic_jobs())`)."""
    return Job.select(Job.id).where(Job.title.startswith(PREFIX))


def is_synthetic(application_id):
    """Whether the application belongs to a synthetic job: nothing may be sent about it."""
    return (Application.select(Application.id).join(Job)
            .where((Application.id == application_id) & Job.title.startswith(PREFIX)).exists())
