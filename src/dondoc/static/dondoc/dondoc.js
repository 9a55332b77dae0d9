// Behaviour every page shares, from attributes (the Content-Security-Policy runs no inline script or onclick=):
// data-confirm="question" asks before a button or link acts; data-select-on-click selects a field's text;
// a form[data-send-changed] sends only the fields changed from their data-default (a hand-over of thousands of rows);
// a form[data-values-from="id"] sends the other form's fields as they are now, not as the page was drawn (the
// consolidated report's PDF: the signer typed, the structure chosen, without "Xem số liệu" first).
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
  // select[data-set-all="table id"]: its choice is copied to every select of that table that offers it.
  document.addEventListener("change", function (event) {
    var chooser = event.target.closest("select[data-set-all]"), table;
    if (!chooser || !chooser.value) { return; }
    table = document.getElementById(chooser.dataset.setAll);
    if (!table) { return; }
    table.querySelectorAll("select").forEach(function (select) {
      if (Array.prototype.some.call(select.options, function (o) { return o.value === chooser.value; })) {
        select.value = chooser.value;
      }
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target, source = form.dataset.valuesFrom && document.getElementById(form.dataset.valuesFrom);
    if (!source) { return; }
    source.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (field) {
      if (field.disabled || field.type === "submit" || (field.type === "radio" && !field.checked)) { return; }
      var target = Array.prototype.find.call(form.elements, function (e) { return e.name === field.name && e.type === "hidden"; });
      if (!target) {
        target = document.createElement("input");
        target.type = "hidden";
        target.name = field.name;
        form.appendChild(target);
      }
      target.value = field.type === "checkbox" ? (field.checked ? field.value : "0") : field.value;
    });
  });
})();
