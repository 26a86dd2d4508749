// Invitation links: a Copy button beside each link's read-only field. Without
// JavaScript the buttons stay hidden and the field is selected to copy by hand.
(function () {
  "use strict";

  function announce(button, text) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) status.textContent = text;
  }

  function copy(button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    field.focus();
    field.select();
    var done = function () { announce(button, button.dataset.copied || "Copied"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (document.execCommand("copy")) done();
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button.copy-link[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
    document.querySelectorAll("input.invitation-link").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
    document.querySelectorAll("button.print-sheet").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
