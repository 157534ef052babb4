/* Progressive enhancement only: every page works without this file.
   - Actions that ask first (withdraw, Figure 5; delete) open their question in a native <dialog>
     instead of going to the confirmation page.
   - A staff form that asks first (reject) opens its question in a <dialog> instead of the confirmation page;
     the dialog's button sends the form itself, confirmed.
   - The error summary takes the focus, so a screen reader reads what to fix first; a link of it puts the
     focus in its field (a link to a place on the page only scrolls there).
   - The postal address of the result delivery shows only when post is chosen.
   - A document's upload says on its row, before sending, when the chosen files are over what one upload may
     carry (the gateway would refuse the whole request before any page could say why), and its button says
     the upload is under way, so that it is not pressed twice. */
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

  function confirmBeforeSending() {
    if (typeof HTMLDialogElement !== "function") { return; }
    document.querySelectorAll("form[data-confirm-dialog]").forEach(function (form) {
      var dialog = document.getElementById(form.getAttribute("data-confirm-dialog"));
      if (!dialog) { return; }
      var reason = form.querySelector("textarea[name='reason']");
      form.addEventListener("submit", function (event) {
        if (event.submitter && event.submitter.name === "confirmed") { return; }
        // Nothing typed: the page says so under the field, there is nothing to confirm yet.
        if (reason && !reason.value.trim()) { return; }
        event.preventDefault();
        var quoted = dialog.querySelector("[data-confirm-reason]");
        if (quoted && reason) { quoted.textContent = reason.value.trim(); }
        dialog.showModal();
      });
      dialog.addEventListener("close", function () {
        var button = form.querySelector("button[type='submit']");
        if (button) { button.focus(); }
      });
    });
  }

  function focusErrors() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
    document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) { return; }
        // The address still names the field, as without scripts; the focus goes into it.
        event.preventDefault();
        history.pushState(null, "", link.getAttribute("href"));
        field.scrollIntoView({block: "center"});
        field.focus();
      });
    });
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

  function guardUploads() {
    document.querySelectorAll("form[data-upload]").forEach(function (form) {
      var input = form.querySelector("input[type='file']");
      var button = form.querySelector("button[type='submit']");
      var cap = Number(form.getAttribute("data-max-bytes")) || 0;
      if (!input || !button) { return; }
      form.addEventListener("submit", function (event) {
        var total = 0;
        Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
        var message = form.querySelector("[data-size-error]");
        if (cap && total > cap) {
          event.preventDefault();
          if (!message) {
            message = document.createElement("p");
            message.className = "field-error";
            message.id = input.id + "-size-error";
            message.setAttribute("data-size-error", "");
            message.setAttribute("role", "alert");
            input.parentNode.insertBefore(message, input);
            input.setAttribute("aria-describedby", message.id);
          }
          message.textContent = "Các tệp đã chọn lớn hơn " + form.getAttribute("data-max-size") +
            ", dung lượng tối đa của một lần tải lên. Vui lòng chọn ít tệp hơn hoặc tải lên từng tệp.";
          input.focus();
          return;
        }
        if (message) { message.remove(); }
        button.disabled = true;
        button.textContent = "Đang tải lên…";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceDialogs();
    confirmBeforeSending();
    guardUploads();
    togglePostalAddress();
    focusErrors();
  });
}());
