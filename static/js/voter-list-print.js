// The printable voter list (templates/voters/unit_print.html): while the PDF is made in the background, ask the
// server for its progress every second, show it, and offer the PDF when it is ready (or "Try again" if it
// failed). The server words every message, in the reader's language. Without JavaScript the page refreshes
// itself (a <noscript> meta refresh) and the ready list opens at once.
(function () {
  "use strict";
  var box = document.getElementById("voter-print");
  if (!box) { return; }
  var bar = document.getElementById("voter-print-progress");
  var text = document.getElementById("voter-print-text");
  var download = document.getElementById("voter-print-download");
  var retry = document.getElementById("voter-print-retry");
  var url = box.getAttribute("data-status-url");

  function show(state) {
    box.setAttribute("data-status", state.status);
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    if (text.textContent !== state.message) { text.textContent = state.message; }
    if (state.status === "done" && state.download) {
      download.querySelector("a").setAttribute("href", state.download);
      download.hidden = false;
      bar.hidden = true;
    }
    retry.hidden = state.status !== "failed";
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.status !== "done" && state.status !== "failed") { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  var status = box.getAttribute("data-status");
  if (status !== "done" && status !== "failed") { window.setTimeout(poll, 500); }
})();
