// Optional proof of work (hashcash style): find a counter whose SHA-256 with the challenge
// starts with `bits` zero bits. Runs offline with the browser's own crypto.
(function () {
  var form = document.getElementById("report-form");
  if (!form || !window.crypto || !crypto.subtle) { return; }
  var challenge = form.querySelector("input[name=challenge]");
  var work = form.querySelector("input[name=work]");
  var bits = parseInt(challenge.getAttribute("data-bits"), 10);
  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      for (var b = 7; b >= 0 && !(bytes[i] & (1 << b)); b--) { n++; }
      break;
    }
    return n;
  }
  var solving = false;
  form.addEventListener("submit", function (event) {
    if (work.value || solving) { return; }
    event.preventDefault();
    solving = true;
    var counter = 0, enc = new TextEncoder();
    (function step() {
      var tries = [];
      for (var k = 0; k < 200; k++, counter++) {
        tries.push(crypto.subtle.digest("SHA-256", enc.encode(challenge.value + ":" + counter)).then(
          (function (c) { return function (h) { return zeroBits(new Uint8Array(h)) >= bits ? c : -1; }; })(counter)));
      }
      Promise.all(tries).then(function (found) {
        var hit = found.filter(function (c) { return c >= 0; });
        if (hit.length) { work.value = String(hit[0]); form.submit(); } else { step(); }
      });
    })();
  });
})();
