// Progressive enhancement of /chat: the page already works as a plain form.
// Here the form posts JSON instead, new messages are appended to the log
// (role="log", aria-live="polite" announces them) and focus stays usable.
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  var log = document.getElementById("chat-list");
  var buttonsBox = document.getElementById("chat-buttons");
  var input = document.getElementById("chat-message");
  var send = document.getElementById("chat-send");
  var error = document.getElementById("chat-error");
  if (!form || !log || !window.fetch || !window.JSON) { return; }
  var endpoint = form.getAttribute("action") + "/api/message";
  var tokenField = form.querySelector("input[name=csrf_token]");
  var busy = false;

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "chat-hint chat-error");
    input.focus();
  }

  function clearError() {
    error.textContent = "";
    error.hidden = true;
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", "chat-hint");
  }

  function appendHtml(container, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    container.appendChild(template.content);
  }

  function replaceButtons(html) {
    buttonsBox.innerHTML = "";
    appendHtml(buttonsBox, html || "");
  }

  function post(body) {
    if (busy) { return; }
    busy = true;
    send.disabled = true;
    form.setAttribute("aria-busy", "true");
    clearError();
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    if (tokenField) { headers["X-CSRFToken"] = tokenField.value; }
    fetch(endpoint, { method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        var data = result.data || {};
        if (data.html !== undefined) {
          // The bot is back: the notice about it being down no longer applies.
          var notice = document.querySelector(".chat-unavailable");
          if (notice) { notice.parentNode.removeChild(notice); }
          var old = document.getElementById("dernier-message");
          if (old) { old.removeAttribute("id"); old.removeAttribute("tabindex"); }
          appendHtml(log, data.html);
          replaceButtons(data.buttons_html);
          input.value = "";
          // An answer that offers a choice (the orientation, a question with
          // buttons) must be read from its start: it is scrolled to the top
          // of the screen and takes focus, so that Tab then reaches its links
          // and its buttons in order. Otherwise focus stays in the message
          // box, which stays in view: one does not type into a hidden field.
          var start = document.getElementById("dernier-message");
          if (start && buttonsBox.querySelector("button")) {
            if (start.scrollIntoView) { start.scrollIntoView({ block: "start" }); }
            start.focus({ preventScroll: true });
          } else {
            input.focus();
          }
          return;
        }
        if (data.unavailable && data.fallback_html) {
          var existing = document.querySelector(".chat-unavailable");
          if (!existing) { appendHtml(document.querySelector(".chat"), data.fallback_html); }
        }
        var messages = (data.errors || []).map(function (e) { return e.message; });
        showError(messages.join(" ") || error.getAttribute("data-generic") || "Erreur");
      })
      .catch(function () {
        // Network trouble: fall back to the plain form post, which always works.
        form.submit();
      })
      .then(function () {
        busy = false;
        send.disabled = false;
        form.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.name === "button") {
      post({ button: submitter.value });
    } else {
      post({ message: input.value });
    }
  });

  // Enter sends, Shift+Enter makes a new line, as in most chat boxes.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      post({ message: input.value });
    }
  });
}());
