"""Fixtures for every test, from tests/support/ (one copy of each helper): see tests/support/__init__.py."""

pytest_plugins = [
    "tests.support.app",
    "tests.support.media",
    "tests.support.servers",
    "tests.support.browser",
    "tests.support.wecom",
    "tests.support.reports",
    "tests.support.funnel",
    "tests.support.s3",
]
