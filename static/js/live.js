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

// Buttons that end something ask first (data-confirm holds the question).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
