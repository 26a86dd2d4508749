// Counter-proposal form: mark each field whose value differs from the
// revision it starts from (the values the page was rendered with).
(function () {
  "use strict";

  function differs(field) {
    var inputs = field.querySelectorAll("input, textarea, select");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked !== input.defaultChecked) return true;
      } else if (input.tagName === "SELECT") {
        for (var j = 0; j < input.options.length; j++) {
          if (input.options[j].selected !== input.options[j].defaultSelected) return true;
        }
      } else if (input.value !== input.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function refresh(form) {
    form.querySelectorAll(".form-field").forEach(function (field) {
      var changed = differs(field);
      field.classList.toggle("changed", changed);
      var mark = field.querySelector(".changed-mark");
      if (mark) mark.hidden = !changed;
    });
  }

  function setUp() {
    document.querySelectorAll("form[data-mark-changes]").forEach(function (form) {
      form.addEventListener("input", function () { refresh(form); });
      form.addEventListener("change", function () { refresh(form); });
      refresh(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
