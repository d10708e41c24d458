"""The OpenAPI 3.1 document of /mp/api/v1, the interview and the conversation (kept next to the views; a test
checks every route of both blueprints is in it)."""

BEARER = [{"interviewToken": []}]
ERROR_CODES = {"400": "输入有误 Bad input", "401": "缺少凭证 Missing token",
               "403": "请先完成前一步 Step required", "404": "链接或资源不存在 Not found",
               "409": "状态冲突 Conflict", "410": "链接已过期或失效 Link expired/revoked",
               "413": "内容过大 Too large", "415": "请求体类型不对 Wrong Content-Type",
               "422": "媒体无法使用或超时 Media unusable or answer too long", "429": "尝试次数过多 Too many attempts"}
# Every operation opened by the token: none sent (401), unknown (404; 429 after too many unknown tokens from one
# address), expired, replaced or the candidate's data deleted (410). A body can be too large (413) or not JSON (415).
TOKEN_ERRORS = ("401", "404", "410", "429")
BODY_ERRORS = ("400", "413", "415")


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema):
    return {"content": {"application/json": {"schema": schema}}}


def _op(summary, ok, *, body=None, errors=(), ok_status="200", raw_body=False, params=(), body_required=True,
        also_ok=None, notes=None, description=None):
    """One operation: `ok` answered with `ok_status` (and `also_ok`, a (status, description) pair, with the same
    schema); the token's errors, the body's when there is one, and `errors`; `notes` ({status: text}) say which
    codes an error status has here, `description` what the operation does beyond its summary."""
    op = {"summary": summary, "security": BEARER, "parameters": list(params),
          "responses": {ok_status: {"description": "OK", **_json(ok)}}}
    if also_ok:
        op["responses"][also_ok[0]] = {"description": also_ok[1], **_json(ok)}
    codes = set(TOKEN_ERRORS) | set(errors) | (set(BODY_ERRORS) if body is not None or raw_body else set())
    for code in sorted(codes):
        note = f"; {notes[code]}" if notes and code in notes else ""
        op["responses"][code] = {"description": ERROR_CODES[code] + note, **_json(_ref("Error"))}
    if description:
        op["description"] = description
    if body is not None:
        op["requestBody"] = {"required": body_required, **_json(body)}
    if raw_body:
        op["requestBody"] = {"required": True, "description": "分片的原始字节;表单编码(multipart/form-data、"
                             "application/x-www-form-urlencoded)会被拒绝(415) The chunk's raw bytes; a form is refused",
                             "content": {"application/octet-stream": {
                                 "schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}}
    return op


UPLOAD_ID = {"name": "upload_id", "in": "path", "required": True,
             "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
QUESTION_ID = {"name": "question_id", "in": "path", "required": True, "schema": {"type": "integer"}}
# Questions are answered in order (app/interview/flow.check_in_order): the clock, the recording and the upload of a
# question, for the H5 and a mini-program alike.
IN_ORDER = ("question_out_of_order: 前面的题还没有提交回答(details.question_id 和 details.number(第几题)指出第一道),"
            "请先完成那道题 an earlier question has no answer yet; a question already shown, recorded or uploaded "
            "is never refused for it, nor is an earlier question's late upload")
INDEX = {"name": "index", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0},
         "description": "分片序号,从 0 到 total_chunks - 1;超出范围(包括负数)返回 400 invalid_chunk_index "
                        "0-based; out of range (a negative one too): 400 invalid_chunk_index"}


def _chunk_ops(summary):
    """PUT and POST of one chunk of an upload (answer or attachment), the raw body, any order."""
    out = {"type": "object", "required": ["upload_id", "index", "status"], "properties": {
        "upload_id": {"type": "string"}, "index": {"type": "integer"}, "status": {"enum": ["open", "complete"]}}}
    return {method: _op(summary, out, raw_body=True, params=[UPLOAD_ID, INDEX], errors=("409",),
                        notes={"400": "invalid_chunk_index (序号不在 0 到 total_chunks - 1 之间 not 0 to "
                                      "total_chunks - 1), chunk_size_mismatch",
                               "413": "chunk_too_large (分片大于 chunk_bytes)"}) for method in ("put", "post")}


SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}}}},
    "Status": {"type": "object", "required": [
        "interview_status", "status_label", "stage", "stage_label", "next_step", "answered", "total_questions",
        "audio_only", "identity_locked", "consent_biometric", "completed_at"], "properties": {
        "interview_status": {"enum": ["invited", "in_progress", "completed", "expired", "revoked"]},
        "status_label": {"type": "string"}, "stage": {"type": "string"}, "stage_label": {"type": "string"},
        "next_step": {"enum": ["landing", "consent", "identity", "device", "questions", "done"]},
        "answered": {"type": "integer"}, "total_questions": {"type": "integer"}, "audio_only": {"type": "boolean"},
        "identity_locked": {"type": "boolean", "description": "身份核验失败次数用完,链接已暂停,等待HR解锁"
                                                              "(HR已收到通知);此时 /identity 返回 429 identity_locked"},
        "consent_biometric": {"type": ["boolean", "null"]},
        "completed_at": {"type": ["string", "null"], "format": "date-time"}}},
    "Interview": {"type": "object", "required": [
        "company", "job", "candidate_name", "expires_at", "total_seconds", "consent", "identity_max_attempts",
        "identity_step", "upload", "status"], "properties": {
        "company": {"type": "string"},
        "job": {"type": "object", "required": ["id", "title", "department", "location"], "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"}, "department": {"type": "string"},
            "location": {"type": "string"}}},
        "candidate_name": {"type": ["string", "null"], "description": "null until the identity check passed"},
        "expires_at": {"type": "string", "format": "date-time"}, "total_seconds": {"type": "integer"},
        "consent": {"type": "object", "properties": {"version": {"type": "string"},
                                                     "recording_text": {"type": "string"},
                                                     "biometric_text": {"type": "string"}}},
        "identity_max_attempts": {"type": "integer"},
        "identity_step": {"type": "string", "enum": ["phone_last4", "sms_code"]},
        "upload": {"type": "object", "properties": {"chunk_bytes": {"type": "integer"},
                                                    "max_bytes": {"type": "integer"}}},
        "status": _ref("Status")}},
    "Question": {"type": "object", "required": [
        "id", "position", "text", "think_seconds", "answer_seconds", "retakes_allowed"], "description":
        "attempts_used 和 next_attempt 只有已答题和下一题有; think_remaining_s、answer_deadline、timing 只有下一题有;"
        "answered 只在题目列表中", "properties": {
        "id": {"type": "integer"}, "position": {"type": "integer"}, "text": {"type": ["string", "null"]},
        "think_seconds": {"type": "integer"}, "answer_seconds": {"type": "integer"},
        "retakes_allowed": {"type": "integer"}, "attempts_used": {"type": "integer"},
        "next_attempt": {"type": ["integer", "null"]}, "answered": {"type": "boolean"},
        "think_remaining_s": {"type": "integer", "description": "只有下一题: 剩余思考秒数(服务器计时,刷新不重置)"},
        "answer_deadline": {"type": "string", "format": "date-time"},
        "timing": _ref("Timing")}},
    "Timing": {"type": "object", "description": "服务器对一次作答的计时: 首次展示题目时开始,再次获取不会重置",
               "required": ["attempt", "shown_at", "think_seconds", "think_remaining_s", "think_ends_at",
                            "answer_seconds", "answer_deadline", "answer_tolerance_s", "recording_started_at",
                            "recording_limit_s", "answer_remaining_s", "answer_time_over", "makeup"],
               "properties": {
        "attempt": {"type": "integer"}, "shown_at": {"type": "string", "format": "date-time"},
        "think_seconds": {"type": "integer", "description": "本次的思考秒数(重录只有 3 秒准备时间)"},
        "think_remaining_s": {"type": "integer", "minimum": 0},
        "think_ends_at": {"type": "string", "format": "date-time"},
        "answer_seconds": {"type": "integer", "description": "录制时长上限;超过 answer_seconds + "
                                                             "answer_tolerance_s 的录制在完成上传时被拒 "
                                                             "(422 answer_too_long)"},
        "answer_deadline": {"type": "string", "format": "date-time",
                            "description": "录制最晚结束时间: 开始录制前为思考结束 + answer_seconds + 10 秒;"
                                           "开始录制后为 recording_started_at + answer_seconds"},
        "answer_tolerance_s": {"type": "integer"},
        "recording_started_at": {"type": ["string", "null"], "format": "date-time",
                                 "description": "本次作答第一次开始录制的时间(只设置一次);null: 尚未开始录制"},
        "recording_limit_s": {"type": ["number", "null"],
                              "description": "服务器接受的录制时长上限(另加 answer_tolerance_s): 首次录制为 "
                                             "answer_seconds,页面刷新后重新开始录制时为当时剩余的作答时间"},
        "answer_remaining_s": {"type": ["integer", "null"],
                               "description": "剩余作答秒数(录制开始后才有);重新开始录制时只能录这么长"},
        "answer_time_over": {"type": "boolean",
                             "description": "作答时间已用完: 有重录机会时用下一次作答,最后一次作答有一次补录"},
        "makeup": {"type": "boolean", "description": "最后一次作答的补录窗口(完整 answer_seconds,只有一次)"}}},
    "Upload": {"type": "object", "required": [
        "upload_id", "status", "question_id", "attempt", "mime_type", "total_bytes", "chunk_bytes", "total_chunks",
        "received", "missing", "answer_id"], "properties": {
        "upload_id": {"type": "string"}, "status": {"enum": ["open", "complete"]},
        "question_id": {"type": "integer"}, "attempt": {"type": "integer"}, "mime_type": {"type": "string"},
        "total_bytes": {"type": "integer"}, "chunk_bytes": {"type": "integer"}, "total_chunks": {"type": "integer"},
        "received": {"type": "array", "items": {"type": "integer"}},
        "missing": {"type": "array", "items": {"type": "integer"}},
        "answer_id": {"type": ["integer", "null"]}}},
}

