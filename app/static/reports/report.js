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
