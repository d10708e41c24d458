/* One question: think countdown -> record (auto-stop at the limit) -> review (retake if allowed) -> upload.
   A finished recording is kept in IndexedDB until the server has it, so a reload or a phone lock loses nothing.
   The think countdown runs on the server's clock (cfg.timing, POST /questions/<id>/start for a retake): a reload
   continues it, and when it is over recording starts at once. Starting to record is reported to the server
   (same endpoint, "recording": true): a reload during recording restarts it at once with only the time left.
   Each recording has its own key (link:question:attempt:recording id): two pages of the link never overwrite or
   delete each other's. Not saved on the phone (private mode, storage full), the page says so (#memory-note). */
(function () {
  'use strict';
  var H5 = window.H5, cfg = JSON.parse(document.getElementById('question-config').textContent);
  var q = cfg.question, key = cfg.token + ':' + q.id, attemptKey = 'attempt:' + key, ownKey = 'recording:' + key;
  var $ = function (id) { return document.getElementById(id); };
  var box = $('recorder'), live = $('live'), timerLabel = $('timer-label'), timerValue = $('timer-value');
  var btn = { start: $('btn-start'), stop: $('btn-stop'), submit: $('btn-submit'), retake: $('btn-retake'),
              retry: $('btn-retry'), next: $('btn-next') };
  var stream = null, recorder = null, ticker = null, current = null, stopMeter = null;
  var attempt = Math.max(q.firstAttempt, parseInt(localStorage.getItem(attemptKey) || '0', 10) || 0);
  var RETAKE_READY = 3;
  // Held from the start of a recording until it is saved on the phone: another page of the link then says so.
  var LOCK = 'ai-interview-recording:' + key;
  // When the think time of the server's attempt ends, on this phone's clock (remaining seconds, so no clock skew).
  var pageThinkEnd = Date.now() + cfg.timing.thinkRemaining * 1000;

  function show(state, visible) {
    box.dataset.state = state;
    Object.keys(btn).forEach(function (k) { btn[k].hidden = visible.indexOf(k) < 0; btn[k].disabled = false; });
    $('playback-wrap').hidden = state !== 'review';
    $('upload').hidden = state !== 'uploading' && state !== 'failed';
    if ($('rec-badge')) { $('rec-badge').hidden = state !== 'recording'; }
    // The live picture only while thinking and recording; the review shows the recording itself.
    var live = ['loading', 'thinking', 'recording'].indexOf(state) >= 0;
    var cam = box.querySelector('.camera, .meter');
    if (cam) { cam.hidden = !live; }
  }
  function tip(text, warn) { $('rec-tip').textContent = text || ''; $('rec-tip').classList.toggle('form-error', !!warn); }
  function fmt(s) { return Math.floor(s / 60) + ':' + ('0' + (s % 60)).slice(-2); }

  function countdown(seconds, label, onEnd) { countdownTo(Date.now() + seconds * 1000, label, onEnd); }

  function countdownTo(end, label, onEnd) {
    clearInterval(ticker);
    timerLabel.textContent = label;
    function tick() {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      timerValue.textContent = fmt(left);
      if (left <= 0) { clearInterval(ticker); onEnd(); }
    }
    tick();
    ticker = setInterval(tick, 250);
  }

  async function openCamera() {
    if (stream && stream.active) { return stream; }
    stream = await H5.openMedia(cfg.audioOnly);
    if (live) { live.srcObject = stream; }
    if ($('level')) { stopMeter = H5.levelMeter(stream, function (v) { $('level').style.width = Math.round(v * 100) + '%'; }); }
    return stream;
  }

  /* Think until `end` (ms on this phone's clock), then record; `note` explains a countdown that continues. */
  async function think(end, note) {
    show('loading', []);
    timerLabel.textContent = '正在打开' + (cfg.audioOnly ? '麦克风' : '摄像头') + '…';
    try { await openCamera(); } catch (err) {
      tip(H5.permissionMessage(err, cfg.audioOnly), true);
      show('failed', ['retry']); btn.retry.textContent = '重试 Retry'; btn.retry.onclick = function () { think(end, note); };
      return;
    }
    if (Date.now() >= end) {
      // The think time ran out while the page was closed or reloading: no second think time, record now.
      record('思考时间已结束(刷新或重新打开页面不会重新计时),已自动开始录制,请直接作答。' +
             'Think time is over, recording has started.');
      return;
    }
    show('thinking', ['start']);
    tip(note || '请思考如何回答,倒计时结束后将自动开始录制。准备好了也可以直接开始。');
    btn.start.onclick = function () { record(); };
    countdownTo(end, '思考时间 Think', function () {
      if (!document.hidden) { record(); return; }
      // The phone is locked (or WeChat is in the background): recording now would use up the answer time on a
      // black, silent recording. Record once the page is seen again, as when the link is reopened late.
      tip('思考时间已结束,回到本页面后将立即开始录制。Think time is over: recording starts when you are back.', true);
      document.addEventListener('visibilitychange', function back() {
        if (document.hidden) { return; }
        document.removeEventListener('visibilitychange', back);
        record('思考时间已结束(锁屏或切换应用不会暂停计时),已自动开始录制,请直接作答。' +
               'Think time is over, recording has started.');
      });
    });
  }

  /* The server's clock of attempt `a`: when its think time ends and whether its recording had started. */
  function timingOf(a) {
    if (a === cfg.timing.attempt) {
      return Promise.resolve({ thinkEnd: pageThinkEnd, recordingStarted: cfg.timing.recordingStarted });
    }
    return H5.api(cfg, 'POST', '/questions/' + q.id + '/start', { attempt: a }).then(function (t) {
      return { thinkEnd: Date.now() + t.think_remaining_s * 1000, recordingStarted: !!t.recording_started_at };
    }, function () { return { thinkEnd: Date.now() + RETAKE_READY * 1000, recordingStarted: false }; });
  }

  function startRecorder(seconds, note, warn) {
    clearInterval(ticker);
    try { recorder = H5.startRecording(stream, cfg.audioOnly); } catch (err) {
      tip('当前微信版本不支持录制,请升级微信或用系统浏览器打开本链接。', true); show('failed', []); return false;
    }
    show('recording', ['stop']);
    // Audio only (no biometric consent): nothing films them, so do not ask them to look at a camera.
    tip(note || (cfg.audioOnly ? '正在录音(仅录声音),请清楚地说出你的回答。时间到会自动结束。'
                               : '正在录制,请看着镜头作答。时间到会自动结束。'), !!warn);
    btn.stop.onclick = function () { stop(false); };
    countdown(seconds, '作答剩余 Answer', function () { stop(true); });
    return true;
  }

  /* Leaving the page while recording (an app switch, a locked screen) is reported for the integrity checks. */
  var hiddenAt = null;
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) { if (recorder) { hiddenAt = { at: Date.now(), attempt: attempt }; } return; }
    if (!hiddenAt) { return; }
    var away = hiddenAt; hiddenAt = null;
    var seconds = Math.round((Date.now() - away.at) / 100) / 10;
    H5.withRetry(function () {
      return H5.api(cfg, 'POST', '/questions/' + q.id + '/page-hidden', { attempt: away.attempt, seconds: seconds });
    }).catch(function () { /* the answer matters more than this note */ });
  });

  /* Did this page (tab) never record attempt `a`? sessionStorage lives as long as the tab, reloads included, so a
     second page of the link is told from a reload of this one, for what the page says (the server counts both). */
  function newPage(a) {
    try {
      var k = 'recorded:' + key + ':' + a, seen = sessionStorage.getItem(k);
      sessionStorage.setItem(k, '1');
      return !seen;
    } catch (e) { return false; }  // no sessionStorage: worded as a reload
  }

  /* Another page of this link is recording this question: this one records nothing (the server counts nothing)
     and says where to go on. Once that page has saved its recording or is closed, this one opens again and shows
     what there is: that recording (from the phone) or the time left. */
  function elsewhere() {
    clearInterval(ticker);
    if (stopMeter) { stopMeter(); stopMeter = null; }
    H5.stopMedia(stream); stream = null;
    show('elsewhere', []);
    timerLabel.textContent = '已在另一个页面作答 Open in another page'; timerValue.textContent = '';
    tip('本场面试已在另一个页面打开,正在那里录制本题。请回到那个页面继续作答,本页可以关闭;那个页面录完或关闭后,' +
        '本页会自动继续。This interview is open in another page: please continue there.', true);
    H5.lock.wait(LOCK).then(function () {
      // Were the other page's recording not saved (the page was closed while recording), recording here after the
      // reload restarts a lost one: the server counts it as a restart.
      try { sessionStorage.setItem('recorded:' + key + ':' + attempt, '1'); } catch (e) { /* counted anyway */ }
      H5.openPage(window.location.href);
    });
  }

  /* Record the full answer time and tell the server recording started (it keeps the answer window). */
  function record(note) {
    H5.lock.hold(LOCK).then(function (mine) { if (mine) { recordHeld(note); } else { elsewhere(); } });
  }

  function recordHeld(note) {
    if (!startRecorder(q.answer, note, !!note)) { return; }
    var a = attempt, r = recorder, begun = Date.now(), fresh = newPage(a);
    H5.withRetry(function () {
      return H5.api(cfg, 'POST', '/questions/' + q.id + '/start', { attempt: a, recording: true });
    }).then(function (t) {
      // Another tab already used part of this attempt's window: record only what the server allows.
      if (recorder === r && t.recording_limit_s !== null && t.recording_limit_s < q.answer - 1) {
        countdownTo(begun + t.recording_limit_s * 1000, '作答剩余 Answer', function () { stop(true); });
      }
    }, function (err) {
      // Another page (or device) of this link submitted this attempt meanwhile: recording on is for nothing.
      if (err && err.code === 'attempt_submitted' && recorder === r) {
        recorder = null; clearInterval(ticker);
        r.stop().catch(function () {});
        if (stopMeter) { stopMeter(); }
        H5.stopMedia(stream); stream = null;
        H5.lock.release(LOCK);
        superseded(null, { message: '本题第 ' + a + ' 次作答已在另一个页面或设备提交,以那次提交的回答为准;本页无需再录制 ' +
                                    'This attempt was already submitted from another page or device' });
      }
      /* other refusals show at upload time */
    });
  }

  /* The page went away while recording `attempt` and nothing was saved: restart with only the time left. */
  async function resumeRecording() {
    if (!(await H5.lock.hold(LOCK))) { elsewhere(); return; }
    show('loading', []);
    timerLabel.textContent = '正在打开' + (cfg.audioOnly ? '麦克风' : '摄像头') + '…';
    var t, fresh;
    try {
      await openCamera();
      fresh = newPage(attempt);
      // The time left is the server's: while it cannot be reached, say so rather than a silent spinner.
      t = await H5.withRetry(function () {
        return H5.api(cfg, 'POST', '/questions/' + q.id + '/start', { attempt: attempt, recording: true });
      }, function (n) {
        timerLabel.textContent = navigator.onLine === false ? '网络已断开,恢复后自动继续… Offline'
          : '网络不稳定,正在重新连接(第 ' + n + ' 次)… Reconnecting';
        timerValue.textContent = '';
        tip('正在向服务器确认本题剩余的作答时间,连上后自动继续录制。Checking the time left with the server.', true);
      });
    } catch (err) {
      if (err && err.code === 'attempt_submitted') { H5.openPage(cfg.nextUrl); return; }
      tip(err instanceof H5.ApiError ? err.message : H5.permissionMessage(err, cfg.audioOnly), true);
      show('failed', ['retry']); btn.retry.textContent = '重试 Retry'; btn.retry.onclick = resumeRecording;
      return;
    }
    if (!t.answer_time_over && t.answer_remaining_s > 0) {
      // The countdown runs to the exact limit the server set; the text shows whole seconds.
      var left = t.answer_remaining_s, limit = t.recording_limit_s !== null ? Math.min(left, t.recording_limit_s) : left;
      startRecorder(limit, fresh && !t.makeup
        ? '本题已在另一个页面或设备开始录制,本页只能录制剩余的作答时间 ' + fmt(left) + ',已开始录制。请只在一个页面作答。' +
          'Recording started in another page: recording here with the time left.'
        : t.makeup
        ? '本题作答时间已用完,刷新前的录制未能保存。这是本题最后一次作答,补录一次:作答时间 ' + fmt(left) +
          ',已开始录制。Make-up recording started.'
        : '录制中页面被刷新或关闭:之前的录制未能保存,本题剩余作答时间 ' + fmt(left) + ',已继续录制。' +
          'Page reloaded while recording: recording again with the time left.', true);
    } else if (attempt < q.maxAttempts) {
      retake(null, attempt + 1, '录制中页面被刷新或关闭且本次作答时间已用完,刷新前的录制未能保存。已使用一次重新录制机会:' +
             '准备 3 秒后自动开始录制。');
    } else {
      clearInterval(ticker);
      show('failed', []); timerLabel.textContent = '作答时间已结束'; timerValue.textContent = '0:00';
      tip('本题作答时间已结束,刷新前的录制未能保存,补录机会也已用完。请联系 HR 协助。' +
          'The answer time is over; please contact HR.', true);
    }
  }

  async function stop(auto) {
    if (!recorder) { return; }
    clearInterval(ticker);
    H5.busy(btn.stop, true);
    var r = recorder; recorder = null;
    var blob = await r.stop();
    if (auto) { H5.toast('作答时间到,已自动结束录制 Time is up'); }
    var id = Date.now().toString(36) + Math.random().toString(36).slice(2);
    current = { key: key + ':' + attempt + ':' + id, id: id, questionId: q.id, attempt: attempt,
                mime: blob.type || r.mimeType || 'video/webm', blob: blob, durationMs: r.durationMs(),
                submitted: false, savedAt: Date.now() };
    try { sessionStorage.setItem(ownKey, id); } catch (e) { /* a reload takes the newest saved one */ }
    await save(current);
    H5.lock.release(LOCK);  // saved: another page of the link may show it now
    review(current);
  }

  /* Save `rec` on the phone; where that fails (private mode, storage full) it lives in this page only: say so. */
  async function save(rec) {
    try { await H5.store.put(rec); rec.inMemory = false; } catch (e) { rec.inMemory = true; }
    memoryNote(rec.inMemory);
  }
  function memoryNote(on) { $('memory-note').hidden = !on; }
  function review(rec) {
    show('review', rec.attempt < q.maxAttempts ? ['submit', 'retake'] : ['submit']);
    timerLabel.textContent = '回放确认 Review';
    timerValue.textContent = '';
    H5.playableBlob(rec.blob, rec.durationMs).then(function (playable) {
      $('playback').src = URL.createObjectURL(playable);
    });
    var left = q.maxAttempts - rec.attempt;
    btn.retake.textContent = '重新录制 Retake(剩 ' + left + ' 次)';
    tip(left > 0 ? '可回放检查,满意后提交;重新录制将替换本次回答。' : '这是本题最后一次作答机会,请提交。');
    btn.submit.onclick = function () { submit(rec); };
    btn.retake.onclick = function () { retake(rec, attempt + 1); };
  }

  /* A retake is a new attempt with a 3-second get-ready instead of think time (the server keeps its clock);
     recording the same attempt again after a refused file gets the same short get-ready. */
  async function retake(rec, nextAttempt, note) {
    if (rec) { await H5.store.forget(rec); }  // this recording only, not another page's
    memoryNote(false);
    var same = nextAttempt === attempt;
    attempt = nextAttempt;
    localStorage.setItem(attemptKey, String(attempt));
    think(same ? Date.now() + RETAKE_READY * 1000 : (await timingOf(attempt)).thinkEnd,
          note || '重新录制:准备 3 秒后自动开始录制。');
  }

  async function submit(rec) {
    rec.submitted = true;
    await save(rec);  // failing, it is uploaded from memory
    if (stopMeter) { stopMeter(); }
    H5.stopMedia(stream); stream = null;
    upload(rec);
  }

  async function upload(rec, reopened) {
    show('uploading', []);
    timerLabel.textContent = '上传中 Uploading'; timerValue.textContent = '';
    tip((reopened ? '页面已刷新:继续上传刚才提交的回答,已上传的部分不会重新发送。' : '') +
        '请保持页面打开。网络中断会自动重试,已录好的回答不会丢失。');
    var bar = $('upload-bar'), text = $('upload-text');
    try {
      await H5.uploadRecording(cfg, rec, {
        progress: function (f) { bar.style.width = Math.round(f * 100) + '%'; text.textContent = '已上传 ' + Math.round(f * 100) + '%'; },
        wait: function (m) { text.textContent = m; }
      });
    } catch (err) {
      return uploadFailed(rec, err);
    }
    await H5.store.forget(rec);
    localStorage.removeItem(attemptKey);
    memoryNote(false);
    text.textContent = '上传成功 Uploaded';
    timerLabel.textContent = '本题已提交 Submitted';
    tip('');
    box.dataset.state = 'uploaded';
    moveOn(function () {
      text.textContent = '回答已上传成功。网络已断开,恢复后自动进入下一步… Uploaded; continuing once back online';
    });
  }

  /* Go to the next step: a page opened by a navigation as the network drops would be the browser's error page, and
     the candidate would not know that the answer is in. H5.openPage fetches it first and retries without limit;
     `offline()` says so here too while it waits. */
  async function moveOn(offline) {
    await H5.sleep(500);
    H5.openPage(cfg.nextUrl, offline);
  }

  async function uploadFailed(rec, err) {
    H5.toast(err.message || '上传失败', true, 6000);
    $('upload-text').textContent = err.message || '上传失败 Upload failed';
    if (['media_invalid', 'answer_too_long', 'answer_before_question', 'empty_upload', 'upload_too_large']
        .indexOf(err.code) >= 0) {
      // The file is unusable: record this attempt again (it does not use up a retake).
      await H5.store.forget(rec);
      timerLabel.textContent = '需要重新录制 Record again';
      tip('');
      show('failed', ['retake']);
      btn.retake.textContent = '重新录制本题 Record again';
      btn.retake.onclick = function () { retake(rec, rec.attempt); };
    } else if (err.code === 'attempt_submitted' || err.code === 'no_retakes_left') {
      // Stored already, or every attempt of this question is: the server has its answer, go on (no retry loop).
      superseded(rec, err);
    } else if (err.code === 'interview_finished' || err.status === 410) {
      show('failed', []);
      setTimeout(function () { moveOn(function () { tip('网络已断开,恢复后自动继续… Offline, will continue', true); }); },
                 2000);
    } else {
      show('failed', ['retry']);
      btn.retry.textContent = '重试上传 Retry';
      btn.retry.onclick = function () { upload(rec); };
    }
  }

  /* Another tab (or device) of this link submitted this attempt first: say which answer counts, keep this page
     until the candidate has read it. Nothing of the stored answer changes. */
  async function superseded(rec, err) {
    if (rec) { await H5.store.forget(rec); }
    localStorage.removeItem(attemptKey);
    memoryNote(false);
    show('superseded', ['next']);
    timerLabel.textContent = '本题已提交 Already submitted';
    timerValue.textContent = '';
    tip(err.message, true);
    btn.next.onclick = function () {
      H5.busy(btn.next, true);
      moveOn(function () { tip('网络已断开,恢复后自动进入下一题… Offline, will continue', true); });
    };
  }

  /* This page's own saved recording (its id in sessionStorage, kept as long as the tab), else the latest saved. */
  function pickSaved(all) {
    var mine = null;
    try { mine = sessionStorage.getItem(ownKey); } catch (e) { /* none of its own */ }
    var saved = all.filter(function (r) { return r.blob && r.questionId === q.id && r.attempt >= q.firstAttempt; });
    saved.sort(function (a, b) {
      return (b.id === mine) - (a.id === mine) || b.attempt - a.attempt || (b.savedAt || 0) - (a.savedAt || 0);
    });
    return saved[0] || null;
  }

  window.addEventListener('beforeunload', function (ev) {
    var state = box.dataset.state, only = !$('memory-note').hidden;  // a recording this page only has
    if (['recording', 'uploading'].indexOf(state) >= 0 || only) { ev.preventDefault(); ev.returnValue = ''; }
  });
  // A phone lock or a switch to another app ends the recording; what was recorded is kept for review.
  document.addEventListener('visibilitychange', function () { if (document.hidden && recorder) { stop(false); } });

  // Drop only recordings the server has answers for: a later question's (HR inserted this one) stays until uploaded.
  H5.store.prune(cfg.token + ':', cfg.answered);
  H5.store.list(key).then(pickSaved).then(function (saved) {
    if (saved) {
      current = saved; attempt = saved.attempt;
      if (saved.submitted) { upload(saved, true); } else { H5.toast('已恢复上次录好的回答 Restored your recording'); review(saved); }
    } else {
      var reopened = attempt !== cfg.timing.attempt || cfg.timing.reopened;
      timingOf(attempt).then(function (t) {
        if (t.recordingStarted) { resumeRecording(); return; }
        think(t.thinkEnd, reopened ? '页面已刷新:思考时间继续倒计时,不会重新开始。倒计时结束后将自动开始录制。' : '');
      });
    }
  });
})();