# The candidate's conversation (app/conversation/views.py, /mp/api/v1/conversation): the status page's JSON.
SCHEMAS |= {
    "Attachment": {"type": "object", "required": ["id", "filename", "mime_type", "kind", "size_bytes"], "properties": {
        "id": {"type": "integer"}, "filename": {"type": "string"}, "mime_type": {"type": "string"},
        "kind": {"type": "string"}, "size_bytes": {"type": "integer"}}},
    "Message": {"type": "object", "required": ["id", "from", "name", "channel", "text", "at", "attachments",
                                           "superseded"],
                "properties": {
        "id": {"type": "integer"}, "from": {"enum": ["candidate", "staff", "system"]}, "name": {"type": "string"},
        "channel": {"type": "string"}, "text": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
        "attachments": {"type": "array", "items": _ref("Attachment")},
        "superseded": {"type": "boolean", "description": "一条被新邀请取代的面试邀请通知:其链接和截止时间已失效,"
                       "请标为「已失效,请使用最新的面试链接」 An invitation notice a newer invitation replaced"}}},
    "AttachmentUpload": {"type": "object", "required": [
        "upload_id", "status", "filename", "total_bytes", "chunk_bytes", "total_chunks", "received", "missing",
        "attachment"], "properties": {
        "upload_id": {"type": "string"}, "status": {"enum": ["open", "complete"]}, "filename": {"type": "string"},
        "total_bytes": {"type": "integer"}, "chunk_bytes": {"type": "integer"}, "total_chunks": {"type": "integer"},
        "received": {"type": "array", "items": {"type": "integer"}},
        "missing": {"type": "array", "items": {"type": "integer"}},
        "attachment": {"oneOf": [_ref("Attachment"), {"type": "null"}]}}},
}
CONVERSATION_PATHS = {
    "/conversation": {"get": _op("应聘进度与消息 Where the application stands, and the messages both ways", {
        "type": "object", "properties": {
            "phase": {"type": "object", "properties": {
                "key": {"type": "string"}, "title": {"type": "string"}, "next": {"type": "string"},
                "final": {"type": "boolean"}, "step": {"type": "integer"},
                "steps": {"type": "array", "items": {"type": "string"}}}},
            "due": {"type": ["string", "null"], "format": "date-time"},
            "messages": {"type": "array", "items": _ref("Message")}}})},
    "/conversation/messages": {"post": _op(
        "给HR留言 Write to HR, with attachments uploaded before (at most 5)", _ref("Message"), ok_status="201",
        body={"type": "object", "properties": {
            "text": {"type": "string", "maxLength": 2000},
            "attachment_ids": {"type": "array", "maxItems": 5, "items": {"type": "integer", "minimum": 1}}}},
        errors=("400", "401", "404", "410", "429"))},
    "/conversation/attachments": {"post": _op(
        "开始上传附件 Init an attachment upload (PDF, Word, image; type checked from the bytes)",
        _ref("AttachmentUpload"), ok_status="201",
        body={"type": "object", "required": ["filename", "total_bytes"], "properties": {
            "filename": {"type": "string"},
            "total_bytes": {"type": "integer", "minimum": 1, "description": "JSON 整数(\"10\" 这样的字符串返回 400 "
                            "invalid_field) a JSON integer"},
            "purpose": {"enum": ["chat", "hr_document"], "default": "chat",
                        "description": "hr_document: 背景调查或入职材料(只在这两个阶段)"}}},
        errors=("400", "401", "404", "410", "413", "429"),
        notes={"400": "invalid_field (details.field: 缺少或不是 JSON 整数/字符串 missing or of the wrong JSON type), "
                      "empty_upload (total_bytes ≤ 0), invalid_purpose",
               "413": "attachment_too_large (超过附件大小上限 over the limit, details.max_bytes)"})},
    "/conversation/attachments/{upload_id}": {"get": _op(
        "附件上传状态 Which chunks arrived (resume)", _ref("AttachmentUpload"), params=[UPLOAD_ID])},
    "/conversation/attachments/{upload_id}/chunks/{index}": _chunk_ops(
        "上传附件分片 Send chunk `index` as the raw body"),
    "/conversation/attachments/{upload_id}/complete": {"post": _op(
        "完成附件上传 Assemble, detect the type, store (the same attachment when repeated)", {
            "type": "object", "properties": {"attachment": _ref("Attachment")}}, ok_status="201",
        params=[UPLOAD_ID], errors=("401", "404", "409", "410", "422"))},
}

