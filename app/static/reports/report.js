// Draw the dimension radar chart with ECharts (falls back to the table when ECharts is not loaded).
(function () {
  var el = document.getElementById('radar');
  if (!el || !window.echarts) { if (el) el.style.display = 'none'; return; }
  var data = JSON.parse(el.getAttribute('data-radar'));
  var chart = window.echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    radar: { indicator: data.indicator, radius: '65%', axisName: { color: '#1f2329', fontSize: 13 } },
    series: [{ type: 'radar', data: [{ value: data.values, name: '得分', areaStyle: { color: 'rgba(7,193,96,.25)' },
      lineStyle: { color: '#07c160' }, itemStyle: { color: '#07c160' }, label: { show: true, color: '#07c160' } }] }]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
