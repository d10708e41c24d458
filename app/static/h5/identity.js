/* Identity step: a face snapshot from the front camera (only when the candidate accepted biometrics). */
(function () {
  'use strict';
  var H5 = window.H5, video = document.getElementById('face-video'), shot = document.getElementById('face-shot');
  var take = document.getElementById('face-take'), field = document.getElementById('face_jpeg');
  var tip = document.getElementById('face-tip'), form = document.getElementById('identity-form'), stream;

  function start() {
    H5.openMedia(false).then(function (s) {
      stream = s; video.srcObject = s; H5.enable(take, true);
    }).catch(function (err) {
      tip.textContent = H5.permissionMessage(err, false); tip.classList.add('form-error');
    });
  }

  take.addEventListener('click', function () {
    if (field.value) { // retake
      field.value = ''; shot.hidden = true; video.hidden = false; take.textContent = '拍照 Take photo'; return;
    }
    var c = document.createElement('canvas'), vw = video.videoWidth || 640, vh = video.videoHeight || 480;
    var scale = Math.min(1, 640 / vw);
    c.width = Math.round(vw * scale); c.height = Math.round(vh * scale);
    c.getContext('2d').drawImage(video, 0, 0, c.width, c.height);
    field.value = c.toDataURL('image/jpeg', 0.85);
    shot.src = field.value; shot.hidden = false; video.hidden = true;
    take.textContent = '重拍 Retake';
  });

  form.addEventListener('submit', function (ev) {
    if (!field.value) {
      ev.preventDefault(); ev.stopImmediatePropagation();
      H5.toast('请先拍一张正面照片 Please take a photo first', true);
      return;
    }
    H5.stopMedia(stream);
  }, true);
  form.addEventListener('h5:stay', start);  // not sent (offline, refused): the camera again, for a retake

  start();
})();