PATHS = {
    "/interview": {"get": _op("面试信息 Interview info (company, job, consent texts, status)", _ref("Interview"))},
    "/consent": {"post": _op(
        "提交同意 Give consent (recording required, biometric optional); may be sent again", _ref("Status"),
        body={"type": "object", "required": ["recording", "text_version"], "properties": {
            "recording": {"type": "boolean"},
            "biometric": {"type": ["boolean", "null"], "description": (
                "人脸信息同意(可选,opt-in)。第一次提交: 不传或 null 即不同意。再次提交: 不传或 null 保留已有选择;"
                "false 撤回(人脸照片立即删除,之后只录音);身份核验后不能再改为 true "
                "Opt-in. First consent: absent or null means no. Sent again: absent or null keeps the stored "
                "choice, false withdraws (the face photo is deleted at once, later answers are audio only), true "
                "after the identity step is refused (409 biometric_consent_locked)")},
            "text_version": {"type": "string"}}},
        errors=("400", "401", "404", "409", "410"),
        notes={"409": "consent_outdated, biometric_consent_locked, interview_finished (面试已结束: 什么都不改变 "
                      "the interview is finished, nothing changes)"},
        description="再次提交不会重置任何东西: 状态、开始时间和流程阶段只从初始状态前进一次,同意记录只在选择改变时追加 "
                    "Sending it again resets nothing: the status, start time and pipeline stage move only once, "
                    "a consent record is appended only when a choice changes")},
    "/identity": {"post": _op("身份核验 Verify name + last 4 phone digits, or + phone_proof when identity_step is "
                              "sms_code (+ face JPEG when biometric)", _ref("Status"),
                              body={"type": "object", "required": ["name"], "properties": {
                                  "name": {"type": "string"}, "phone_last4": {"type": "string"},
                                  "phone_proof": {"type": "string"},
                                  "face_jpeg_base64": {"type": "string", "contentEncoding": "base64"}}},
                              errors=("400", "401", "403", "404", "409", "410", "422", "429"))},
    "/device-check": {"post": _op("设备检测完成 Mark the device check done", _ref("Status"),
                                  errors=("401", "403", "404", "409", "410"))},
    "/questions": {"get": _op("题目列表 Questions (text only of answered and next)", {
        "type": "object", "properties": {"questions": {"type": "array", "items": _ref("Question")},
                                         "next_question_id": {"type": ["integer", "null"]}}})},
    "/questions/next": {"get": _op("下一题 The next unanswered question", {
        "type": "object", "properties": {"step": {"type": "string"}, "question": {"oneOf": [
            _ref("Question"), {"type": "null"}]}}})},
    "/questions/{question_id}/start": {"post": _op(
        "开始一次作答/开始录制 Start (or look up) the clock of an attempt, or note that its recording (re)starts",
        _ref("Timing"),
        body={"type": "object", "properties": {
            "attempt": {"type": "integer", "minimum": 1, "description": "默认: 下一次作答(recording 时必填)"},
            "recording": {"type": "boolean", "default": False,
                          "description": "true: 录制此刻开始(第一次)或在页面刷新后重新开始;返回剩余作答时间。"
                                         "已提交的作答返回 409 attempt_submitted"}}},
        params=[QUESTION_ID], errors=("400", "401", "403", "404", "409", "410"), body_required=False,
        notes={"409": "no_retakes_left, attempt_submitted, interview_finished, " + IN_ORDER})},
    "/questions/{question_id}/page-hidden": {"post": _op(
        "录制中离开页面 The candidate left the page while recording (counted for the integrity checks)",
        {"type": "object", "properties": {"hidden_count": {"type": "integer"}, "hidden_seconds": {"type": "number"}}},
        body={"type": "object", "required": ["attempt", "seconds"], "properties": {
            "attempt": {"type": "integer", "minimum": 1},
            "seconds": {"type": "number", "minimum": 0, "description": "离开页面的秒数 seconds away"}}},
        params=[QUESTION_ID], errors=("400", "401", "403", "404", "409", "410"),
        notes={"409": "no_retakes_left, interview_finished, " + IN_ORDER})},
    "/uploads": {"post": _op("开始上传 Init an upload of one attempt (201 also when the attempt's upload exists: "
                             "the same total_bytes and mime_type resume it, `missing` says what to send; other "
                             "values replace an open one)", _ref("Upload"), ok_status="201",
                             body={"type": "object", "required": ["question_id", "mime_type", "total_bytes"],
                                   "description": "数字必须是 JSON 整数:\"1\" 这样的字符串返回 400 invalid_field "
                                                  "The numbers are JSON integers: a string such as \"1\" is "
                                                  "400 invalid_field",
                                   "properties": {"question_id": {"type": "integer"},
                                                  "attempt": {"type": "integer", "minimum": 1, "default": 1},
                                                  "mime_type": {"type": "string"},
                                                  "total_bytes": {"type": "integer", "minimum": 1,
                                                                  "description": "录制文件的字节数,不超过 "
                                                                  "Interview.upload.max_bytes the recording's size"},
                                                  "recording": {"type": "string", "pattern": "^[0-9A-Za-z_-]{0,40}$",
                                                                "description": "the client's id of this recording: "
                                                                "another recording of a stored attempt gets 409 "
                                                                "attempt_submitted whatever its size"}}},
                             errors=("400", "401", "403", "404", "409", "410", "413"),
                             notes={"400": "invalid_field (details.field: 缺少或不是 JSON 整数 missing or not a JSON "
                                           "integer), invalid_upload (question_id or attempt beyond the integer "
                                           "range, details.field; or a bad recording id), empty_upload (total_bytes "
                                           "≤ 0), unsupported_media_type, invalid_attempt, "
                                           "question_not_in_interview",
                                    "409": "attempt_submitted, no_retakes_left, interview_finished, " + IN_ORDER,
                                    "413": "upload_too_large (超过单个回答的大小上限 over the limit, "
                                           "details.max_bytes)"})},
    "/uploads/{upload_id}": {"get": _op("上传状态 Which chunks arrived (resume)", _ref("Upload"),
                                        params=[UPLOAD_ID])},
    "/uploads/{upload_id}/chunks/{index}": _chunk_ops(
        "上传分片 Send chunk `index` as the raw body (idempotent, any order)"),
    "/uploads/{upload_id}/complete": {"post": _op(
        "完成上传 Assemble, check and store the answer (201 new, 200 when already complete)", {
            "type": "object", "required": ["answer", "created", "interview"], "properties": {
                "answer": {"type": "object", "required": ["id", "question_id", "attempt", "duration_s", "has_video",
                                                          "status"], "properties": {
                    "id": {"type": "integer"}, "question_id": {"type": "integer"}, "attempt": {"type": "integer"},
                    "duration_s": {"type": "number"}, "has_video": {"type": "boolean"}, "status": {"type": "string"}}},
                "created": {"type": "boolean"}, "interview": _ref("Status")}},
        ok_status="201", also_ok=("200", "已完成过,返回同一个回答 Already complete: the same answer"),
        params=[UPLOAD_ID], errors=("401", "404", "409", "410", "422"))},
    "/status": {"get": _op("面试状态 Interview status", _ref("Status"))},
    **CONVERSATION_PATHS,
    "/openapi.json": {"get": {"summary": "This document", "security": [],
                              "responses": {"200": {"description": "OpenAPI 3.1 document"}}}},
}


def build_document():
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "AI 面试 mini-program API", "version": "1",
                 "description": "候选人面试流程的 JSON API。所有接口用面试链接中的 token 认证: "
                                "`Authorization: Bearer <token>`。错误统一为 {\"error\": {\"code\", \"message\"}}。"},
        "servers": [{"url": "/mp/api/v1"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "securitySchemes": {
            "interviewToken": {"type": "http", "scheme": "bearer",
                               "description": "面试邀请链接 /i/<token> 中的 token"}}},
    }
