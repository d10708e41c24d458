"""Static files: fingerprinted URLs, gzip for vendored files, long cache in production."""
from tests.support.app import make_app


def test_static_urls_carry_a_content_hash_and_the_file_is_served(client):
    html = client.get("/i/not-a-token").get_data(as_text=True)
    assert "/static/h5/app.css?v=" in html
    res = client.get("/static/h5/app.css")
    assert res.status_code == 200 and res.headers["X-Content-Type-Options"] == "nosniff"


def test_vendored_files_go_out_gzipped_with_a_year_of_cache_in_production(tmp_path, redis_conn):
    app = make_app(tmp_path, APP_ENV="production", STATIC_MAX_AGE=None)
    res = app.test_client().get("/static/vendor/weui/weui.min.css", headers={"Accept-Encoding": "gzip"})
    assert res.status_code == 200 and res.headers.get("Content-Encoding") == "gzip"
    assert "max-age=31536000" in res.headers["Cache-Control"]
