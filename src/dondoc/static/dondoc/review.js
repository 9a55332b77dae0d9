// Review screen: show where a task came from, and pick agencies by accent-free search.
(function () {
  function highlight(id) {
    document.querySelectorAll("mark.src.active").forEach(function (m) { m.classList.remove("active"); });
    var mark = document.getElementById("src-" + id);
    if (mark) { mark.classList.add("active"); mark.scrollIntoView({ block: "center", behavior: "smooth" }); }
  }
  document.addEventListener("click", function (event) {
    var card = event.target.closest(".task-card");
    if (card) { highlight(card.dataset.task); }
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
})();
