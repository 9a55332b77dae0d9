// Review screen: where a task came from, agencies picked by accent-free search, tasks chosen for merging, a missed
// sentence selected in the source added as a task, the cut of a split at the cursor, and the keyboard.
(function () {
  function highlight(id) {
    document.querySelectorAll("mark.src.active").forEach(function (m) { m.classList.remove("active"); });
    var mark = document.getElementById("src-" + id);
    if (mark) { mark.classList.add("active"); mark.scrollIntoView({ block: "center", behavior: "smooth" }); }
  }

  // The current task (keyboard): j/k move, e edits, r marks reviewed and moves on, x selects.
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("#review-list .task-card")); }
  function current() { return document.querySelector("#review-list .task-card.current"); }
  function focusCard(card) {
    if (!card) { return; }
    cards().forEach(function (c) { c.classList.remove("current"); });
    card.classList.add("current");
    card.scrollIntoView({ block: "nearest" });
    highlight(card.dataset.task);
  }
  function step(delta) {
    var all = cards(), at = all.indexOf(current());
    focusCard(all[Math.min(Math.max(at + delta, 0), all.length - 1)] || all[0]);
  }

  function updateSelection() {
    var n = document.querySelectorAll(".task-select:checked").length;
    var count = document.getElementById("selected-count");
    if (count) { count.textContent = n; }
    var merge = document.getElementById("merge-selected"), mark = document.getElementById("review-selected");
    if (merge) { merge.disabled = n < 2; }
    if (mark) { mark.disabled = n < 1; }
  }

  document.addEventListener("click", function (event) {
    var card = event.target.closest(".task-card");
    if (card) { highlight(card.dataset.task); if (card.closest("#review-list")) { focusCard(card); } }
    var choice = event.target.closest(".picker-choice");
    if (choice) {
      event.preventDefault();
      var area = document.getElementById(choice.dataset.target);
      var names = area.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      if (names.indexOf(choice.dataset.name) < 0) { names.push(choice.dataset.name); }
      area.value = names.join("\n");
      choice.parentElement.innerHTML = "";
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.closest(".task-select")) { updateSelection(); }
  });
  document.body.addEventListener("htmx:afterSwap", updateSelection);

  // "Tách tại con trỏ": the cut is where the cursor stands in the task's text.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var button = event.detail.elt;
    if (!button || !button.classList || !button.classList.contains("split-here")) { return; }
    var area = button.closest("form").querySelector("textarea[name=text]");
    if (area && area.selectionStart > 0 && area.selectionStart < area.value.length) {
      event.detail.parameters.at = String(area.selectionStart);
    }
  });

  // A selection inside the source pane: its offsets in the plan's text (the pane shows that text unchanged).
  var source = document.getElementById("source"), addButton = document.getElementById("add-from-source");
  function offsetIn(node, offset) {
    var range = document.createRange();
    range.setStart(source, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }
  document.addEventListener("selectionchange", function () {
    if (!source || !addButton) { return; }
    var sel = document.getSelection();
    var inside = sel && sel.rangeCount && !sel.isCollapsed && source.contains(sel.anchorNode) && source.contains(sel.focusNode);
    if (!inside || !sel.toString().trim()) { addButton.hidden = true; return; }
    var r = sel.getRangeAt(0);
    var form = document.getElementById("from-source");
    form.elements.start.value = offsetIn(r.startContainer, r.startOffset);
    form.elements.end.value = offsetIn(r.endContainer, r.endOffset);
    addButton.hidden = false;
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape") {
      var close = (event.target.closest(".task-card") || document).querySelector(".task-close");
      if (close) { close.click(); }
      return;
    }
    if (typing) { return; }
    var card = current();
    if (event.key === "j") { step(1); }
    else if (event.key === "k") { step(-1); }
    else if (event.key === "e" && card) { var edit = card.querySelector(".task-edit"); if (edit) { edit.click(); } }
    else if (event.key === "r" && card) {
      var mark = card.querySelector(".review-mark"), next = cards()[cards().indexOf(card) + 1];
      if (mark) { mark.click(); }
      if (next) { focusCard(next); }
    }
    else if (event.key === "x" && card) { var box = card.querySelector(".task-select"); box.checked = !box.checked; updateSelection(); }
    else if (event.key === "u") { var undo = document.getElementById("undo"); if (undo) { undo.click(); } }
    else { return; }
    event.preventDefault();
  });

  // The picker: agencies by accent-free search.
  var timer = null;
  document.addEventListener("input", function (event) {
    var input = event.target.closest(".agency-picker");
    if (!input) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      var results = input.nextElementSibling;
      fetch("/co-quan/goi-y/?q=" + encodeURIComponent(input.value), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          results.innerHTML = "";
          data.items.forEach(function (item) {
            var a = document.createElement("a");
            a.href = "#";
            a.className = "list-group-item list-group-item-action py-1 small picker-choice";
            a.dataset.name = item.name;
            a.dataset.target = input.dataset.target;
            a.textContent = item.name + (item.kind === "group" ? " (nhóm)" : "") + (item.dissolved ? " — đã giải thể" : "");
            results.appendChild(a);
          });
        });
    }, 200);
  });

  // Back from an action: the task or section it touched.
  if (location.hash) { var target = document.querySelector(location.hash); if (target && target.classList.contains("task-card")) { focusCard(target); } }
  updateSelection();
})();
