// Priority ranking: drag and drop, Move up / Move down buttons and position
// selects, all kept in step. Without this script the selects alone make a
// plain form; with it, the list order is the ballot and each select mirrors
// its row's position, so the server receives the same fields either way.
(function () {
  "use strict";

  function rows(list) {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > li"));
  }

  function titleOf(row) {
    var title = row.querySelector(".ranking-title");
    return title ? title.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function enhance(form) {
    var list = form.querySelector("[data-ranking-list]");
    var status = form.querySelector("[data-ranking-status]");
    var template = form.getAttribute("data-moved") || "";
    if (!list) {
      return;
    }
    form.classList.add("ranking-enhanced");
    form.querySelectorAll(".ranking-help-js, .ranking-move").forEach(function (el) {
      el.hidden = false;
    });
    form.querySelectorAll(".ranking-help-plain").forEach(function (el) {
      el.hidden = true;
    });

    function renumber() {
      var all = rows(list);
      all.forEach(function (row, index) {
        var select = row.querySelector("select");
        if (select) {
          select.value = String(index + 1);
        }
        var up = row.querySelector("[data-move=up]");
        var down = row.querySelector("[data-move=down]");
        if (up) {
          up.disabled = index === 0;
        }
        if (down) {
          down.disabled = index === all.length - 1;
        }
      });
    }

    function announce(row) {
      if (!status) {
        return;
      }
      var all = rows(list);
      status.textContent = template
        .replace("%(title)s", titleOf(row))
        .replace("%(position)s", String(all.indexOf(row) + 1))
        .replace("%(count)s", String(all.length));
    }

    function moveTo(row, index) {
      var others = rows(list).filter(function (r) {
        return r !== row;
      });
      index = Math.max(0, Math.min(index, others.length));
      list.insertBefore(row, others[index] || null);
      renumber();
      announce(row);
    }

    // Buttons: the moved row keeps keyboard focus on the button pressed, or on
    // its other button when it reaches the end of the list.
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button || !list.contains(button)) {
        return;
      }
      var row = button.closest("li");
      var index = rows(list).indexOf(row);
      var up = button.getAttribute("data-move") === "up";
      moveTo(row, up ? index - 1 : index + 1);
      var focus = button.disabled
        ? row.querySelector(up ? "[data-move=down]" : "[data-move=up]")
        : button;
      if (focus) {
        focus.focus();
      }
    });

    // A chosen position moves the row there; the others close up.
    list.addEventListener("change", function (event) {
      var select = event.target;
      if (select.tagName !== "SELECT") {
        return;
      }
      var row = select.closest("li");
      moveTo(row, parseInt(select.value, 10) - 1);
      select.focus();
    });

    // Drag and drop (HTML5). Rows are draggable; a dragged row follows the
    // pointer and lands where it is dropped.
    var dragged = null;
    rows(list).forEach(function (row) {
      row.setAttribute("draggable", "true");
    });
    list.addEventListener("dragstart", function (event) {
      var row = event.target.closest && event.target.closest("li");
      if (!row || !list.contains(row)) {
        return;
      }
      dragged = row;
      row.classList.add("ranking-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.getAttribute("data-item-id"));
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) {
        return;
      }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      var over = event.target.closest && event.target.closest("li");
      if (!over || over === dragged || !list.contains(over)) {
        return;
      }
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });
    list.addEventListener("drop", function (event) {
      if (dragged) {
        event.preventDefault();
      }
    });
    list.addEventListener("dragend", function () {
      if (!dragged) {
        return;
      }
      var row = dragged;
      dragged = null;
      row.classList.remove("ranking-dragging");
      renumber();
      announce(row);
    });

    renumber();
  }

  // Forms that change something for everyone ask first.
  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-ranking-form]").forEach(enhance);
    confirmations();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
