/* Progressive enhancement only: every page works without this file.
   - Actions that ask first (withdraw, Figure 5; delete) open their question in a native <dialog>
     instead of going to the confirmation page.
   - The error summary takes the focus, so a screen reader reads what to fix first.
   - The postal address of the result delivery shows only when post is chosen. */
(function () {
  "use strict";

  function enhanceDialogs() {
    if (typeof HTMLDialogElement !== "function") { return; }
    document.querySelectorAll("a[data-dialog]").forEach(function (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog"));
      if (!dialog) { return; }
      opener.setAttribute("role", "button");
      opener.setAttribute("aria-haspopup", "dialog");
      opener.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); opener.click(); }
      });
      opener.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.showModal();
      });
      dialog.addEventListener("close", function () { opener.focus(); });
    });
  }

  function focusErrors() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
  }

  function togglePostalAddress() {
    document.querySelectorAll("form[data-delivery-form]").forEach(function (form) {
      var postal = form.querySelector("[data-postal-only]");
      if (!postal) { return; }
      function update() {
        var chosen = form.querySelector("input[name='method']:checked");
        postal.hidden = !(chosen && chosen.value === "postal");
      }
      form.addEventListener("change", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceDialogs();
    togglePostalAddress();
    focusErrors();
  });
}());
