"""Storage on S3 (SeaweedFS, a real S3 server): the same contract as local storage, Range requests on the report's
media, chunked uploads, playback copies made from a downloaded copy, retention deleting from the bucket."""
import io
import re
from pathlib import Path

import pytest

from app.core.db import database
from app.core.errors import Conflict
from app.core.storage import InvalidKey, LocalStorage, S3Storage, StorageError, get_storage
from app.interview import playback, uploads
from app.interview.models import Answer, Interview
from app.privacy.retention import purge_interview_media
from tests.support.app import ROOT, make_app
from tests.support.interviews import make_short_job, start_interview, upload_answer
from tests.support.reports import sign_in_as
from tests.support.s3 import s3_client


@pytest.fixture
def app(tmp_path, redis_conn, s3_settings):
    """Every test here runs the app with STORAGE=s3 (the shared `client` and `report` fixtures use this app)."""
    app = make_app(tmp_path, **s3_settings)
    with app.app_context(), database.connection_context():
        yield app


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path, app, s3_settings):
    if request.param == "local":
        return LocalStorage(tmp_path / "store")
    return get_storage()


def test_both_stores_keep_the_same_contract(store, tmp_path):
    assert store.save("answers/1/q1-a1-x.webm", b"hello") == "answers/1/q1-a1-x.webm"
    assert store.exists("answers/1/q1-a1-x.webm") and store.size("answers/1/q1-a1-x.webm") == 5
    assert store.read("answers/1/q1-a1-x.webm") == b"hello"
    with store.open("answers/1/q1-a1-x.webm") as fh:
        assert fh.read() == b"hello"
    src = tmp_path / "assembled.bin"
    src.write_bytes(b"moved in")
    store.save("answers/1/moved.webm", src)
    assert not src.exists()  # a Path is moved in on both stores
    store.save("faces/1/reference.jpg", io.BytesIO(b"\xff\xd8 face"))
    with store.local_copy("answers/1/moved.webm") as path:
        assert Path(path).read_bytes() == b"moved in" and Path(path).suffix == ".webm"
    assert store.keys("answers/1/") == ["answers/1/moved.webm", "answers/1/q1-a1-x.webm"]
    assert store.keys("answers/2/") == []
    assert store.delete_prefix("answers/1/") == 2 and store.keys("answers/1/") == []
    store.delete("faces/1/reference.jpg")
    store.delete("faces/1/reference.jpg")  # twice is fine
    assert not store.exists("faces/1/reference.jpg")
    for missing in (lambda: store.open("nope/x"), lambda: store.size("nope/x"),
                    lambda: store.local_copy("nope/x").__enter__()):
        with pytest.raises(FileNotFoundError):
            missing()
    for key in ("../etc/passwd", "/etc/passwd", "answers/../../x", "a\\b", "", "a//b"):
        with pytest.raises(InvalidKey):
            store.save(key, b"x")


def test_the_bucket_holds_the_objects_and_the_scratch_folder_is_left_empty(app, s3_settings):
    store = get_storage()
    assert isinstance(store, S3Storage)
    store.save("answers/9/a.webm", b"abc")
    with store.local_copy("answers/9/a.webm") as path:
        assert path.parent == Path(app.config["MEDIA_ROOT"]) / "tmp"
    assert not list(path.parent.iterdir())  # the download went away with the block
    listed = s3_client().list_objects_v2(Bucket=s3_settings["S3_BUCKET"])["Contents"]
    assert [o["Key"] for o in listed] == ["answers/9/a.webm"]
    assert not (Path(app.config["MEDIA_ROOT"]) / "answers").exists()  # nothing written to the local media folder


def test_wrong_credentials_are_refused(app, s3_settings):
    wrong = S3Storage(s3_settings["S3_BUCKET"], s3_settings["S3_ENDPOINT_URL"], s3_settings["S3_ACCESS_KEY"],
                      "not-the-secret", s3_settings["S3_REGION"])
    with pytest.raises(StorageError) as info:
        wrong.save("answers/1/x.webm", b"x")
    assert info.value.__cause__.response["Error"]["Code"] in (
        "SignatureDoesNotMatch", "AccessDenied", "InvalidAccessKeyId")


