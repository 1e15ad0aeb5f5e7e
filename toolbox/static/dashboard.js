// Keeps the dashboard live: every 2 seconds it asks status.json for the rows on the page
// and the counters, and updates state, timings, email and document cells in place.
// Changes are announced in a polite live region. Without JavaScript the page is
// complete as served; reloading shows the current state.
(function () {
  "use strict";
  // Texts in the page's language, from <body data-messages> (toolbox/web/i18n.py).
  var MESSAGES = JSON.parse(document.body.dataset.messages || "{}");
  function text(key, values) {
    return (MESSAGES[key] || key).replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }
  var INTERVAL = 2000;
  var live = document.getElementById("live-status");
  var list = document.getElementById("dashboard-live");
  var detail = document.getElementById("detail-live");
  var root = list || detail;
  if (!root || !window.fetch) return;
  var timer = null;
  var inFlight = false;
  var stopped = false;

  function announce(text) {
    if (live && text) live.textContent = text;
  }

  function setText(cell, text) {
    if (cell && cell.textContent !== text) cell.textContent = text;
  }

  function documentLinks(cell, documents) {
    var formats = documents.map(function (d) { return d.format; }).join(",");
    if (cell.dataset.formats === formats) return;
    cell.dataset.formats = formats;
    cell.textContent = "";
    if (!documents.length) {
      var none = document.createElement("span");
      none.className = "hint";
      none.textContent = "–";
      cell.appendChild(none);
      return;
    }
    documents.forEach(function (d, i) {
      if (i) cell.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = d.url;
      a.setAttribute("download", "");
      a.textContent = d.format.toUpperCase();
      cell.appendChild(a);
    });
  }

  function updateRow(data) {
    var row = document.getElementById("s-" + data.id);
    if (!row) return null;
    var changes = [];
    if (row.dataset.state !== data.state) {
      row.dataset.state = data.state;
      row.className = "state-row-" + data.state;
      var badge = document.createElement("span");
      badge.className = "badge badge-" + data.state;
      badge.textContent = data.state_label;
      var cell = row.querySelector("[data-col=state]");
      cell.textContent = "";
      cell.appendChild(badge);
      changes.push(data.state_label);
    }
    if (row.dataset.emailState !== data.email_state) {
      row.dataset.emailState = data.email_state;
      var email = document.createElement("span");
      email.className = "email-" + data.email_state;
      email.textContent = data.email_label;
      var emailCell = row.querySelector("[data-col=email]");
      emailCell.textContent = "";
      emailCell.appendChild(email);
      changes.push(text("dashboard.email", { label: data.email_label }));
    }
    setText(row.querySelector("[data-col=queue_wait]"), data.queue_wait);
    setText(row.querySelector("[data-col=render_time]"), data.render_time);
    documentLinks(row.querySelector("[data-col=documents]"), data.documents);
    return changes.length ? row.dataset.name + ": " + changes.join(", ") : null;
  }

  function updateList(data) {
    var messages = data.rows.map(updateRow).filter(Boolean);
    Object.keys(data.counts).forEach(function (state) {
      setText(root.querySelector("[data-count=" + state + "]"), String(data.counts[state]));
    });
    var fresh = document.getElementById("new-submissions");
    if (fresh && fresh.hidden && data.newest_id > Number(root.dataset.newestId)) {
      fresh.hidden = false;
      messages.push(text("dashboard.new"));
    }
    announce(messages.join(" "));
  }

  function updateDetail(data) {
    var row = data.rows[0];
    if (!row) return;
    if (row.state !== root.dataset.state || row.email_state !== root.dataset.emailState) {
      root.dataset.state = row.state;
      root.dataset.emailState = row.email_state;
      document.getElementById("detail-changed").hidden = false;
      announce(text("dashboard.changed", { state: row.state_label, email: row.email_label }));
    }
  }

  function url() {
    var u = new URL(root.dataset.statusUrl, window.location.href);
    if (list) {
      var ids = Array.prototype.map.call(
        document.querySelectorAll("#submissions tbody tr[data-id]"),
        function (tr) { return tr.dataset.id; }
      );
      u.searchParams.set("ids", ids.join(","));
    }
    return u.toString();
  }

  function poll() {
    timer = null;
    inFlight = true;
    fetch(url(), { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) {
          stopped = true;
          announce(text("session.expired"));
          return null;
        }
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (data) (list ? updateList : updateDetail)(data);
      })
      .catch(function () { /* network hiccup: the next poll tries again */ })
      .then(function () {
        inFlight = false;
        schedule();
      });
  }

  function schedule() {
    if (!stopped && !inFlight && !document.hidden && timer === null) timer = setTimeout(poll, INTERVAL);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden && timer !== null) {
      clearTimeout(timer);
      timer = null;
    } else {
      schedule();
    }
  });
  schedule();
})();
