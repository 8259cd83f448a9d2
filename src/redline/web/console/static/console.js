// Progressive enhancement only: every flow works without this file.
// Draws the ECharts charts (served from /static/vendor, never a CDN) and "select all" in the queue.
(function () {
  "use strict";
  document.querySelectorAll("input.check-all").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="alert_ids"]').forEach(function (b) { b.checked = box.checked; });
    });
  });
  if (typeof echarts === "undefined") { return; }
  var charts = document.querySelector("[data-charts]");
  if (charts) {
    var data = JSON.parse(charts.getAttribute("data-charts"));
    charts.querySelectorAll("[data-chart]").forEach(function (el) {
      var rows = data[el.getAttribute("data-chart")] || [];
      var chart = echarts.init(el);
      chart.setOption({
        grid: { left: 120, right: 20, top: 10, bottom: 30 },
        tooltip: {},
        xAxis: { type: "value" },
        yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }).reverse() },
        series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }).reverse(), itemStyle: { color: "#8b0000" } }]
      });
    });
  }
  var graphEl = document.querySelector('[data-chart="graph"]');
  if (graphEl) {
    var g = JSON.parse(graphEl.getAttribute("data-graph"));
    var nodes = [{ name: g.center || "?", symbolSize: 40, itemStyle: { color: "#8b0000" } }];
    var links = [];
    g.edges.forEach(function (e) {
      nodes.push({ name: e.counterparty, symbolSize: 12 + Math.min(40, Math.sqrt(e.yuan_in + e.yuan_out)) });
      if (e.n_in) { links.push({ source: e.counterparty, target: g.center, value: e.yuan_in, label: { show: true, formatter: "¥" + e.yuan_in.toFixed(2) } }); }
      if (e.n_out) { links.push({ source: g.center, target: e.counterparty, value: e.yuan_out, label: { show: true, formatter: "¥" + e.yuan_out.toFixed(2) } }); }
    });
    echarts.init(graphEl).setOption({
      tooltip: {},
      series: [{ type: "graph", layout: "force", roam: true, label: { show: true }, edgeSymbol: ["none", "arrow"],
                 force: { repulsion: 300, edgeLength: 120 }, data: nodes, links: links }]
    });
  }
})();
