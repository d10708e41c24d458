// "▶ 0:14" links jump to the moment in the answer's recording where the quoted words were said.
(function () {
  document.addEventListener('click', function (ev) {
    var link = ev.target.closest && ev.target.closest('a.seek');
    if (!link) { return; }
    var block = document.getElementById('answer-' + link.getAttribute('data-answer'));
    var player = block && block.querySelector('video, audio');
    if (!player) { return; }
    ev.preventDefault();
    block.scrollIntoView({ behavior: 'smooth', block: 'start' });
    var at = parseFloat(link.getAttribute('data-seek')) || 0;
    var go = function () { player.currentTime = at; player.play().catch(function () {}); };
    if (player.readyState >= 1) { go(); } else { player.addEventListener('loadedmetadata', go, { once: true }); player.load(); }
  });
})();

// 打印 / 存为PDF: the browser's print dialog; while printing, the details section is open and the time stamped.
(function () {
  var button = document.querySelector('[data-print]');
  // WeChat's and WeCom's in-app browsers ignore window.print(): no dead button there (open the page in a browser).
  if (button && /MicroMessenger|wxwork/i.test(navigator.userAgent)) { button.parentNode.hidden = true; }
  if (button) { button.addEventListener('click', function () { window.print(); }); }
  var details = document.querySelector('details.detail-all');
  var stamp = document.querySelector('[data-printed-at]');
  var wasOpen = null;
  function printing(on) {
    if (on && wasOpen === null) {
      wasOpen = details ? details.open : false;
      if (details) { details.open = true; }
      if (stamp) { stamp.textContent = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }); }
    } else if (!on && wasOpen !== null) {
      if (details) { details.open = wasOpen; }
      wasOpen = null;
    }
  }
  window.addEventListener('beforeprint', function () { printing(true); });
  window.addEventListener('afterprint', function () { printing(false); });
  if (window.matchMedia) {
    var query = window.matchMedia('print');
    var changed = function (ev) { printing(ev.matches); };
    if (query.addEventListener) { query.addEventListener('change', changed); } else if (query.addListener) { query.addListener(changed); }
  }
})();
