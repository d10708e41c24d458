"""The data package (PIPL art. 45, the right to a copy): a zip of the export's JSON and HTML page and the files
still stored, built by a real RQ worker into the real storage, read back and compared."""
from tests.privacy.helpers import candidate_with_data
from tests.support.wecom import run_fast_worker


def _press(client, token):
    res = client.post(f"/i/{token}/my-data/archive")
    assert res.status_code == 302, res.data[:300]
    return res


def test_a_token_of_another_application_never_gets_the_package(client, demo_job, redis_conn):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    other = candidate_with_data(demo_job, "王芳", "13900005678", "WANGFANG")
    _press(client, mine.token)
    run_fast_worker(redis_conn)
    assert client.get(f"/i/{mine.token}/my-data.zip").status_code == 200
    # Another application's token has no package of its own: 404, and nothing of mine in the answer.
    res = client.get(f"/i/{other.token}/my-data.zip")
    assert res.status_code == 404 and b"LIMING" not in res.data and b"PK" not in res.data[:2]
    assert client.get("/i/not-a-real-token-0000000000000000/my-data.zip").status_code == 404
    # Its poll says it has none either.
    assert client.get(f"/i/{other.token}/my-data/archive").get_json()["status"] == "none"


def _one_with_everything(redis_conn):
    """A candidate with a resume file, a recording, a face photo, a message attachment that was also sent for a
    background-check item and an onboarding item (one stored object), and another candidate."""
    from rq import Queue

    from tests.privacy.helpers import two_candidates_with_domain_data

    mine, other, _ = two_candidates_with_domain_data()
    Queue("fast", connection=redis_conn).empty()  # the setup's own jobs (resume reading...) are not ours
    return mine, other


def _zip(res):
    import io
    import zipfile
    assert res.status_code == 200, res.data[:300]
    assert res.mimetype == "application/zip" and res.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in res.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(res.get_data()))


def test_the_package_holds_the_export_and_every_stored_file(client, redis_conn):
    import json
    import re
    import zipfile
    from urllib.parse import unquote

    from rq import Queue

    from app.core.access_log import AccessLog
    from app.core.storage import get_storage
    from app.privacy.models import ExportArchive

    mine, other = _one_with_everything(redis_conn)
    _press(client, mine.token)
    page = client.get(f"/i/{mine.token}/status").get_data(as_text=True)
    assert 'data-testid="archive" data-status="pending"' in page and "正在打包" in page
    assert client.get(f"/i/{mine.token}/my-data/archive").get_json() == {"status": "pending"}
    _press(client, mine.token)  # a second press while it is being built adds nothing
    assert ExportArchive.select().count() == 1 and len(Queue("fast", connection=redis_conn)) == 1
    run_fast_worker(redis_conn)

    page = client.get(f"/i/{mine.token}/status").get_data(as_text=True)
    assert 'data-status="ready"' in page and "下载数据包(" in page and "可下载至" in page
    _press(client, mine.token)  # fresh: the same package again, no new build
    assert len(Queue("fast", connection=redis_conn)) == 0 and ExportArchive.get().attempt == 1

    package = _zip(client.get(f"/i/{mine.token}/my-data.zip"))
    names = package.namelist()
    storage = get_storage()
    expected = {"简历/LIMING-简历.pdf": mine.resume_key, "录像/第1题-第1次.webm": mine.keys["media"],
                "人脸照片/人脸照片.jpg": mine.keys["face"], "附件/LIMING.pdf": mine.keys["attachment"]}
    assert sorted(names) == sorted(["我的数据.json", "我的数据.html", *expected])
    for path, key in expected.items():
        assert package.read(path) == storage.read(key), path  # the very bytes stored
    assert package.getinfo("录像/第1题-第1次.webm").compress_type == zipfile.ZIP_STORED
    assert package.getinfo("我的数据.json").compress_type == zipfile.ZIP_DEFLATED
    # Nothing of the other candidate (the names above are all the files: no playback copy or poster either).
    body = package.read("我的数据.json").decode() + package.read("我的数据.html").decode()
    assert "WANGFANG" not in body and "王芳" not in body
    # The package's page and JSON are the export's: the resume and screening in words, none of their internals.
    from app.screening import roles
    for code in ("experience_tokens", "tokenxyz", '"roles"', "parsed_on", "end_month", roles._pack([0.25] * 512)[:40]):
        assert code not in body, code
    for words in ("从简历中读出的全文", "逐条判断", "必备条件", "仅技能列表"):
        assert words in package.read("我的数据.html").decode(), words

    data = json.loads(package.read("我的数据.json"))
    [application] = data["applications"]
    [answer] = application["interviews"][0]["answers"]
    assert answer["file_in_archive"] == "录像/第1题-第1次.webm"
    assert application["interviews"][0]["file_in_archive"] == "人脸照片/人脸照片.jpg"
    sections = {s["key"]: s["records"] for s in application["sections"]}
    assert sections["resume"][0]["file_in_archive"] == "简历/LIMING-简历.pdf"
    # The attachment was also sent for a check item and an onboarding item: one file, linked from each.
    linked = [i.get("file_in_archive") for i in sections["background_check"][0]["items"] + sections["onboarding"]]
    assert linked.count("附件/LIMING.pdf") == 2
    assert [a["file_in_archive"] for m in application["messages"] for a in m["attachments"]] == ["附件/LIMING.pdf"]
    assert data["archive"]["missing"] == []
    assert sorted((f["path"], f["size_bytes"]) for f in data["archive"]["files"]) == sorted(
        (p, storage.size(k)) for p, k in expected.items())
    # The rest of the JSON is the export itself (the same builder): its transcript, scores, sections.
    assert answer["transcript"].startswith("LIMING") and sections["offer"][0]["salary"] == 34567

    html = package.read("我的数据.html").decode()
    hrefs = {unquote(h) for h in re.findall(r'href="([^"]+)"', html)}
    assert hrefs == set(expected)  # every file linked by its relative path, and only files in the package
    assert "<script" not in html and "archive-note" in html

    rows = AccessLog.select().where((AccessLog.candidate == mine.candidate_id) & (AccessLog.action == "export_zip"))
    assert [(r.actor, r.target) for r in rows] == [("candidate", f"application:{mine.application_id}")]


