"""A YAML import (HR's 导入 on /admin and `flask --app wsgi jobs import`) checks the managers it names as the job
editor does: one WeCom does not know is refused by name, in Chinese, and no job is written."""
import io

import yaml

from app.core.models import Job
from tests.support.funnel import backend_template
from tests.support.reports import sign_in_as


def _with_managers(*userids):
    data = yaml.safe_load(backend_template())
    data["managers"] = list(userids)
    return yaml.safe_dump(data, allow_unicode=True)


def test_cli_import_refuses_a_manager_wecom_does_not_know(wecom_env, tmp_path):
    app, _, _ = wecom_env
    path = tmp_path / "job.yaml"
    path.write_text(_with_managers("zhangwei", "nobody_xyz"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["jobs", "import", str(path)])
    assert result.exit_code == 1
    assert "「nobody_xyz」不是企业微信成员" in result.output and Job.select().count() == 0
    path.write_text(_with_managers("zhangwei", "wangfang"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["jobs", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert Job.get().manager_userids == ["zhangwei", "wangfang"]


def test_admin_import_refuses_a_manager_wecom_does_not_know(wecom_env):
    app, _, _ = wecom_env
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    sign_in_as(client, "hr_lina")
    upload = {"template": (io.BytesIO(_with_managers("ghost_manager").encode()), "job.yaml")}
    page = client.post("/admin/jobs/import", data=upload, follow_redirects=True).get_data(as_text=True)
    assert "用人经理: 「ghost_manager」不是企业微信成员" in page and Job.select().count() == 0
