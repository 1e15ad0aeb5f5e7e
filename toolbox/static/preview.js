// The live preview: after typing stops, the form data goes to the server, which renders
// the document from the same template as the PDF; its HTML replaces #preview-document.
// One request at a time; nothing is announced per keystroke, at most "Vorschau
// aktualisiert." in a polite status after a pause. Without JavaScript the "Vorschau
// anzeigen" button submits the form and the server shows the same preview on the page.
(function () {
  "use strict";
  var region = document.getElementById("preview");
  var form = document.getElementById("instrument-form");
  if (!region || !form || !window.fetch) return;
  var target = document.getElementById("preview-document");
  var details = document.getElementById("preview-details");
  var status = document.getElementById("preview-status");
  var button = region.querySelector(".preview-button");
  var WAIT = 350; // ms after the last keystroke
  var ANNOUNCE_AFTER = 1500; // ms of quiet before the status speaks

  var timer = null;
  var announceTimer = null;
  var inFlight = false;
  var again = false;
  var focusAgain = false; // the button was pressed while a request was in flight
  var sent = null; // the form data the preview shows

  function formBody() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function announce(message) {
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () {
      status.textContent = message;
    }, ANNOUNCE_AFTER);
  }

  function update(focusAfter) {
    window.clearTimeout(timer);
    if (!details.open) return;
    if (inFlight) {
      again = true;
      focusAgain = focusAgain || focusAfter;
      return;
    }
    var body = formBody();
    if (body === sent) {
      if (focusAfter) target.focus();
      return;
    }
    inFlight = true;
    window.clearTimeout(announceTimer);
    status.textContent = "";
    fetch(region.dataset.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        target.innerHTML = html;
        sent = body;
        region.classList.remove("preview-failed");
        if (focusAfter) target.focus();
        announce(region.dataset.updated);
      })
      .catch(function () {
        region.classList.add("preview-failed");
        announce(region.dataset.failed);
      })
      .then(function () {
        inFlight = false;
        if (again) {
          var focus = focusAgain;
          again = false;
          focusAgain = false;
          update(focus);
        }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      update(false);
    }, WAIT);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // Rows added or removed in place (form.js) change the data without an input event.
  form.addEventListener("click", later);
  details.addEventListener("toggle", function () {
    if (details.open) update(false);
  });
  button.addEventListener("click", function (event) {
    event.preventDefault();
    details.open = true;
    update(true);
  });

  // Beside the form there is room to show it at once; on a phone it waits behind its toggle.
  if (window.matchMedia("(min-width: 64rem)").matches) details.open = true;
  if (details.open) update(false);
})();
