// Behaviour every page shares, from attributes (the Content-Security-Policy runs no inline script or onclick=):
// data-confirm="question" asks before a button or link acts; data-select-on-click selects a field's text.
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
})();
