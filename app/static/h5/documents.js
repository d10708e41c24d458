/* The background-check and onboarding pages: a form's chosen file is uploaded as an HR-only document (resumable,
   H5.uploadAttachment with purpose "hr_document"), then the form is sent with the document's id. */
(function (w) {
  'use strict';
  var H5 = w.H5;
  var cfg = JSON.parse(document.getElementById('documents-config').textContent);

  function choose(form, id, name) {
    var field = form.elements.attachment_id;
    if (field.tagName === 'SELECT') {
      var option = document.createElement('option');
      option.value = String(id); option.textContent = name;
      field.append(option);
    }
    field.value = String(id);
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-document]'), function (form) {
    var input = form.querySelector('input[type=file]'), state = form.querySelector('.upload-state');
    var button = form.querySelector('button');
    if (!input) { return; }   // nothing to upload here: the forms after it still get their handler
    input.addEventListener('change', function () {
      var file = input.files[0];
      state.textContent = file ? '已选择:' + file.name + '(提交时上传)' : '';
    });
    form.addEventListener('submit', async function (ev) {
      var file = input.files[0];
      if (!file) { return; }   // a document uploaded before, picked in the list (or none: the server says so)
      ev.preventDefault();
      if (file.size > cfg.maxBytes) {
        H5.toast('「' + file.name + '」太大,单个文件最大 ' + Math.round(cfg.maxBytes / 1048576) + ' MB', true, 6000);
        return;
      }
      if (file.size === 0) { H5.toast('「' + file.name + '」是空文件', true); return; }
      H5.busy(button, true);
      try {
        var id = await H5.uploadAttachment(cfg, file, 'hr_document', function (text) {
          state.textContent = /%$/.test(text) ? '正在上传 ' + text : text;
        });
        choose(form, id, file.name);
        input.value = '';
        form.submit();
      } catch (err) {
        H5.toast(err.message || '上传失败,请重试', true, 6000);
        state.textContent = '';
        H5.busy(button, false);
      }
    });
  });
})(window);
