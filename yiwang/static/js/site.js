// Large-font mode (大字模式): remembered per browser, applied before paint where possible.
(function () {
  var KEY = "yiwang-large-font";
  function apply(on) {
    document.documentElement.classList.toggle("large-font", on);
    document.querySelectorAll("[data-font-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  apply(localStorage.getItem(KEY) === "1");
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-font-toggle]");
    if (!button) return;
    var on = !document.documentElement.classList.contains("large-font");
    localStorage.setItem(KEY, on ? "1" : "0");
    apply(on);
  });
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-print]");
    if (button) window.print();
  });
})();
