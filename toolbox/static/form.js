// Adds and removes repeating rows in place. Without JavaScript the same buttons submit
// the form and the server does it (action=add:<list> / remove:<list>:<index>).
(function () {
  "use strict";
  // Texts in the page's language, from <body data-messages> (toolbox/web/i18n.py).
  var MESSAGES = JSON.parse(document.body.dataset.messages || "{}");
  function text(key, values) {
    return (MESSAGES[key] || key).replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }

  function rowsOf(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.matches("fieldset.row");
    });
  }

  function renumber(list) {
    rowsOf(list).forEach(function (row, i) {
      row.querySelectorAll(".row-number").forEach(function (el) {
        el.textContent = String(i + 1);
      });
    });
  }

  function reindex(row, name, from, to) {
    var oldPrefix = name + "-" + from + "-";
    var newPrefix = name + "-" + to + "-";
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.split(oldPrefix).join(newPrefix));
      });
    });
    row.dataset.row = String(to);
    row.querySelector(".remove-row").value = "remove:" + name + ":" + to;
  }

  function clear(row) {
    row.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = false;
      } else if (el.tagName === "SELECT") {
        el.selectedIndex = 0;
      } else {
        el.value = "";
      }
      el.removeAttribute("aria-invalid");
    });
    row.querySelectorAll(".error").forEach(function (el) {
      el.remove();
    });
    row.querySelectorAll(".has-error").forEach(function (el) {
      el.classList.remove("has-error");
    });
    row.querySelectorAll("[aria-describedby]").forEach(function (el) {
      var ids = el.getAttribute("aria-describedby").split(" ").filter(function (id) {
        return id && document.getElementById(id);
      });
      if (ids.length) {
        el.setAttribute("aria-describedby", ids.join(" "));
      } else {
        el.removeAttribute("aria-describedby");
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=action]");
    if (!button) return;
    var parts = button.value.split(":");
    if (parts[0] !== "add" && parts[0] !== "remove") return;
    var list = document.querySelector('fieldset.list[data-list="' + parts[1] + '"]');
    if (!list) return;
    event.preventDefault();
    var rows = rowsOf(list);
    var notice = list.querySelector(".row-notice");
    var label = list.dataset.rowLabel;
    if (parts[0] === "add") {
      var max = parseInt(list.dataset.max, 10);
      if (rows.length >= max) {
        notice.textContent = text("rows.max", { max: max });
        return;
      }
      var last = rows[rows.length - 1];
      var next = Math.max.apply(null, rows.map(function (r) { return parseInt(r.dataset.row, 10); })) + 1;
      var row = last.cloneNode(true);
      reindex(row, parts[1], last.dataset.row, next);
      last.after(row);
      clear(row);
      renumber(list);
      notice.textContent = text("rows.added", { label: label, number: rowsOf(list).length });
      row.querySelector("input, select, textarea").focus();
    } else {
      var current = button.closest("fieldset.row");
      if (rows.length <= 1) {
        clear(current);
      } else {
        current.remove();
      }
      renumber(list);
      notice.textContent = text("rows.removed", { label: label });
      list.querySelector(".add-row").focus();
    }
  });

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    // A link in the summary moves the keyboard focus to its field; for a group of choices
    // (a fieldset cannot take focus) to the chosen or first choice. Its label stays in view.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      var control = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input:checked") || target.querySelector("input, select, textarea");
      if (!control) return;
      event.preventDefault();
      (target.closest(".field") || target).scrollIntoView();
      control.focus({ preventScroll: true });
    });
  }
})();
