// "Add a member" on the minutes' issue form: a new empty row at once, without a round trip.
// Without JavaScript the same button posts the form and the server answers with one more row.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-member-row]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-member-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById("member-row-template");
    var rows = document.getElementById("member-rows");
    if (!total || !template || !rows) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var n = parseInt(total.value, 10);
      if (max && n >= parseInt(max.value, 10)) { return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(n));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(n + 1);
      var added = rows.lastElementChild.querySelector("input");
      if (added) { added.focus(); }
    });
  });
})();