def test_too_large_is_said_plainly_and_a_failure_can_be_retried(client, redis_conn, monkeypatch):
    from pathlib import Path

    from app.core.extensions import settings
    from app.privacy.models import ExportArchive

    mine, _ = _one_with_everything(redis_conn)
    monkeypatch.setitem(settings, "PRIVACY_ARCHIVE_MAX_MB", 0)
    _press(client, mine.token)
    run_fast_worker(redis_conn)
    row = ExportArchive.get()
    assert row.status == "failed" and row.storage_key == "" and "超过数据包上限 0 KB" in row.error
    page = client.get(f"/i/{mine.token}/status").get_data(as_text=True)
    assert 'data-status="failed"' in page and "打包失败:文件合计" in page and "重新打包" in page
    assert client.get(f"/i/{mine.token}/my-data.zip").status_code == 404

    # Storage refuses the write (its exports folder is a file): a Chinese reason, nothing half-made.
    monkeypatch.setitem(settings, "PRIVACY_ARCHIVE_MAX_MB", 2048)
    blocker = Path(settings["MEDIA_ROOT"]) / "exports"
    blocker.write_bytes(b"not a folder")
    _press(client, mine.token)
    run_fast_worker(redis_conn)
    row = ExportArchive.get()
    assert (row.status, row.attempt, row.error.startswith("打包时出错")) == ("failed", 2, True)
    assert not list((Path(settings["MEDIA_ROOT"]) / "tmp").glob("archive-*"))  # the scratch zip went too

    blocker.unlink()
    _press(client, mine.token)  # the retry
    run_fast_worker(redis_conn)
    row = ExportArchive.get()
    assert (row.status, row.attempt, row.error) == ("ready", 3, "") and ExportArchive.select().count() == 1
    assert "录像/第1题-第1次.webm" in _zip(client.get(f"/i/{mine.token}/my-data.zip")).namelist()


def _built(client, redis_conn, data):
    """Press and run the worker; the package row of `data`'s application."""
    from app.privacy.models import ExportArchive
    _press(client, data.token)
    run_fast_worker(redis_conn)
    return ExportArchive.get(ExportArchive.scope_key == f"application:{data.application_id}")


