// Behaviour every page shares, from attributes (the Content-Security-Policy runs no inline script or onclick=):
// data-confirm="question" asks before a button or link acts; data-select-on-click selects a field's text;
// a form[data-send-changed] sends only the fields changed from their data-default (a hand-over of thousands of rows).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var asking = event.target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var field = event.target.closest("[data-select-on-click]");
    if (field) { field.select(); }
  }, true);
  document.addEventListener("submit", function (event) {
    if (!event.target.matches("form[data-send-changed]")) { return; }
    event.target.querySelectorAll("[data-default]").forEach(function (input) {
      if (input.value === input.dataset.default) { input.disabled = true; }
    });
  });
})();
