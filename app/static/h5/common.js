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
    get: function (key) { return tx('readonly', function (s) { return s.get(key); }).catch(function () { return null; }); },
    put: function (rec) { return tx('readwrite', function (s) { return s.put(rec); }); },
    remove: function (key) { return tx('readwrite', function (s) { return s.delete(key); }).catch(function () {}); },
    /* Remove the recordings saved under `keys` (those the server already has), in one transaction. Only these:
       a recording of another question that is not uploaded yet (a later question, when HR inserted one before it)
       stays on the phone until the server has it. */
    prune: function (keys) {
      if (!keys.length) { return Promise.resolve(); }
      return tx('readwrite', function (s) {
        keys.forEach(function (k) { s.delete(k); });
      }).catch(function () {});
    },
    /* Remove `rec` unless another tab of the same link saved its own recording under the key since. */
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

  /* A step's form (consent, identity, device check) posted offline showed the browser's own error page, and what was
     entered was gone. The page first asks the server (HEAD of the form's page, not cached): unreachable, the page
     stays as it is, says so, and posts again once the network is back (or when the candidate taps again). */
  var OFFLINE = '网络已断开,恢复后请重试(联网后本页会自动重新提交,本页的内容会保留)。' +
                'You are offline: this page will send it again once the network is back.';
  function reachable(form) {
    if (navigator.onLine === false) { return Promise.resolve(false); }
    return fetch(form.action || w.location.href, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' })
      .then(function () { return true; }, function () { return false; });
  }
  function offlineNote(form, text) {
    var note = form.querySelector('.js-offline-note');
    if (!note) {
      note = document.createElement('p');
      note.className = 'form-error js-offline-note'; note.setAttribute('role', 'alert');
      var actions = form.querySelector('.actions');
      if (actions) { form.insertBefore(note, actions); } else { form.appendChild(note); }
    }
    note.textContent = text; note.hidden = !text;
  }
  function post(form, submitter) {
    form.dataset.reached = '1';
    if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
  }
  // Capturing, so that nothing of the page's own (the device check stops the camera) runs before the check.
  document.addEventListener('submit', function (ev) {
    var form = ev.target, button = ev.submitter || form.querySelector('button[type=submit]');
    if (!form.classList.contains('js-busy-form')) { return; }
    if (form.dataset.reached === '1') { delete form.dataset.reached; return; }  // the page's own checks, then busy
    ev.preventDefault(); ev.stopImmediatePropagation();
    if (form.dataset.checking === '1') { return; }
    form.dataset.checking = '1';
    H5.busy(button, true);
    reachable(form).then(function (ok) {
      delete form.dataset.checking;
      H5.busy(button, false);
      if (ok) { offlineNote(form, ''); post(form, ev.submitter); return; }
      offlineNote(form, OFFLINE);  // next to the button (a toast would cover it)
      if (form.dataset.waiting === '1') { return; }
      form.dataset.waiting = '1';
      w.addEventListener('online', function back() {
        w.removeEventListener('online', back);
        delete form.dataset.waiting;
        if (form.requestSubmit) { form.requestSubmit(ev.submitter || undefined); } else { post(form); }
      });
    });
  }, true);
  document.addEventListener('submit', function (ev) {
    if (ev.target.classList.contains('js-busy-form') && !ev.defaultPrevented) {
      H5.busy(ev.submitter || ev.target.querySelector('button[type=submit]'), true);
    }
  });
})(window);
