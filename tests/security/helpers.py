"""Small helpers of the security tests: the upload API as a client uses it."""
CHUNK = 4096


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def small_chunks():
    from app.core.extensions import settings
    settings["UPLOAD_CHUNK_BYTES"] = CHUNK


def init(client, token, question_id, data, attempt=1, mime="video/webm;codecs=vp8,opus"):
    return client.post("/mp/api/v1/uploads", headers=auth(token),
                       json={"question_id": question_id, "attempt": attempt, "mime_type": mime,
                             "total_bytes": len(data)})


def upload(client, token, question_id, data, attempt=1, mime="video/webm;codecs=vp8,opus"):
    """Init and send every chunk; return the upload id."""
    res = init(client, token, question_id, data, attempt, mime)
    assert res.status_code == 201, res.json
    upload_id = res.json["upload_id"]
    for index, start in enumerate(range(0, len(data), CHUNK)):
        res = client.put(f"/mp/api/v1/uploads/{upload_id}/chunks/{index}", headers=auth(token),
                         data=data[start:start + CHUNK], content_type="application/octet-stream")
        assert res.status_code == 200, res.json
    return upload_id


def complete(client, token, upload_id):
    return client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
