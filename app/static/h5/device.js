/* Device check: permission, live preview, audio level meter and a 3-second test clip played back. */
(function () {
  'use strict';
  var H5 = window.H5, box = document.getElementById('device'), audioOnly = box.dataset.audioOnly === 'true';
  var preview = document.getElementById('preview'), level = document.getElementById('level');
  var status = document.getElementById('device-status'), denied = document.getElementById('device-denied');
  var testBtn = document.getElementById('test-record'), playback = document.getElementById('test-playback');
  var ok = document.getElementById('device-ok'), form = document.getElementById('device-form');
  var stream, stopMeter, heard = false;

  // Without permission the black preview and the test button only confuse: show the help instead.
  function toggleMedia(on) {
    if (preview) { preview.parentNode.hidden = !on; }
    testBtn.parentNode.hidden = !on;
  }

  function start() {
    denied.hidden = true;
    status.textContent = '正在请求权限…';
    H5.openMedia(audioOnly).then(function (s) {
      stream = s;
      if (preview) { preview.srcObject = s; }
      stopMeter = H5.levelMeter(s, function (v) {
        level.style.width = Math.round(v * 100) + '%';
        if (v > 0.02) { heard = true; }
      });
      status.textContent = audioOnly ? '麦克风已就绪,请说几句话,观察音量条。' : '摄像头和麦克风已就绪,请说几句话,观察音量条。';
      H5.enable(testBtn, true);
      toggleMedia(true);
    }).catch(function (err) {
      status.textContent = H5.permissionMessage(err, audioOnly);
      denied.hidden = false;
      toggleMedia(false);
    });
  }

  testBtn.addEventListener('click', function () {
    var rec;
    try { rec = H5.startRecording(stream, audioOnly); } catch (e) {
      H5.toast('当前微信版本不支持录制,请升级微信后重试', true); return;
    }
    H5.busy(testBtn, true);
    var left = 3;
    testBtn.lastChild.textContent = '录制中 ' + left + ' 秒…';
    var t = setInterval(function () {
      left -= 1;
      testBtn.lastChild.textContent = left > 0 ? '录制中 ' + left + ' 秒…' : '处理中…';
      if (left <= 0) {
        clearInterval(t);
        rec.stop().then(function (blob) {
          playback.src = URL.createObjectURL(blob);
          playback.hidden = false;
          playback.play().catch(function () { /* autoplay may be blocked; controls are shown */ });
          H5.busy(testBtn, false);
          testBtn.lastChild.textContent = '再录一次 Record again';
          document.getElementById('test-tip').textContent = heard || blob.size > 0
            ? '请回放确认能' + (audioOnly ? '' : '看到画面、') + '听到声音。正常即可开始答题。'
            : '没有检测到声音,请检查麦克风。';
          H5.enable(ok, true);
        }).catch(function () { H5.busy(testBtn, false); H5.toast('测试录制失败,请重试', true); });
      }
    }, 1000);
  });

  document.getElementById('device-retry').addEventListener('click', start);
  form.addEventListener('submit', function () {
    if (stopMeter) { stopMeter(); stopMeter = null; }
    H5.stopMedia(stream);
  });
  form.addEventListener('h5:stay', start);  // not sent (offline, refused): the camera again
  start();
})();
