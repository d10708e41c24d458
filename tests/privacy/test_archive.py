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