def test_hr_packages_the_whole_record_and_a_manager_may_not(client, redis_conn):
    from app.core.access_log import AccessLog
    from tests.support.reports import sign_in_as

    mine, _ = _one_with_everything(redis_conn)
    sign_in_as(client, "zhangwei")
    assert client.post(f"/admin/privacy/candidates/{mine.candidate_id}/archive").status_code == 403
    assert client.get(f"/admin/privacy/candidates/{mine.candidate_id}/export.zip").status_code == 403
    sign_in_as(client, "hr_lina")
    assert client.get(f"/admin/privacy/candidates/{mine.candidate_id}/export.zip").status_code == 404
    client.post(f"/admin/privacy/candidates/{mine.candidate_id}/archive")
    page = client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    assert 'data-testid="hr-archive" data-status="pending"' in page
    run_fast_worker(redis_conn)
    page = client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    assert 'data-status="ready"' in page and "下载数据包(" in page
    package = _zip(client.get(f"/admin/privacy/candidates/{mine.candidate_id}/export.zip"))
    assert "录像/第1题-第1次.webm" in package.namelist() and "李明" in package.read("我的数据.html").decode()
    # HR's package is the record's, not the candidate link's: that one is still to be asked for.
    assert client.get(f"/i/{mine.token}/my-data.zip").status_code == 404
    rows = AccessLog.select().where(AccessLog.action == "export_zip")
    assert [(r.actor, r.target) for r in rows] == [("hr_lina", f"candidate:{mine.candidate_id}")]
    assert 'data-action="export_zip"' in client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(
        as_text=True)


def test_a_deletion_removes_the_packages_at_once(client, redis_conn):
    from app.core.storage import get_storage
    from app.privacy import deletion
    from app.privacy.models import ExportArchive
    from tests.support.reports import sign_in_as

    mine, other = _one_with_everything(redis_conn)
    theirs = _built(client, redis_conn, other)
    row = _built(client, redis_conn, mine)
    sign_in_as(client, "hr_lina")
    client.post(f"/admin/privacy/candidates/{mine.candidate_id}/archive")
    run_fast_worker(redis_conn)
    hr_row = ExportArchive.get(ExportArchive.scope_key == f"candidate:{mine.candidate_id}")
    storage = get_storage()
    assert storage.exists(row.storage_key) and storage.exists(hr_row.storage_key)

    request = deletion.request_deletion(mine.candidate_id, "candidate", mine.application_id)
    deletion.confirm(request.id, "hr_lina")
    summary = deletion.execute_deletion(request.id)
    assert summary["archives"] == 2
    assert not storage.exists(row.storage_key) and not storage.exists(hr_row.storage_key)
    assert [r.scope_key for r in ExportArchive.select()] == [f"application:{other.application_id}"]
    assert storage.exists(theirs.storage_key)  # the other candidate's package stays


def test_a_build_that_finishes_after_the_deletion_keeps_nothing(client, redis_conn):
    from app.core.storage import get_storage
    from app.privacy import deletion
    from app.privacy.models import ExportArchive

    mine, _ = _one_with_everything(redis_conn)
    _press(client, mine.token)  # queued, not yet built
    request = deletion.request_deletion(mine.candidate_id, "candidate", mine.application_id)
    deletion.confirm(request.id, "hr_lina")
    deletion.execute_deletion(request.id)
    run_fast_worker(redis_conn)  # the build job (and the deletion job, already done) run
    assert ExportArchive.select().count() == 0
    assert get_storage().keys("exports/") == []


def test_the_retention_purge_removes_expired_packages(client, redis_conn):
    import datetime as dt

    from app.core.base import utcnow
    from app.core.storage import get_storage
    from app.privacy import retention
    from app.privacy.models import ExportArchive

    mine, _ = _one_with_everything(redis_conn)
    row = _built(client, redis_conn, mine)
    assert row.expires_at - row.finished_at == dt.timedelta(days=7)
    assert retention.purge()["archives"] == 0  # still fresh
    ExportArchive.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    assert client.get(f"/i/{mine.token}/my-data.zip").status_code == 404  # expired is gone for the candidate
    assert retention.purge()["archives"] == 1
    assert not get_storage().exists(row.storage_key)
    assert ExportArchive.get().status == "expired"
    page = client.get(f"/i/{mine.token}/status").get_data(as_text=True)
    assert 'data-testid="archive" data-status="none"' in page and "下载数据包(含文件)" in page
    _press(client, mine.token)  # asked again: built anew
    run_fast_worker(redis_conn)
    assert ExportArchive.get().status == "ready" and ExportArchive.get().attempt == 2


def test_a_file_gone_since_the_listing_is_named_not_linked(client, redis_conn):
    from app.core.storage import get_storage

    mine, _ = _one_with_everything(redis_conn)
    get_storage().delete(mine.keys["face"])  # the row still says stored; the object is gone
    _built(client, redis_conn, mine)
    package = _zip(client.get(f"/i/{mine.token}/my-data.zip"))
    assert "人脸照片/人脸照片.jpg" not in package.namelist()
    html = package.read("我的数据.html").decode()
    assert "以下文件已按保存期限删除" in html and "人脸照片/人脸照片.jpg" in html
    assert 'href="%E4%BA%BA%E8%84%B8' not in html


