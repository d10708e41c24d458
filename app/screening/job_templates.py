"""Job templates as YAML files: a job (app/core/job_template.py) and its screening settings; validate, import (all
or nothing) and export. The format is documented in docs/job-templates.md.
"""
import yaml

from app.core.job_template import TemplateError, fail, load_yaml, validate_job
from app.core.models import Job
from app.core.tx import transaction
from app.screening import job_settings
from app.screening.job_versions import create_job, job_to_template


def validate_template(data):
    """Return a normalised copy of a parsed template, or raise TemplateError naming the first problem."""
    job = validate_job(data)
    return {**job, "screening": job_settings.validate(
        data.get("screening"), job["requirements"], job["location"],
        fail=fail)}


def parse_template(text):
    """Parse YAML text into a validated template."""
    return validate_template(load_yaml(text))


def import_template(text, author="cli", check=None):
    """Create a job from template text in one transaction; nothing is written if anything is wrong. `check(tpl)`
    may refuse the valid template first (HR's import and `jobs import`: job_pages.import_yaml checks the managers)."""
    tpl = parse_template(text)
    if check:
        check(tpl)
    with transaction():
        job = create_job(tpl, author)
    return job


def export_template(job_id):
    """YAML text of a stored job."""
    job = Job.get_or_none(Job.id == job_id)
    if job is None:
        raise TemplateError(f"岗位 {job_id} 不存在 job {job_id} not found", code="job_not_found", status=404)
    return dump_template(job_to_template(job))


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value):
    """Multi-line strings (requirements, criteria) as | blocks, so an exported file reads like the shipped ones."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def dump_template(tpl):
    tpl = {k: v for k, v in tpl.items() if v is not None}
    return yaml.dump(tpl, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
