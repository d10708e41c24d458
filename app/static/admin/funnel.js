/* Admin funnel pages: live weight sum in the job editor, "add a row", select-all in the workbench. */
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
  document.querySelectorAll('[data-add-row]').forEach(function (button) {
    button.addEventListener('click', function () {
      var template = document.getElementById(button.dataset.addRow);
      template.parentNode.insertBefore(template.content.cloneNode(true), template);
    });
  });
  var all = document.getElementById('check-all');
  if (all) all.addEventListener('change', function () {
    document.querySelectorAll('input[name=ids]').forEach(function (box) { box.checked = all.checked; });
  });
  sumWeights();
})();
