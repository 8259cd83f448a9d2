// Progressive enhancement only: every flow works without this file.
// Draws the ECharts charts (served from /static/vendor, never a CDN) and "select all" in the queue.
(function () {
  "use strict";
  document.querySelectorAll("input.check-all").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="alert_ids"]').forEach(function (b) { b.checked = box.checked; });
    });
  });
  // List and preview: j / k select the next / previous alert (the row's preview link, so the
  // server renders the preview, as it does without JavaScript); o opens it; x ticks its box;
  // d, w and e go to the preview's dismiss, wrong-hit and escalate forms.
  var queue = document.getElementById("queue");
  if (queue) {
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(t.tagName))) { return; }
      var rows = Array.prototype.slice.call(queue.querySelectorAll("tbody tr[data-id]"));
      if (!rows.length) { return; }
      var at = rows.findIndex(function (r) { return r.classList.contains("selected"); });
      var go = function (row) { var a = row && row.querySelector("a.preview-link"); if (a) { window.location.href = a.href; } };
      var focus = function (id) { var el = document.getElementById(id); if (el) { el.focus(); ev.preventDefault(); } };
      if (ev.key === "j") { go(rows[Math.min(rows.length - 1, at + 1)]); }
      else if (ev.key === "k") { go(rows[Math.max(0, at - 1)]); }
      else if (ev.key === "o" && at >= 0) { window.location.href = "/alerts/" + rows[at].getAttribute("data-id"); }
      else if (ev.key === "x" && at >= 0) { var box = rows[at].querySelector('input[name="alert_ids"]'); if (box) { box.checked = !box.checked; } }
      else if (ev.key === "d") { focus("preview-reason"); }
      else if (ev.key === "w") { focus("preview-wrong-why"); }
      else if (ev.key === "e") { focus("preview-escalate-button"); }
    });
  }
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
