"""Every url_for in a template or a module names an endpoint the app serves (a renamed blueprint breaks a page only
when that page is rendered, so the names are checked all at once)."""
import re

from tests.support.app import ROOT

URL_FOR = re.compile(r"""url_for\(\s*['"]([\w.]+)['"]""")


def test_every_template_endpoint_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = []
    sources = [*sorted((ROOT / "app" / "templates").rglob("*.html"))]
    for folder in ("app", "mini_program_api", "wecom_callbacks"):
        sources += sorted((ROOT / folder).rglob("*.py"))
    for path in sources:
        for name in URL_FOR.findall(path.read_text(encoding="utf-8")):
            if name not in endpoints:
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert missing == []
