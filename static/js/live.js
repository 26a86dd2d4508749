// Live regions poll with a conditional request: the region carries the ETag
// of what it shows, the server answers 304 when nothing changed, and htmx is
// configured (meta htmx-config) not to swap on 304. Sending If-None-Match
// ourselves makes the browser hand the 304 to htmx instead of its cache copy.
//
// A write from the item page names what the discussion shows (X-Live-Etag),
// so the answer can be a delta too. A delta (X-Live-Delta) comes back with
// HX-Reswap: none: htmx applies its out-of-band rows and we keep its tag.
document.addEventListener("htmx:configRequest", function (event) {
  var etag = event.detail.elt.getAttribute("data-etag");
  if (etag && event.detail.verb === "get") {
    event.detail.headers["If-None-Match"] = etag;
  }
  var discussion = document.getElementById("discussion");
  if (discussion && event.detail.verb !== "get" && discussion.getAttribute("data-etag")) {
    event.detail.headers["X-Live-Etag"] = discussion.getAttribute("data-etag");
  }
});

document.addEventListener("htmx:afterRequest", function (event) {
  var xhr = event.detail.xhr;
  var discussion = document.getElementById("discussion");
  if (discussion && xhr && xhr.status === 200 && xhr.getResponseHeader("X-Live-Delta") !== null) {
    var etag = xhr.getResponseHeader("ETag");
    if (etag) {
      discussion.setAttribute("data-etag", etag);
    }
  }
});

// A link to #comment-ID of a comment on another page of the discussion:
// load the page that holds it (?comment=ID is the permalink the server reads).
(function () {
  var match = /^#comment-(\d+)$/.exec(window.location.hash);
  if (match && document.getElementById("discussion") && !document.getElementById("comment-" + match[1])) {
    var url = new URL(window.location.href);
    url.searchParams.delete("page");
    url.searchParams.set("comment", match[1]);
    window.location.replace(url.toString());
  }
})();

// Refused actions come back as 400/403 with a short message fragment: show
// it in the region's status line rather than replacing the discussion.
// A failed poll (GET) changes nothing on the page and steals no focus.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status < 400) {
    return;
  }
  event.detail.shouldSwap = false;
  var isGet = event.detail.requestConfig && event.detail.requestConfig.verb === "get";
  // A form shows its own errors next to it; other actions use the status line.
  var form = event.detail.elt.closest && event.detail.elt.closest("form");
  var box = (form && form.querySelector(".form-status")) ||
    document.getElementById("action-status");
  if (!isGet && status < 500 && box) {
    box.innerHTML = event.detail.serverResponse;
    box.focus();
  }
});

// Consequential actions ask first (dialogue/views/confirm.py). The page
// offers them as GET forms to the confirm step; htmx brings that step into
// the page's <dialog> instead of a new page. Cancel (or Escape) closes it and
// gives the focus back to the button that opened it; a confirmed action that
// htmx sends closes it once it succeeded.
(function () {
  var opener = null;

  function confirmBox() {
    return document.getElementById("confirm-dialog");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = confirmBox();
    if (box && event.detail.target === box) {
      var elt = event.detail.elt;
      opener = elt.tagName === "FORM" ? elt.querySelector("button") : elt;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = confirmBox();
    if (!box || event.detail.target !== box) {
      return;
    }
    box.setAttribute("aria-labelledby", "confirm-heading");
    if (!box.open) {
      box.showModal();
    }
    var first = box.querySelector("#confirm-reason") ||
      box.querySelector("[data-confirm-cancel]");
    if (first) {
      first.focus();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var box = confirmBox();
    if (box && box.open && event.detail.successful &&
        event.detail.target !== box && box.contains(event.detail.elt)) {
      box.close();
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest &&
      event.target.closest("#confirm-dialog [data-confirm-cancel]");
    if (cancel) {
      event.preventDefault();
      confirmBox().close();
    }
  });

  // "close" does not bubble: listen in the capture phase.
  document.addEventListener("close", function (event) {
    var box = confirmBox();
    if (event.target !== box) {
      return;
    }
    box.innerHTML = "";
    box.removeAttribute("aria-labelledby");
    var back = opener && document.body.contains(opener) ? opener :
      document.getElementById("action-status");
    opener = null;
    if (back) {
      back.focus();
    }
  }, true);
})();

// "Reply" opens its form under the comment (the link's href, the item page
// with the form set to reply, is the fallback without JavaScript). The form
// takes the focus; Cancel empties the slot and gives the focus back.
document.addEventListener("htmx:afterSwap", function (event) {
  var slot = event.detail.target;
  if (slot.classList && slot.classList.contains("reply-slot")) {
    var body = slot.querySelector("textarea");
    if (body) {
      body.focus();
    }
  }
});

document.addEventListener("click", function (event) {
  var cancel = event.target.closest && event.target.closest("[data-reply-cancel]");
  var slot = cancel && cancel.closest(".reply-slot");
  if (!slot) {
    return;
  }
  event.preventDefault();
  slot.innerHTML = "";
  var reply = document.querySelector('[aria-controls="' + slot.id + '"]');
  if (reply) {
    reply.focus();
  }
});
