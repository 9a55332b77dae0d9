// Plan dashboard charts: drawn from the page's JSON endpoint (the same figures as the tables); a click on a
// slice or a bar opens the task list filtered by that status.
(function () {
  "use strict";
  var script = document.getElementById("dashboard-script");
  var COLOURS = {open_in_time: "#0d6efd", overdue: "#dc3545", awaiting_confirmation: "#0dcaf0",
                 done_on_time: "#198754", done_late: "#fd7e14", ongoing: "#6c757d"};

  function draw(data) {
    var tasks = script.dataset.tasks;
    var status = data.status;
    new Chart(document.getElementById("chart-status"), {
      type: "doughnut",
      data: {labels: status.labels, datasets: [{data: status.values,
             backgroundColor: status.codes.map(function (c) { return COLOURS[c]; })}]},
      options: {plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}},
                onClick: function (evt, items) { if (items.length) window.location = tasks + status.codes[items[0].index]; }}
    });
    new Chart(document.getElementById("chart-agencies"), {
      type: "bar",
      data: {labels: data.agencies.labels, datasets: data.agencies.series.map(function (s) {
        return {label: s.label, data: s.values, backgroundColor: COLOURS[s.code]}; })},
      options: {indexAxis: "y", scales: {x: {stacked: true}, y: {stacked: true, ticks: {autoSkip: false}}},
                plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}}}
    });
    var p = data.progress;
    new Chart(document.getElementById("chart-progress"), {
      type: "line",
      data: {labels: p.labels, datasets: [
        {label: "Đến hạn (cộng dồn)", data: p.due, borderColor: "#dc3545", backgroundColor: "#dc3545", tension: 0.2},
        {label: "Đã hoàn thành (cộng dồn)", data: p.done, borderColor: "#198754", backgroundColor: "#198754", tension: 0.2}]},
      options: {plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}}, scales: {y: {beginAtZero: true}}}
    });
  }

  fetch(script.dataset.url, {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(draw)
    .catch(function () {
      document.querySelectorAll("canvas").forEach(function (c) {
        c.insertAdjacentHTML("afterend", '<p class="small text-muted">Không tải được số liệu biểu đồ.</p>');
      });
    });
})();