def test_an_unreachable_store_is_a_503_with_a_clear_error_not_a_500(tmp_path, redis_conn, s3_settings, webm_bytes):
    from tests.support.servers import free_port
    down = make_app(tmp_path / "down", **dict(s3_settings, S3_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}"))
    with down.app_context(), database.connection_context():
        job = make_short_job(questions=1)
        _, token = start_interview(job, biometric=False)
        question = job.ordered_questions()[0]
    client = down.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    # init answers with the chunks already stored (a resume), so it is the first request to need the store.
    res = client.post("/mp/api/v1/uploads", headers=auth, json={
        "question_id": question.id, "attempt": 1, "mime_type": "video/webm", "total_bytes": len(webm_bytes)})
    assert res.status_code == 503 and res.get_json()["error"]["code"] == "storage_unavailable"
    assert "存储" in res.get_json()["error"]["message"]


def test_report_media_streams_from_the_bucket_with_ranges(client, report):
    sign_in_as(client, "zhangwei")
    html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    url = re.search(r'src="(/m/reports/media/\d+)"', html).group(1)
    whole = client.get(url)
    assert whole.status_code == 200 and whole.data == b"\x1a\x45\xdf\xa3 not really webm"
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.headers["Content-Type"] == "audio/webm"
    part = client.get(url, headers={"Range": "bytes=0-3"})
    assert part.status_code == 206 and part.data == b"\x1a\x45\xdf\xa3"
    assert part.headers["Content-Range"] == f"bytes 0-3/{len(whole.data)}"
    tail = client.get(url, headers={"Range": "bytes=-4"})
    assert tail.status_code == 206 and tail.data == b"webm"
    assert client.get(url, headers={"Range": "bytes=999-"}).status_code == 416
    get_storage().delete(Answer.get().media_key)
    assert client.get(url).status_code == 404  # gone from the bucket: not a 500


def test_chunks_live_in_the_bucket_and_completion_assembles_them(app, webm_bytes, s3_settings):
    job = make_short_job(questions=1)
    interview, token = start_interview(job, biometric=True)
    question = job.ordered_questions()[0]
    upload = uploads.init_upload(token, question.id, 1, "video/webm", len(webm_bytes))
    size = upload.chunk_bytes
    uploads.put_chunk(token, upload.id, 0, webm_bytes[:size])
    # Another web host (no shared disk) sees the chunk: it is in the bucket, not on this host's folder.
    assert uploads.received_chunks(upload) == [0]
    assert s3_client().list_objects_v2(Bucket=s3_settings["S3_BUCKET"], Prefix=f"uploads/{upload.id}/")["KeyCount"]
    with pytest.raises(Conflict) as info:
        uploads.put_chunk(token, upload.id, 0, bytes(len(webm_bytes[:size])))
    assert info.value.code == "chunk_mismatch"
    answer = upload_answer(token, question, _write(app, webm_bytes))
    assert answer.duration_s > 1 and get_storage().exists(answer.media_key)
    assert get_storage().keys(f"uploads/{upload.id}/") == []  # chunks removed once stored
    reference = Interview.get_by_id(interview.id).reference_image
    assert reference and get_storage().read(reference)[:2] == b"\xff\xd8"  # the identity photo is in the bucket


def _write(app, data):
    path = Path(app.config["MEDIA_ROOT"]) / "upload-source.webm"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_playback_copy_is_made_from_a_download_and_stored_in_the_bucket(app, report):
    answer = Answer.get()
    key = f"answers/{answer.interview_id}/mediarecorder-vp8-opus.webm"
    get_storage().save(key, (Path(ROOT) / "tests" / "fixtures" / "browser" / "mediarecorder-vp8-opus.webm")
                       .read_bytes())
    Answer.update(media_key=key, has_video=True, mime_type="video/webm").where(Answer.id == answer.id).execute()
    answer = playback.make_playback_copy(answer.id)
    assert answer.playback_key.endswith(".mp4") and not answer.playback_error
    assert get_storage().read(answer.poster_key)[:2] == b"\xff\xd8"
    with get_storage().local_copy(answer.playback_key) as copy:
        data = copy.read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat")  # faststart
    assert not list((Path(app.config["MEDIA_ROOT"]) / "tmp").iterdir())

    removed = purge_interview_media(answer.interview)
    assert removed == 3  # recording, playback copy, poster
    for k in (answer.media_key, answer.playback_key, answer.poster_key):
        assert not get_storage().exists(k)


def test_storage_settings_are_checked():
    from config.settings import ConfigError, check_production, load_settings
    with pytest.raises(ConfigError, match="STORAGE must be local or s3"):
        load_settings({"STORAGE": "ftp"})
    with pytest.raises(ConfigError, match="S3_BUCKET"):
        load_settings({"STORAGE": "s3"})
    assert load_settings({"STORAGE": "S3", "S3_BUCKET": "media"})["STORAGE"] == "s3"
    assert load_settings({})["STORAGE"] == "local"  # the two-command demo keeps its local folder
    assert any("S3_SECRET_KEY" in p for p in check_production({"S3_SECRET_KEY": "interview-dev-secret"}))


def test_storage_check_command_creates_the_bucket_and_round_trips(app, s3_settings):
    from tests.support.s3 import empty_and_remove
    runner = app.test_cli_runner()
    assert "storage ok: s3 bucket" in runner.invoke(args=["storage", "check"]).output
    app.config["S3_BUCKET"] = "test-created-by-check"
    from app.core.extensions import settings
    settings["S3_BUCKET"] = "test-created-by-check"
    try:
        refused = runner.invoke(args=["storage", "check"])
        assert refused.exit_code != 0 and "storage check failed" in refused.output  # no such bucket
        created = runner.invoke(args=["storage", "check", "--create-bucket"])
        assert created.exit_code == 0 and "test-created-by-check" in created.output
    finally:
        settings["S3_BUCKET"] = s3_settings["S3_BUCKET"]
        empty_and_remove("test-created-by-check")


def test_a_resume_attachment_goes_to_the_bucket_and_downloads_whole(client, demo_job, s3_settings):
    from PIL import Image

    from app.interview.invitations import invite_candidate
    buf = io.BytesIO()
    Image.new("RGB", (300, 400), (255, 255, 255)).save(buf, "PDF")
    pdf = buf.getvalue()
    _, token = invite_candidate(demo_job.id, "李明", "13800001234")
    auth = {"Authorization": f"Bearer {token}"}
    up = client.post("/mp/api/v1/conversation/attachments", json={"filename": "简历.pdf", "total_bytes": len(pdf)},
                     headers=auth).get_json()
    for index in up["missing"]:
        size = up["chunk_bytes"]
        assert client.put(f"/mp/api/v1/conversation/attachments/{up['upload_id']}/chunks/{index}",
                          data=pdf[index * size:(index + 1) * size], headers=auth).status_code == 200
    done = client.post(f"/mp/api/v1/conversation/attachments/{up['upload_id']}/complete", headers=auth)
    assert done.status_code == 201, done.get_json()
    attachment = done.get_json()["attachment"]
    keys = [o["Key"] for o in s3_client().list_objects_v2(Bucket=s3_settings["S3_BUCKET"])["Contents"]]
    assert [k for k in keys if k.startswith("attachments/")] and not [k for k in keys if k.startswith("uploads/")]
    got = client.get(f"/i/{token}/attachments/{attachment['id']}")
    assert got.status_code == 200 and got.mimetype == "application/pdf" and got.data == pdf
