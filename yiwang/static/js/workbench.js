// Guide editor: add and remove repeating rows (materials, process steps, fees, form fields) in
// the page. Without this file the same buttons post the form and the server adds or removes the
// row, so the editor also works with JavaScript off.
(function () {
  "use strict";

  function renumber(rows) {
    rows.querySelectorAll("[data-row-number]").forEach(function (el, i) {
      el.textContent = String(i + 1);
    });
  }

  function addRow(button) {
    var key = button.getAttribute("data-row-add");
    var set = button.closest("[data-row-set]");
    var rows = set.querySelector('[data-rows="' + key + '"]');
    var template = set.querySelector('template[data-row-template="' + key + '"]');
    var next = parseInt(rows.getAttribute("data-next-index"), 10) || 0;
    rows.setAttribute("data-next-index", String(next + 1));
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(next)));
    renumber(rows);
    var first = rows.lastElementChild.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function removeRow(button) {
    var row = button.closest("[data-row]");
    var rows = row.parentElement;
    var add = row.closest("[data-row-set]").querySelector("[data-row-add]");
    row.remove();
    renumber(rows);
    if (add) add.focus();
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-row-add]");
    if (add) {
      event.preventDefault();
      addRow(add);
      return;
    }
    var remove = event.target.closest("[data-row-remove]");
    if (remove) {
      event.preventDefault();
      removeRow(remove);
    }
  });

  // After a refused save, bring the error list into view and to the screen reader.
  document.addEventListener("DOMContentLoaded", function () {
    var errors = document.getElementById("guide-errors");
    if (errors) errors.focus();
  });
})();
