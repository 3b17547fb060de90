// Switching language keeps what was typed but not sent yet.
// The language links are plain links (they work without JavaScript, and the
// server keeps every answer already sent); a form's unsent fields would be
// lost with them. Here they are put aside in this tab's sessionStorage when a
// language link is followed, put back on the same page in the new language,
// and deleted at once: nothing is kept longer, nor sent anywhere.
(function () {
  "use strict";
  var KEY = "rcs-typed";
  var storage;
  try { storage = window.sessionStorage; } catch (e) { return; }
  if (!storage || !window.JSON || !document.querySelectorAll) { return; }

  // Text, choices and lists; never the form token or a password.
  function fields() {
    return Array.prototype.filter.call(
      document.querySelectorAll("form[method=post] input, form[method=post] textarea, form[method=post] select"),
      function (field) {
        return field.name && field.name !== "csrf_token" && field.type !== "password" &&
          field.type !== "hidden" && field.type !== "submit" && field.type !== "button";
      });
  }

  function keep() {
    var typed = {};
    fields().forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        typed[field.name + "=" + field.value] = field.checked;
      } else {
        typed[field.name] = field.value;
      }
    });
    storage.setItem(KEY, JSON.stringify({ path: window.location.pathname, typed: typed }));
  }

  function restore() {
    var kept;
    try { kept = JSON.parse(storage.getItem(KEY) || "null"); } catch (e) { kept = null; }
    storage.removeItem(KEY);
    if (!kept || kept.path !== window.location.pathname) { return; }
    fields().forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        var key = field.name + "=" + field.value;
        if (Object.prototype.hasOwnProperty.call(kept.typed, key)) { field.checked = kept.typed[key]; }
      } else if (Object.prototype.hasOwnProperty.call(kept.typed, field.name)) {
        field.value = kept.typed[field.name];
      }
    });
  }

  restore();
  Array.prototype.forEach.call(document.querySelectorAll(".lang-switch a"), function (link) {
    link.addEventListener("click", keep);
  });
}());
