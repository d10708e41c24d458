/* The status page's compose box: upload attachments through the resumable chunked API, then send the message. */
(function (w) {
  'use strict';
  var H5 = w.H5;
  var cfg = JSON.parse(document.getElementById('conversation-config').textContent);
  var form = document.getElementById('compose'), text = document.getElementById('compose-text');
  var input = document.getElementById('compose-input'), list = document.getElementById('compose-files');
  var send = document.getElementById('compose-send');
  var files = [];

  function render() {
    list.textContent = '';
    files.forEach(function (item, i) {
      var li = document.createElement('li');
      li.className = 'compose__file' + (item.refused ? ' compose__file_refused' : '');
      var name = document.createElement('span');
      name.textContent = item.file.name + ' · ' + Math.max(1, Math.ceil(item.file.size / 1024)) + ' KB';
      var state = document.createElement('span');
      state.className = 'compose__state' + (item.refused ? ' compose__state_refused' : '');
      state.textContent = item.state || '';
      var remove = document.createElement('button');
      remove.type = 'button'; remove.className = 'compose__remove'; remove.textContent = '×';
      remove.setAttribute('aria-label', '移除');
      remove.onclick = function () { files.splice(i, 1); render(); };
      li.append(name, state, remove);
      list.append(li);
    });
  }

  input.addEventListener('change', function () {
    Array.prototype.forEach.call(input.files, function (file) {
      if (files.length >= cfg.maxFiles) { H5.toast('每条消息最多 ' + cfg.maxFiles + ' 个附件', true); return; }
      if (file.size > cfg.maxBytes) {
        H5.toast('「' + file.name + '」太大,单个附件最大 ' + Math.round(cfg.maxBytes / 1048576) + ' MB', true);
        return;
      }
      if (file.size === 0) { H5.toast('「' + file.name + '」是空文件', true); return; }
      files.push({ file: file, state: '' });
    });
    input.value = '';
    render();
  });

  /* A file the server refuses (its type, or its content not what its name says) stays in the list with the reason
     in red, so the candidate sees which one to remove: before, its row still said 100% once the toast was gone. */
  async function upload(item) {
    item.refused = false;
    try {
      item.id = await H5.uploadAttachment(cfg, item.file, 'chat', function (state) { item.state = state; render(); });
    } catch (err) {
      if (err instanceof H5.ApiError) {
        item.refused = true; item.state = '未发送:' + (err.message || '无法上传'); render();
      }
      throw err;
    }
    return item.id;
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var body = text.value.trim();
    if (!body && !files.length) { H5.toast('请输入消息或添加附件', true); return; }
    H5.busy(send, true);
    try {
      var ids = [];
      for (var i = 0; i < files.length; i++) { ids.push(files[i].id || await upload(files[i])); }
      await H5.withRetry(function () {
        return H5.api(cfg, 'POST', '/messages', { text: body, attachment_ids: ids });
      });
      text.value = ''; files = []; render();
      w.location.reload();
    } catch (err) {
      H5.toast(err.message || '发送失败,请重试', true, 6000);
      H5.busy(send, false);
    }
  });
})(window);
