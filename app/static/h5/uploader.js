/* Chunked, resumable uploads: a recording through /mp/api/v1/uploads, a file (a message's attachment, or a
   document of the background check / onboarding) through /mp/api/v1/conversation/attachments. */
(function (w) {
  'use strict';
  var H5 = w.H5;

  /* PUT one chunk with XMLHttpRequest, which reports the bytes sent (fetch does not): onSent(bytes). A request
     that sends nothing for `stallMs` (a connection that died without an error, common on a phone moving between
     networks) or that is running when the phone goes offline is dropped: withRetry sends it again instead of
     the upload waiting on it for minutes. Resolves with the JSON answer; rejects like H5.api. */
  function putChunk(cfg, path, part, onSent, stallMs) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest(), timer;
      function drop() { xhr.abort(); }
      function watch() { clearTimeout(timer); timer = setTimeout(drop, stallMs); }
      function settled() { clearTimeout(timer); w.removeEventListener('offline', drop); }
      xhr.open('PUT', cfg.apiBase + path);
      xhr.setRequestHeader('Authorization', 'Bearer ' + cfg.token);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = function (ev) { watch(); onSent(ev.loaded); };
      xhr.onload = function () {
        settled();
        var data = {};
        try { data = JSON.parse(xhr.responseText || '{}'); } catch (e) { /* not JSON: the status says it */ }
        if (xhr.status >= 200 && xhr.status < 300) { resolve(data); } else { reject(H5.refusal(xhr.status, data)); }
      };
      xhr.onerror = xhr.onabort = function () { settled(); reject(new Error('network')); };
      w.addEventListener('offline', drop);
      watch();
      xhr.send(part);
    });
  }

  /* Upload `rec` ({blob, mime, attempt, questionId}); ui.progress(fraction), ui.wait(message). Resolves with the
     complete response; rejects with an H5.ApiError for final (4xx) refusals. Network errors are retried forever
     with backoff, so a dropped connection just pauses the upload; progress moves within a chunk too. */
  H5.uploadRecording = async function (cfg, rec, ui) {
    try { return await sendRecording(cfg, rec, ui); } catch (err) {
      if (err.code !== 'upload_not_found') { throw err; }
    }
    // Another tab (or device) of the link opened its own upload of this attempt, which replaced this one: open
    // it again once. Were the other one stored meanwhile, init says so (409 attempt_submitted).
    try { return await sendRecording(cfg, rec, ui); } catch (err) {
      if (err.code !== 'upload_not_found') { throw err; }
      throw new H5.ApiError(409, 'upload_replaced', '本题正在另一个页面或设备上传另一段录制,请只在一个页面作答;' +
        '点「重试上传」继续上传本页的录制 This question is being uploaded from another page', err.details);
    }
  };

  async function sendRecording(cfg, rec, ui) {
    var onWait = function (n, delay) {
      ui.wait(navigator.onLine === false ? '网络已断开,恢复后自动继续上传… Offline, will resume'
        : '网络不稳定,' + Math.round(delay / 1000) + ' 秒后重试(第 ' + n + ' 次)… Retrying');
    };
    var body = { question_id: rec.questionId, attempt: rec.attempt, mime_type: rec.mime, total_bytes: rec.blob.size,
                 recording: rec.id || '' };
    var up = await H5.withRetry(function () { return H5.api(cfg, 'POST', '/uploads', body); }, onWait);
    // Complete already: this recording's own upload, its answer lost on the way (the server refuses another
    // recording of a stored attempt, by its `recording` id, with 409 attempt_submitted).
    if (up.status === 'complete') { ui.progress(1); return { answer: { id: up.answer_id }, created: false }; }
    var missing = up.missing, stallMs = (cfg.stallSeconds || 30) * 1000;
    for (;;) {
      var total = up.total_chunks, size = up.chunk_bytes, done = total - missing.length;
      ui.progress(done / total);
      for (var i = 0; i < missing.length; i++) {
        var index = missing[i], part = rec.blob.slice(index * size, Math.min(rec.blob.size, (index + 1) * size));
        await H5.withRetry(function () {
          return putChunk(cfg, '/uploads/' + up.upload_id + '/chunks/' + index, part, function (bytes) {
            ui.progress((done + bytes / part.size) / total);
          }, stallMs);
        }, onWait);
        done += 1;
        ui.progress(done / total);
      }
      try {
        return await H5.withRetry(function () {
          return H5.api(cfg, 'POST', '/uploads/' + up.upload_id + '/complete');
        }, onWait);
      } catch (err) {
        if (err.code !== 'chunks_missing') { throw err; }
        missing = err.details.missing || [];
      }
    }
  }

  /* Upload one file as an attachment (purpose "chat") or a document (purpose "hr_document": background check and
     onboarding, HR only): init -> missing chunks -> complete, network errors retried with backoff (H5.withRetry),
     4xx final. onState(text) reports progress. Resolves with the attachment's id. `cfg.apiBase` is the
     conversation API. */
  H5.uploadAttachment = async function (cfg, file, purpose, onState) {
    var onWait = function () { onState('网络不稳定,重试中…'); };
    var up = await H5.withRetry(function () {
      return H5.api(cfg, 'POST', '/attachments', { filename: file.name, total_bytes: file.size, purpose: purpose });
    }, onWait);
    var missing = up.missing, size = up.chunk_bytes, done = up.total_chunks - missing.length;
    for (var i = 0; i < missing.length; i++) {
      var index = missing[i];
      var part = file.slice(index * size, Math.min(file.size, (index + 1) * size));
      await H5.withRetry(function () {
        return H5.api(cfg, 'PUT', '/attachments/' + up.upload_id + '/chunks/' + index, undefined, part);
      }, onWait);
      done += 1;
      onState(Math.round(100 * done / up.total_chunks) + '%');
    }
    var res = await H5.withRetry(function () {
      return H5.api(cfg, 'POST', '/attachments/' + up.upload_id + '/complete');
    }, onWait);
    onState('已上传');
    return res.attachment.id;
  };
})(window);
