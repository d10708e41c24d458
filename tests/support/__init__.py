"""Helpers shared by the tests, one copy each; tests/conftest.py registers the fixture modules as pytest plugins.

- app: the app on a fresh SQLite/PostgreSQL database and a clean Redis DB (fixtures app, any_db_app, client, ...)
- media: committed fixture media, frozen transcripts, small recordings made with ffmpeg
- interviews: jobs, invitations and interviews walked to "ready" through the real services
- servers: a WSGI app served over real HTTP on a free port (fixture live_app)
- browser: Debian's Chromium through Playwright posing as WeChat on a phone (fixture phone), screenshots
- wecom: the WeCom sandbox and the app wired to it (fixtures sandbox, wecom_env, backend_job), RQ helpers
- reports: a scored interview with its report (fixture report), staff sign-in for the test client
"""
