/* Admin funnel pages: live weight sum and dimension renames in the job editor, "add a row", select-all in the
   workbench, 试评分 busy on the job page. */
(function () {
  function sumWeights() {
    var out = document.getElementById('weight-sum');
    if (!out) return;
    var total = 0;
    document.querySelectorAll('input[name=dim_weight]').forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (!isNaN(n)) total += n;
    });
    out.textContent = total;
    out.parentNode.classList.toggle('bad', total !== 100);
  }
  document.addEventListener('input', function (e) {
    if (e.target.name === 'dim_weight') sumWeights();
  });
  // Renaming a dimension renames it in every question's 考察维度 too (they name dimensions by name: the save was
  // refused with 不存在的维度 until each question was edited by hand).
  document.addEventListener('focusin', function (e) {
    if (e.target.name === 'dim_name') e.target.dataset.was = e.target.value.trim();
  });
  document.addEventListener('change', function (e) {
    if (e.target.name !== 'dim_name') return;
    var was = e.target.dataset.was, now = e.target.value.trim();
    e.target.dataset.was = now;
    if (!was || !now || was === now) return;
    document.querySelectorAll('input[name=q_dims]').forEach(function (input) {
      var names = input.value.split(/[,，、]/).map(function (n) { return n.trim(); }).filter(Boolean);
      if (names.indexOf(was) < 0) return;
      input.value = names.map(function (n) { return n === was ? now : n; }).join(', ');
    });
  });
  document.querySelectorAll('[data-add-row]').forEach(function (button) {
    button.addEventListener('click', function () {
      var template = document.getElementById(button.dataset.addRow);
      template.parentNode.insertBefore(template.content.cloneNode(true), template);
    });
  });
  // 试评分 on the job page can take a while (the scoring models): the button says so and takes one click.
  var trial = document.querySelector('form.trial');
  if (trial) trial.addEventListener('submit', function () {
    var button = document.getElementById('trial-submit');
    button.disabled = true;
    button.textContent = '评分中…';
    button.setAttribute('aria-busy', 'true');
  });
  window.addEventListener('pageshow', function (e) {   // back to the page from the browser's cache: usable again
    var button = document.getElementById('trial-submit');
    if (e.persisted && button) { button.disabled = false; button.textContent = '试评分'; button.removeAttribute('aria-busy'); }
  });
  var all = document.getElementById('check-all');
  if (all) all.addEventListener('change', function () {
    document.querySelectorAll('input[name=ids]').forEach(function (box) { box.checked = all.checked; });
  });
  sumWeights();
})();