def test_a_lost_build_is_enqueued_again_by_the_sweep(client, redis_conn):
    import datetime as dt

    from rq import Queue

    from app.core.base import utcnow
    from app.privacy import archive
    from app.privacy.domain import DOMAIN

    mine, _ = _one_with_everything(redis_conn)
    _press(client, mine.token)
    Queue("fast", connection=redis_conn).empty()  # the job is lost
    assert archive.resume_stranded() == 0
    later = utcnow() + archive.STRANDED_AFTER + dt.timedelta(minutes=1)
    assert archive.resume_stranded(now=later) == 1
    run_fast_worker(redis_conn)
    assert archive.state(archive.scope.of_token(_application(mine)))["status"] == "ready"
    assert archive.resume_stranded(now=later) == 0 and archive.resume_stranded in DOMAIN.sweeps


def _application(data):
    from app.core.models import Application
    return Application.get_by_id(data.application_id)


def test_the_package_on_s3(s3_app, redis_conn):
    """The same package with the media on a real S3 server (only the storage interface)."""
    from app.core.storage import S3Storage, get_storage

    client = s3_app.test_client()
    mine, _ = _one_with_everything(redis_conn)
    assert isinstance(get_storage(), S3Storage)
    row = _built(client, redis_conn, mine)
    assert row.status == "ready" and get_storage().exists(row.storage_key)
    package = _zip(client.get(f"/i/{mine.token}/my-data.zip"))
    assert package.read("录像/第1题-第1次.webm") == get_storage().read(mine.keys["media"])
    assert package.read("简历/LIMING-简历.pdf") == get_storage().read(mine.resume_key)


def test_one_package_per_scope_on_both_databases(any_db_app, redis_conn):
    """The second request meets the unique scope (an IntegrityError inside its own savepoint) and returns the first
    one, on SQLite and PostgreSQL; a build then a deletion leave nothing."""
    from app.core.storage import get_storage
    from app.interview.invitations import invite_candidate
    from app.privacy import archive, deletion, scope
    from app.privacy.models import ExportArchive
    from tests.support.app import import_job

    interview, _ = invite_candidate(import_job("backend-engineer.yaml").id, "李明", "13800001234")
    mine = scope.of_token(interview.application)
    first = archive.request(mine, "candidate")
    again = archive.request(mine, "candidate")
    assert again.id == first.id and again.attempt == 1 and ExportArchive.select().count() == 1
    assert archive.build_archive(first.id, 1) == "ready"
    assert archive.build_archive(first.id, 1) is None  # a duplicate job does nothing
    row = ExportArchive.get_by_id(first.id)
    assert get_storage().exists(row.storage_key) and row.file_count == 0
    request = deletion.request_deletion(interview.application.candidate_id, "candidate", interview.application_id)
    deletion.confirm(request.id, "hr_lina")
    assert deletion.execute_deletion(request.id)["archives"] == 1
    assert ExportArchive.select().count() == 0 and get_storage().keys("exports/") == []


def test_an_applicant_never_invited_gets_their_resume(client, redis_conn):
    """Before any invitation the posting's token opens the same section (/p/applied/<token>) and package."""
    from rq import Queue

    from app.screening import intake
    from tests.support.app import import_job
    from tests.support.funnel import pdf_resume

    link = intake.create_link(import_job("backend-engineer.yaml").id, "wechat_group", "hr1")
    resume = pdf_resume(name="赵敏", phone="13800007777")
    _, token, _ = intake.apply(link.code, "赵敏", "13800007777", resume, "赵敏的简历.pdf", {})
    Queue("fast", connection=redis_conn).empty()
    res = client.post(f"/i/{token}/my-data/archive")
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/p/applied/{token}#my-data")
    run_fast_worker(redis_conn)
    assert 'data-testid="archive-download"' in client.get(f"/p/applied/{token}").get_data(as_text=True)
    package = _zip(client.get(f"/i/{token}/my-data.zip"))
    assert package.read("简历/赵敏的简历.pdf") == resume


def test_a_package_without_files_says_so(client, demo_job, redis_conn):
    """A candidate who sent no file yet (invited, nothing answered) gets the data alone, and the section says so."""
    from app.interview.invitations import invite_candidate
    _, token = invite_candidate(demo_job.id, "周杰", "13800005555")
    _press(client, token)
    run_fast_worker(redis_conn)
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "目前没有保存你的文件,数据包只含网页和 JSON" in page and "含 0 个文件" not in page
    names = _zip(client.get(f"/i/{token}/my-data.zip")).namelist()
    assert sorted(names) == ["我的数据.html", "我的数据.json"], names
