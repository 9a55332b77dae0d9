// The review screen's unmatched-names panel: find the agency for a printed name by typing it without accents.
// Suggestions come from the agency suggestion endpoint (orgs.views.suggest), read on the plan's date; picking one
// fills the form's hidden agency id. Typed text with no pick is sent as it is and looked up by the server.
(function () {
  "use strict";
  var panel = document.getElementById("unknown-names");
  if (!panel) { return; }
  var timer = null;

  function clear(results) { while (results.firstChild) { results.removeChild(results.firstChild); } }

  function show(form, items) {
    var results = form.querySelector(".name-results");
    clear(results);
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
      none.textContent = "Không có cơ quan nào khớp: có thể tạo cơ quan mới.";
      results.appendChild(none);
    }
  }

  panel.addEventListener("input", function (event) {
    var input = event.target.closest(".name-search");
    if (!input) { return; }
    var form = input.form;
    form.elements.agency.value = "";  // the text no longer names the agency picked before
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { clear(form.querySelector(".name-results")); return; }
    timer = setTimeout(function () {
      var url = panel.dataset.suggest + "?q=" + encodeURIComponent(q) + "&ngay=" + encodeURIComponent(panel.dataset.on);
      fetch(url, { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (input.value.trim() !== q) { return; }  // typed on since: a later answer will come
          show(form, data.items.filter(function (item) { return item.kind === "agency"; }));
        });
    }, 200);
  });

  panel.addEventListener("click", function (event) {
    var choice = event.target.closest(".name-choice");
    if (!choice) { return; }
    event.preventDefault();
    var form = choice.closest("form");
    form.elements.agency.value = choice.dataset.id;
    form.querySelector(".name-search").value = choice.dataset.name;
    clear(form.querySelector(".name-results"));
  });

  panel.addEventListener("keydown", function (event) {
    var input = event.target.closest(".name-search");
    if (input && event.key === "Escape") { clear(input.form.querySelector(".name-results")); }
  });
})();
