/* Camera/microphone and MediaRecorder in whatever container the phone supports. */
(function (w) {
  'use strict';
  var H5 = w.H5;
  var VIDEO_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm',
    'video/mp4;codecs=avc1,mp4a', 'video/mp4'];
  var AUDIO_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/ogg;codecs=opus', 'audio/aac'];

  H5.pickMimeType = function (audioOnly) {
    if (!w.MediaRecorder || !MediaRecorder.isTypeSupported) { return ''; }
    var list = audioOnly ? AUDIO_TYPES : VIDEO_TYPES;
    for (var i = 0; i < list.length; i++) { if (MediaRecorder.isTypeSupported(list[i])) { return list[i]; } }
    return '';
  };

  H5.openMedia = function (audioOnly) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.reject(new Error('getUserMedia unsupported'));
    }
    var audio = { echoCancellation: true, noiseSuppression: true };
    var constraints = audioOnly ? { audio: audio } : {
      audio: audio, video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15, max: 24 } }
    };
    return navigator.mediaDevices.getUserMedia(constraints);
  };

  H5.stopMedia = function (stream) {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
  };

  /* MediaRecorder's WebM has no duration in its header, so a player shows 0:00 (or Infinity) and cannot seek.
     For the candidate's own review, write the measured duration into a copy of the header (fix-webm-duration);
     the uploaded file stays as recorded (the server measures it by decoding). */
  H5.playableBlob = function (blob, durationMs) {
    if (!durationMs || !w.ysFixWebmDuration || !/webm/i.test(blob.type || '')) { return Promise.resolve(blob); }
    return w.ysFixWebmDuration(blob, durationMs, { logger: false }).catch(function () { return blob; });
  };

  /* Start recording `stream`; returns {stop(): Promise<Blob>, mimeType}. */
  H5.startRecording = function (stream, audioOnly) {
    if (!w.MediaRecorder) { throw new Error('MediaRecorder unsupported'); }
    var type = H5.pickMimeType(audioOnly), opts = type ? { mimeType: type } : {};
    if (!audioOnly) { opts.videoBitsPerSecond = 600000; }
    opts.audioBitsPerSecond = 64000;
    var rec = new MediaRecorder(stream, opts), parts = [], began = Date.now(), ended = null;
    rec.ondataavailable = function (ev) { if (ev.data && ev.data.size) { parts.push(ev.data); } };
    var stopped = new Promise(function (resolve, reject) {
      rec.onstop = function () {
        ended = Date.now();
        var mime = (rec.mimeType || type || (audioOnly ? 'audio/webm' : 'video/webm'));
        resolve(new Blob(parts, { type: mime }));
      };
      rec.onerror = function (ev) { reject(ev.error || new Error('recorder error')); };
    });
    // A timeslice keeps memory flowing into parts on long answers.
    rec.start(1000);
    return {
      mimeType: rec.mimeType || type,
      durationMs: function () { return (ended || Date.now()) - began; },
      stop: function () { if (rec.state !== 'inactive') { rec.stop(); } return stopped; }
    };
  };
})(window);
