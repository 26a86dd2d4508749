// The citation picker of the report draft: an Insert button beside each
// remark's reference puts it at the cursor of the text area last focused.
// Without JavaScript the buttons stay hidden and the reference is copied by hand.
(function () {
  "use strict";

  var last = null;

  function insert(ref) {
    var area = last || document.querySelector("textarea.report-text");
    if (!area) return;
    var start = area.selectionStart || 0;
    var end = area.selectionEnd || start;
    var value = area.value;
    area.value = value.slice(0, start) + ref + value.slice(end);
    var cursor = start + ref.length;
    area.focus();
    area.setSelectionRange(cursor, cursor);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.report-text").forEach(function (area) {
      area.addEventListener("focus", function () { last = area; });
    });
    document.querySelectorAll("button.cite-insert[data-ref]").forEach(function (button) {
      button.hidden = false;
      // Keep the text area's selection: the button does not take the focus.
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () { insert(button.dataset.ref); });
    });
  });
})();
