/* The posting's apply form: the resume's size and type are checked here, before anything is sent (a 30 MB file
   used to end on the server's bare 413 with the form lost); what was typed is kept in sessionStorage and put
   back when the server shows the form again with an error; an error is shown next to its field and at the top,
   scrolled into view (below the fold at 390 px nobody saw it). The server checks everything again. */
(function () {
  'use strict';
  /* The confirmation page remembers, in this browser, that this posting was applied to: back on the form (WeChat's
     back gesture shows it again, filled in) the page says so instead of inviting a second application. */
  var APPLIED = 'applied:';
  var done = document.getElementById('applied');
  if (done && done.getAttribute('data-posting')) {
    try {
      localStorage.setItem(APPLIED + done.getAttribute('data-posting'), JSON.stringify({ url: location.pathname }));
    } catch (e) { /* private mode: nothing kept */ }
  }
  var form = document.getElementById('apply-form');
  if (!form) { return; }
  var button = document.getElementById('submit'), label = button.textContent;
  var input = document.getElementById('resume');
  var top = document.getElementById('apply-error');
  var atField = document.getElementById('resume-error');
  var maxBytes = parseInt(form.getAttribute('data-max-bytes'), 10) || 5 * 1024 * 1024;
  var KINDS = /\.(pdf|docx|jpe?g|png)$/i;
  var KEY = 'apply:' + location.pathname;

  function mb(bytes) {
    var v = bytes / 1048576;
    return v >= 10 || v === Math.round(v) ? String(Math.round(v)) : v.toFixed(1);
  }

  function problem(file) {
    if (!file) { return ''; }
    if (!KINDS.test(file.name)) {
      return '「' + file.name + '」不是支持的格式:请选择 PDF、Word(.docx)或简历照片(JPG/PNG)。';
    }
    if (file.size === 0) { return '文件是空的,请重新选择。'; }
    if (file.size > maxBytes) {
      return '简历文件 ' + mb(file.size) + ' MB,超过了 ' + mb(maxBytes) + ' MB:请压缩 PDF 或拍一张简历照片后重新选择。' +
             '你填写的内容都还在。';
    }
    return '';
  }

  function show(text) {
    [top, atField].forEach(function (el) { el.textContent = text; el.hidden = !text; });
    if (text) { atField.scrollIntoView({ block: 'center' }); }
  }

  /* What was typed (not the file: a browser cannot put it back), for the form shown again after an error. */
  function save() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'file' || el.type === 'hidden') { return; }
      if (el.type === 'radio' || el.type === 'checkbox') { if (el.checked) { data[el.name] = el.value; } }
      else { data[el.name] = el.value; }
    });
    try { sessionStorage.setItem(KEY, JSON.stringify(data)); } catch (e) { /* private mode: nothing kept */ }
  }

  function restore() {
    var data;
    try { data = JSON.parse(sessionStorage.getItem(KEY) || '{}'); } catch (e) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data) || el.type === 'file' || el.type === 'hidden') { return; }
      if (el.type === 'radio' || el.type === 'checkbox') {
        if (!form.querySelector('[name="' + el.name + '"]:checked')) { el.checked = el.value === data[el.name]; }
      } else if (!el.value) { el.value = data[el.name]; }
    });
  }

  /* Sending a resume takes seconds on a phone: say so, and take no second tap. */
  function sending(on) {
    button.disabled = on;
    button.classList.toggle('weui-btn_loading', on);
    button.textContent = on ? '正在提交,请稍候… Sending' : label;
  }

  function appliedBefore() {
    var note = document.getElementById('applied-before'), before = null;
    try { before = JSON.parse(localStorage.getItem(APPLIED + location.pathname) || 'null'); } catch (e) { /* none */ }
    if (!note || !before || !before.url) { return; }
    note.querySelector('a').setAttribute('href', before.url);
    note.hidden = false;
  }

  // Also when the browser brings the page back from its cache (back after applying): the button as it was left.
  window.addEventListener('pageshow', function () { sending(false); appliedBefore(); });

  if (form.hasAttribute('data-error')) {
    restore();  // the server's answer holds only what it could read back
    var field = document.getElementById(form.getAttribute('data-error') === 'resume' ? 'resume-error' : 'apply-error');
    field.scrollIntoView({ block: 'center' });
  } else {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
  }

  form.addEventListener('input', save);
  form.addEventListener('change', save);
  input.addEventListener('change', function () { show(problem(input.files[0])); });
  form.addEventListener('submit', function (event) {
    save();
    var text = problem(input.files[0]);
    if (text) { event.preventDefault(); show(text); } else { sending(true); }
  });
}());
