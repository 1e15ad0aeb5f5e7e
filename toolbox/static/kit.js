// Shows a kit being built: while it is queued or running, asks status.json every second
// and updates the progress bar, percentage and current step in place. When it ends,
// the outcome is shown (download link or the reason it failed) and announced in a polite
// live region. Without JavaScript the page shows the state as served; reloading updates it.
(function () {
  "use strict";
  // Texts in the page's language, from <body data-messages> (toolbox/web/i18n.py).
  var MESSAGES = JSON.parse(document.body.dataset.messages || "{}");
  function text(key) {
    return MESSAGES[key] || key;
  }
  var INTERVAL = 1000;
  var root = document.getElementById("kit");
  if (!root || !window.fetch) return;
  var live = document.getElementById("kit-live");
  var timer = null;

  function part(name) {
    return root.querySelector("[data-kit=" + name + "]");
  }

  function show(name, visible) {
    var el = part(name);
    if (el) el.hidden = !visible;
  }

  function setText(name, text) {
    var el = part(name);
    if (el && el.textContent !== text) el.textContent = text;
  }

  function announce(text) {
    if (live && text) live.textContent = text;
  }

  function active(state) {
    return state === "queued" || state === "running";
  }

  function update(data) {
    var badge = part("badge");
    var changed = root.dataset.state !== data.state;
    root.dataset.state = data.state;
    if (badge) badge.className = "badge badge-" + data.state;
    setText("badge", data.state_label);
    show("progress-box", active(data.state));
    var bar = part("progress");
    if (bar) {
      bar.value = data.progress;
      bar.textContent = data.progress + " %";
    }
    setText("percent", String(data.progress));
    if (data.step) setText("step", data.step);
    var build = part("build");
    if (build) build.disabled = active(data.state);
    show("outdated", !!data.outdated);
    show("outdated-note", !!data.outdated);
    if (data.state === "failed") {
      setText("error", data.error || "");
      show("failure", true);
    }
    if (data.ready) {
      setText("size", data.size);
      setText("built", data.built_at);
      show("download-box", true);
    }
    if (changed && data.state === "done") {
      show("changed", true);
      announce(text("kit.done"));
    } else if (changed && data.state === "failed") {
      announce(text("kit.failed"));
    } else if (changed && data.state === "running") {
      announce(text("kit.running"));
    }
  }

  function poll() {
    timer = null;
    fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) {
          announce(text("session.expired"));
          return null;
        }
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        update(data);
        if (active(data.state)) schedule();
      })
      .catch(function () { schedule(); /* network hiccup: try again */ });
  }

  function schedule() {
    if (timer === null && !document.hidden) timer = setTimeout(poll, INTERVAL);
  }

  // Start polling once a build is under way (also right after "Kit erstellen").
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && active(root.dataset.state)) schedule();
  });
  if (active(root.dataset.state)) schedule();
})();
