/* Shared helpers of the candidate H5: toasts, busy buttons, the JSON API with retries, IndexedDB. */
(function (w) {
  'use strict';
  var H5 = w.H5 = {};
  var toastTimer;
  // iOS applies :active styles only when a touchstart listener exists (was <body ontouchstart>, which the CSP forbids).
  document.addEventListener('touchstart', function () {}, { passive: true });

  H5.toast = function (text, warn, ms) {
    var el = document.getElementById('toast');
    if (!el) { return; }
    el.textContent = text;
    el.className = 'toast' + (warn ? ' toast_warn' : '');
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, ms || 3500);
  };

  H5.busy = function (btn, on) {
    if (!btn) { return; }
    btn.disabled = !!on;
    btn.classList.toggle('weui-btn_loading', !!on);
    if (on && !btn.querySelector('.weui-primary-loading')) {
      var s = document.createElement('i'); s.className = 'weui-primary-loading'; btn.prepend(s);
    } else if (!on) {
      var l = btn.querySelector('.weui-primary-loading'); if (l) { l.remove(); }
    }
  };

  H5.enable = function (btn, on) {
    btn.disabled = !on;
    btn.classList.toggle('weui-btn_disabled', !on);
  };

  H5.sleep = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };

  /* An error from the API: status + code + message for people. */
  function ApiError(status, code, message, details) {
    this.status = status; this.code = code; this.message = message; this.details = details || {};
  }
  H5.ApiError = ApiError;

  H5.api = function (cfg, method, path, body, raw) {
    var opts = { method: method, headers: { 'Authorization': 'Bearer ' + cfg.token }, cache: 'no-store' };
    if (raw) { opts.body = raw; opts.headers['Content-Type'] = 'application/octet-stream'; }
    else if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers['Content-Type'] = 'application/json'; }
    return fetch(cfg.apiBase + path, opts).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.ok) { return data; }
        throw H5.refusal(res.status, data);
      });
    });
  };

  /* The ApiError of a refused request from its status and JSON body. */
  H5.refusal = function (status, data) {
    var e = (data && data.error) || {};
    return new ApiError(status, e.code || 'http_' + status, e.message || ('网络错误 ' + status), e.details);
  };

  /* Retry network failures and 5xx with backoff (1s, 2s, 4s ... 15s) until `giveUp` says stop; 4xx are final. */
  H5.withRetry = function (fn, onWait) {
    var attempt = 0;
    function run() {
      return fn().catch(function (err) {
        var transient = !(err instanceof ApiError) || err.status >= 500 || err.status === 429 && err.code !== 'identity_locked';
        if (!transient) { throw err; }
        attempt += 1;
        var delay = Math.min(15000, 1000 * Math.pow(2, attempt - 1));
        if (onWait) { onWait(attempt, delay, err); }
        return new Promise(function (resolve) {
          var done = false;
          function go() { if (!done) { done = true; w.removeEventListener('online', go); resolve(); } }
          w.addEventListener('online', go);
          setTimeout(go, delay);
        }).then(run);
      });
    }
    return run();
  };

  /* IndexedDB: finished recordings wait here until the server has them, surviving reloads and phone locks.
     Some web views never answer indexedDB.open (no success, no error): a step that takes longer than STORE_MS
     fails, so the page goes on with the recording in memory instead of waiting forever. */
  var DB_NAME = 'ai-interview', STORE = 'recordings', STORE_MS = 5000, dbPromise, dbOpened = false, gaveUp = false;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!w.indexedDB) { reject(new Error('no indexedDB')); return; }
        var req = w.indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: 'key' }); };
        req.onsuccess = function () { dbOpened = true; resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }
  function tx(mode, fn) {
    if (gaveUp) { return Promise.reject(new Error('indexedDB did not answer')); }
    var late = new Promise(function (resolve, reject) {
      setTimeout(function () {
        if (!dbOpened) { gaveUp = true; }  // it never opened: do not wait for it again
        reject(new Error('indexedDB did not answer'));
      }, STORE_MS);
    });
    return Promise.race([late, db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), store = t.objectStore(STORE), out;
        var req = fn(store);
        if (req) { req.onsuccess = function () { out = req.result; }; }
        t.oncomplete = function () { resolve(out); };
        t.onerror = function () { reject(t.error); };
      });
    })]);
  }
  H5.store = {
    put: function (rec) { return tx('readwrite', function (s) { return s.put(rec); }); },
    /* The recordings saved under keys starting with `prefix` ([] when storage fails). */
    list: function (prefix) {
      return tx('readonly', function (s) { return s.getAll(w.IDBKeyRange.bound(prefix, prefix + '\uffff')); })
        .then(function (all) { return all || []; }, function () { return []; });
    },
    /* Remove the recordings saved under keys starting with `prefix` of the questions in `answered` (those the server
       has an answer to). Only these: a recording of another question that is not uploaded yet (a later question,
       when HR inserted one before it) stays on the phone until the server has it. */
    prune: function (prefix, answered) {
      if (!answered.length) { return Promise.resolve(); }
      return tx('readwrite', function (s) {
        var req = s.openCursor(w.IDBKeyRange.bound(prefix, prefix + '\uffff'));
        req.onsuccess = function () {
          var cursor = req.result;
          if (!cursor) { return; }
          if (cursor.value && answered.indexOf(cursor.value.questionId) >= 0) { cursor.delete(); }
          cursor.continue();
        };
      }).catch(function () {});
    },
    /* Remove `rec` unless another recording was saved under its key since (keys of old pages were per question). */
    forget: function (rec) {
      return tx('readwrite', function (s) {
        var req = s.get(rec.key);
        req.onsuccess = function () {
          var saved = req.result;
          if (saved && (!saved.id || !rec.id || saved.id === rec.id)) { s.delete(rec.key); }
        };
      }).catch(function () {});
    }
  };

  /* A live audio level (0..1) of a MediaStream, reported ~15 times a second. */
  H5.levelMeter = function (stream, onLevel) {
    var Ctx = w.AudioContext || w.webkitAudioContext;
    if (!Ctx || !stream.getAudioTracks().length) { return function () {}; }
    var ctx = new Ctx(), src = ctx.createMediaStreamSource(stream), an = ctx.createAnalyser();
    an.fftSize = 512; src.connect(an);
    var buf = new Uint8Array(an.fftSize), timer = setInterval(function () {
      an.getByteTimeDomainData(buf);
      var sum = 0;
      for (var i = 0; i < buf.length; i++) { var v = (buf[i] - 128) / 128; sum += v * v; }
      onLevel(Math.min(1, Math.sqrt(sum / buf.length) * 4));
    }, 66);
    return function () { clearInterval(timer); try { ctx.close(); } catch (e) { /* already closed */ } };
  };

  H5.permissionMessage = function (err, audioOnly) {
    var what = audioOnly ? '麦克风' : '摄像头和麦克风';
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return '当前浏览器不支持录制,请升级微信到最新版,或点右上角「···」选择在浏览器中打开。';
    }
    if (err && (err.name === 'NotAllowedError' || err.name === 'SecurityError')) {
      return '你拒绝了' + what + '权限。请在微信中允许使用' + what + '后重试。';
    }
    if (err && err.name === 'NotFoundError') { return '没有找到' + what + ',请检查设备。'; }
    if (err && err.name === 'NotReadableError') { return what + '正被其他应用占用,请关闭其他应用后重试。'; }
    return '无法打开' + what + ':' + (err && err.message || err);
  };

  /* A recording of one question in one page of the link at a time: a Web Lock (navigator.locks: Chromium, recent
     WeChat WebViews on Android and iOS). hold(name) resolves true once this page holds it, false while another page
     does; without Web Locks always true (pages do not know of each other, as before). wait(name) resolves once no
     page holds it. */
  var held = {};
  H5.lock = {
    hold: function (name) {
      if (!navigator.locks || held[name]) { return Promise.resolve(true); }
      return new Promise(function (resolve) {
        navigator.locks.request(name, { ifAvailable: true }, function (lock) {
          if (!lock) { resolve(false); return null; }
          resolve(true);
          return new Promise(function (release) { held[name] = release; });
        }).catch(function () { resolve(true); });
      });
    },
    release: function (name) { var release = held[name]; delete held[name]; if (release) { release(); } },
    wait: function (name) {
      return navigator.locks ? navigator.locks.request(name, function () { return null; }) : new Promise(function () {});
    }
  };

  /* A step's form (consent, identity, device check) is sent by the page (fetch), not by the browser: posted offline,
     or with the network dropping as it went out, it showed the browser's own error page and what was entered was
     gone. The page now stays as it is, says so next to the button with 重试, and sends it again once the network is
     back (or after a while, or on a tap), one POST at a time. The server answers a redirect to a form sent so
     (header X-H5-Step) as JSON {location}, which the page opens (a redirect followed by fetch would open the next
     page twice, and the question page starts its clock when opened). A form the server shows again (a refusal)
     keeps what was entered here and shows the server's message. `h5:stay` on the form: the page stayed. */
  var OFFLINE = '网络已断开,恢复后请重试(联网后本页会自动重新提交,本页的内容会保留)。' +
                'You are offline: this page will send it again once the network is back.';
  var BUSY = '服务器暂时无法处理,稍后会自动重试(本页的内容会保留)。The server is busy: this page will try again.';
  var STEP_MS = 45000;
  function stepNote(form, text, retry) {
    var note = form.querySelector('.js-offline-note');
    if (!note) {
      note = document.createElement('div');
      note.className = 'form-error js-offline-note'; note.setAttribute('role', 'alert');
      note.innerHTML = '<span></span> <button type="button" class="weui-btn weui-btn_default weui-btn_mini">重试 Retry' +
                       '</button>';
      var actions = form.querySelector('.actions');
      if (actions) { form.insertBefore(note, actions); } else { form.appendChild(note); }
    }
    note.firstChild.textContent = text; note.hidden = !text;
    note.querySelector('button').hidden = !retry;
    note.querySelector('button').onclick = retry || null;
  }
  function resend(form, submitter) {
    if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { sendStep(form, submitter); }
  }
  /* Send again on `online`, after a backoff (2, 4 ... 30 s; not while the phone says it is offline) or on 重试. */
  function retryLater(form, submitter, text) {
    var n = form.h5Retries = (form.h5Retries || 0) + 1, timer;
    function go() {
      if (form.h5Retry !== go) { return; }
      clearTimeout(timer); w.removeEventListener('online', go); form.h5Retry = null;
      resend(form, submitter);
    }
    function tick() { if (navigator.onLine === false) { timer = setTimeout(tick, 2000); } else { go(); } }
    form.h5Retry = go;
    w.addEventListener('online', go);
    timer = setTimeout(tick, Math.min(30000, 1000 * Math.pow(2, n)));
    stepNote(form, text, go);
  }
  /* The server showed the form's page again (a refusal): its message where the page had it, before the button;
     an error page (410, 429, an expired form): its words next to the button. */
  function stayed(form, status, html) {
    if (status >= 500) { return BUSY; }
    var doc = new DOMParser().parseFromString(html, 'text/html'), again = form.id && doc.getElementById(form.id);
    var said = again && again.querySelector('.form-error[role=alert]'), actions = form.querySelector('.actions');
    Array.prototype.forEach.call(form.querySelectorAll('.form-error[role=alert]:not(.js-offline-note)'),
                                 function (el) { el.remove(); });
    if (said && actions) { stepNote(form, '', null); form.insertBefore(document.importNode(said, true), actions); }
    else {
      said = said || doc.querySelector('.weui-msg__text-area');
      stepNote(form, said ? said.textContent.replace(/\s+/g, ' ').trim() : '提交失败 ' + status + ',请重试。', null);
    }
    return null;
  }
  function sendStep(form, submitter) {
    if (form.dataset.sending === '1') { return; }  // one POST at a time
    if (form.h5Retry) { w.removeEventListener('online', form.h5Retry); form.h5Retry = null; }
    var button = submitter || form.querySelector('button[type=submit]'), body = new FormData(form);
    if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
    form.dataset.sending = '1';
    H5.busy(button, true);
    // A POST that hangs (a connection that died without a word) or runs as the phone goes offline is given up.
    var ctl = w.AbortController ? new AbortController() : null, timer = ctl && setTimeout(drop, STEP_MS);
    function drop() { ctl.abort(); }
    function settled() { clearTimeout(timer); if (ctl) { w.removeEventListener('offline', drop); } }
    if (ctl) { w.addEventListener('offline', drop); }
    fetch(form.action || w.location.href, { method: 'POST', body: body, credentials: 'same-origin', cache: 'no-store',
                                            headers: { 'X-H5-Step': '1' }, signal: ctl ? ctl.signal : undefined })
    .then(function (res) {
      settled();
      var json = (res.headers.get('Content-Type') || '').indexOf('application/json') === 0;
      if (res.ok && json) {
        return res.json().then(function (data) { H5.openPage(data.location); return 'left'; });
      }
      return res.text().then(function (html) { return stayed(form, res.status, html); });
    }).catch(function () { settled(); return OFFLINE; }).then(function (outcome) {
      if (outcome === 'left') { return; }  // the next page is opening: the button stays busy
      delete form.dataset.sending;
      H5.busy(button, false);
      if (outcome) { retryLater(form, submitter, outcome); } else { form.h5Retries = 0; }
      form.dispatchEvent(new CustomEvent('h5:stay'));
    });
  }
  /* The next step's page, opened once the network has brought it. A plain navigation (location.assign) made just
     after a step went through, with the network dropping, showed Chromium's / WeChat's own error page: the
     candidate could not tell that the server had the step. The page is fetched first (redirects followed) and
     opened by a navigation only once it came, so the window the network can drop in shrinks from the whole load
     to the moment between the fetch and the navigation. Offline (or a 5xx), this page stays and says
     「网络中断,正在重试…」 with 重试 on a banner, and fetches again on `online`, after a backoff (1, 2, 4 ... 15 s)
     or on the tap; `onWait(n)` lets the page say it in its own words too. The page is not written in place with
     document.write: that keeps the old page's timers and listeners running under the new page (a question
     page's countdown would go on recording). Fetching a question page twice starts its clock once: the server
     keeps the first showing. */
  var NET_DOWN = '网络中断,正在重试…你已提交的内容服务器已保存,不会丢失。Network lost, retrying: what you sent is saved.';
  var SERVER_DOWN = '服务器暂时无法处理,正在重试…你已提交的内容服务器已保存。The server is busy, retrying.';
  var opening = null;
  function netBanner(text, retry) {
    var el = document.querySelector('.js-net-banner');
    if (!el) {
      el = document.createElement('div');
      el.className = 'net-banner js-net-banner'; el.setAttribute('role', 'alert');
      el.innerHTML = '<span></span><button type="button" class="weui-btn weui-btn_default weui-btn_mini">重试 Retry</button>';
      document.body.appendChild(el);
    }
    el.firstChild.textContent = text;
    el.querySelector('button').onclick = retry;
    el.hidden = false;
  }
  H5.openPage = function (url, onWait) {
    if (opening) { return opening; }
    var tries = 0, wake = null;
    function attempt() {
      return fetch(url, { credentials: 'same-origin', cache: 'no-store' }).then(function (res) {
        if (res.status >= 500) { throw new ApiError(res.status, 'http_' + res.status, SERVER_DOWN); }
        w.location.replace(res.url || url);
      }).catch(function (err) {
        tries += 1;
        netBanner(err instanceof ApiError ? SERVER_DOWN : NET_DOWN, function () { if (wake) { wake(); } });
        if (onWait) { onWait(tries); }
        return new Promise(function (resolve) {
          var timer = setTimeout(tick, Math.min(15000, 1000 * Math.pow(2, tries - 1)));
          function go() {
            if (wake !== go) { return; }
            wake = null; clearTimeout(timer); w.removeEventListener('online', go); resolve();
          }
          function tick() { if (navigator.onLine === false) { timer = setTimeout(tick, 2000); } else { go(); } }
          wake = go;
          w.addEventListener('online', go);
        }).then(attempt);
      });
    }
    opening = attempt();
    return opening;
  };
  // Back to a step page kept by the browser (back/forward cache) after it opened the next one: usable again.
  w.addEventListener('pageshow', function (ev) {
    if (!ev.persisted) { return; }
    opening = null;   // the next page this one opened is behind it: opening one again must fetch again
    Array.prototype.forEach.call(document.querySelectorAll('form.js-busy-form'), function (form) {
      delete form.dataset.sending;
      Array.prototype.forEach.call(form.querySelectorAll('button[type=submit]'), function (b) { H5.busy(b, false); });
    });
  });
  // Bubbling, after the page's own listeners (the identity step's check of its photo may stop the submission).
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.classList.contains('js-busy-form') || ev.defaultPrevented) { return; }
    ev.preventDefault();
    sendStep(form, ev.submitter);
  });
})(window);
