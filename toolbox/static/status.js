// Keeps the private page's state live: polls the JSON status until the documents are
// ready (or the job failed), then lists the downloads. Without JavaScript a meta refresh
// does the same.
(function () {
  "use strict";
  var box = document.getElementById("status-box");
  if (!box) return;
  // Texts in the page's language, from <body data-messages> (toolbox/web/i18n.py).
  var MESSAGES = JSON.parse(document.body.dataset.messages || "{}");
  function text(key, fallback) {
    return MESSAGES[key] || fallback;
  }
  var status = document.getElementById("status");
  var detail = document.getElementById("status-detail");
  var list = document.getElementById("documents");

  function showDocuments(documents) {
    list.textContent = "";
    documents.forEach(function (doc) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = doc.url;
      a.setAttribute("download", "");
      a.textContent = text("download", "{format}").replace("{format}", doc.format.toUpperCase());
      var info = document.createElement("span");
      info.className = "hint";
      info.textContent = " " + doc.filename + ", " + Math.round(doc.size / 1024) + " KB";
      li.appendChild(a);
      li.appendChild(info);
      list.appendChild(li);
    });
  }

  function update(data) {
    if (data.state !== box.dataset.state) {
      box.dataset.state = data.state;
      status.textContent = text("state." + data.state, data.state);
      status.className = "state state-" + data.state;
    }
    // The server's text says which attempt runs after an interrupted one (issue 19.10).
    var said = data.detail || text("detail." + data.state, "") + (data.error ? " " + data.error : "");
    if (detail.textContent !== said) detail.textContent = said;
    if (data.state === "done") showDocuments(data.documents);
    var emailStatus = document.getElementById("email-status");
    if (emailStatus && data.email.state !== box.dataset.emailState) {
      box.dataset.emailState = data.email.state;
      emailStatus.textContent = text("email." + data.email.state, data.email.state);
    }
    var settled = data.email.state !== "pending";
    return (data.state === "done" && settled) || data.state === "failed";
  }

  var delay = 500;
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (!update(data)) {
          delay = Math.min(delay * 1.3, 3000);
          setTimeout(poll, delay);
        }
      })
      .catch(function () {
        setTimeout(poll, 5000);
      });
  }
  var open = box.dataset.state === "queued" || box.dataset.state === "running";
  if (open || box.dataset.emailState === "pending") poll();
})();
