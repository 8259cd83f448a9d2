// Live queue (progressive enhancement): server-sent events say that alerts arrived; the page
// then fetches itself again, with its own filters, and swaps the table in. Without JavaScript
// (or EventSource) the queue is the ordinary page: a reload shows the same.
(function () {
  "use strict";
  var table = document.getElementById("queue");
  var status = document.getElementById("live-status");
  if (!table || !status || typeof EventSource === "undefined") { return; }
  var since = table.getAttribute("data-newest") || "0";
  var source = new EventSource("/events/alerts?since=" + encodeURIComponent(since));
  var busy = false;

  function selecting() {
    return document.querySelector('input[name="alert_ids"]:checked') !== null;
  }

  function refresh(data) {
    if (busy) { return; }
    if (selecting()) {  // never pull rows from under a reviewer's selection
      status.textContent = status.getAttribute("data-waiting").replace("{n}", data.arrived || "");
      status.hidden = false;
      return;
    }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (reply) { return reply.ok ? reply.text() : Promise.reject(reply.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("#queue tbody");
        if (fresh) { table.querySelector("tbody").replaceWith(fresh); }
        status.textContent = status.getAttribute("data-updated").replace("{n}", data.new_alerts);
        status.hidden = false;
      })
      .catch(function () { /* the next event tries again */ })
      .then(function () { busy = false; });
  }

  source.addEventListener("alerts", function (event) { refresh(JSON.parse(event.data)); });
})();
