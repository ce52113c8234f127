// The area's minutes ZIP page: follows the background job until it is done or failed, then reloads.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var labels = {done: box.dataset.labelDone, failed: box.dataset.labelFailed, working: box.dataset.labelWorking};
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (j) {
      document.getElementById("job-progress").value = j.percent;
      document.getElementById("job-count").textContent = j.total ? j.done + " / " + j.total : "";
      var text = j.status === "done" ? labels.done : j.status === "failed" ? labels.failed + ": " + j.error : labels.working;
      document.getElementById("job-text").firstChild.textContent = text + " ";
      box.dataset.status = j.status;
      if (j.status === "done") { location.reload(); }
      else if (j.status !== "failed") { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") { poll(); }
})();
