// A table wider than its box scrolls sideways inside it (.table-wrap, see app.css). When it does, say so in a
// line above it, in the page's language (the <body>'s data-scroll-hint), and mark the box so CSS can narrow the
// pinned first column. Without JavaScript the table still scrolls and a shadow marks its cut edge.
(function () {
  "use strict";
  var text = document.body.getAttribute("data-scroll-hint");
  function mark(wrap) {
    var wide = wrap.scrollWidth > wrap.clientWidth + 1;
    var before = wrap.previousElementSibling;
    var hint = before && before.classList.contains("scroll-hint") ? before : null;
    wrap.classList.toggle("scrolls", wide);
    if (wide && !hint && text) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.setAttribute("aria-hidden", "true");  // for the eyes; a screen reader reads the table cell by cell
      hint.textContent = text;
      wrap.parentNode.insertBefore(hint, wrap);
    } else if (!wide && hint) {
      hint.remove();
    }
  }
  function markAll() {
    document.querySelectorAll(".table-wrap").forEach(mark);
  }
  markAll();
  window.addEventListener("resize", markAll);
})();
