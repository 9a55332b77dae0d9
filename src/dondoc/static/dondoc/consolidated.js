// "Kèm biểu đồ" unticked must still send bieu_do=0 (an unticked box sends nothing, and the default is to include it).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("bieu_do");
  if (!box) { return; }
  var off = box.parentElement.querySelector("input[type=hidden]");
  function sync() { off.disabled = box.checked; }
  box.addEventListener("change", sync);
  sync();
});
