// The review screen's unmatched-names panel: find the agency for a printed name by typing it without accents, and
// the agency a new one is under ("Trực thuộc"). Suggestions come from the agency suggestion endpoint
// (orgs.views.suggest), read on the plan's date; picking one fills the form's hidden id (the field the search box's
// data-field names, "agency" by default). A box with data-active-only offers only the agencies in existence on
// that date. Typed text with no pick is sent as it is and looked up by the server.
(function () {
  "use strict";
  var panel = document.getElementById("unknown-names");
  if (!panel) { return; }
  var timer = null;

  function clear(results) { while (results.firstChild) { results.removeChild(results.firstChild); } }

  function field(input) { return input.form.elements[input.dataset.field || "agency"]; }

  function show(input, items) {
    var results = input.form.querySelector(".name-results");
    clear(results);
    if (input.dataset.activeOnly) { items = items.filter(function (item) { return item.active; }); }
    items.forEach(function (item) {
      var choice = document.createElement("button");
      choice.type = "button";
      choice.className = "list-group-item list-group-item-action py-1 small name-choice";
      choice.dataset.id = item.id;
      choice.dataset.name = item.name;
      choice.textContent = item.name + (item.active ? "" : " — không hoạt động vào ngày của kế hoạch");
      results.appendChild(choice);
    });
    if (!items.length) {
      var none = document.createElement("span");
      none.className = "list-group-item py-1 small text-muted name-none";
      none.textContent = input.dataset.none || "Không có cơ quan nào khớp: có thể tạo cơ quan mới.";
      results.appendChild(none);
    }
  }

  panel.addEventListener("input", function (event) {
    var input = event.target.closest(".name-search");
    if (!input) { return; }
    var form = input.form;
    field(input).value = "";  // the text no longer names the agency picked before
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { clear(form.querySelector(".name-results")); return; }
    timer = setTimeout(function () {
      var url = panel.dataset.suggest + "?q=" + encodeURIComponent(q) + "&ngay=" + encodeURIComponent(panel.dataset.on);
      fetch(url, { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (input.value.trim() !== q) { return; }  // typed on since: a later answer will come
          show(input, data.items.filter(function (item) { return item.kind === "agency"; }));
        });
    }, 200);
  });

  panel.addEventListener("click", function (event) {
    var choice = event.target.closest(".name-choice");
    if (!choice) { return; }
    event.preventDefault();
    var form = choice.closest("form"), input = form.querySelector(".name-search");
    field(input).value = choice.dataset.id;
    input.value = choice.dataset.name;
    clear(form.querySelector(".name-results"));
  });

  panel.addEventListener("keydown", function (event) {
    var input = event.target.closest(".name-search");
    if (input && event.key === "Escape") { clear(input.form.querySelector(".name-results")); }
  });
})();
