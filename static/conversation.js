// The conversation page: the character and segment count under the reply box, updated as the
// rep types (the server computes the same count when it renders the page: domain/sms.rs).
(function () {
  "use strict";
  var GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM_EXT = "\f^{}\\[~]|€";
  var MAX = 1600;

  function size(text) {
    var body = text.trim();
    var chars = Array.from(body).length;
    var septets = 0, gsm = true;
    Array.from(body).forEach(function (c) {
      if (GSM.indexOf(c) >= 0) { septets += 1; }
      else if (GSM_EXT.indexOf(c) >= 0) { septets += 2; }
      else { gsm = false; }
    });
    var units = gsm ? septets : body.length; // String length counts UTF-16 units
    var single = gsm ? 160 : 70, part = gsm ? 153 : 67;
    var segments = units === 0 ? 0 : (units <= single ? 1 : Math.ceil(units / part));
    return chars + " / " + MAX + " characters · " + segments + (segments === 1 ? " text" : " texts") +
      " (" + (gsm ? "GSM-7" : "UCS-2") + ")";
  }

  var box = document.getElementById("reply-body");
  var out = document.getElementById("reply-size");
  if (!box || !out) { return; }
  function update() {
    out.textContent = size(box.value);
    out.classList.toggle("over", Array.from(box.value.trim()).length > MAX);
  }
  box.addEventListener("input", update);
  update();
})();

// Live: Server-Sent Events say when the conversation changed (a text in, a status, STOP/START,
// a draft); htmx then swaps in the history, the verdict, the buttons and the card's consent
// from a fresh render of this page. What the rep is typing is left alone. Without JavaScript
// (or EventSource) the page works the same, only not live.
(function () {
  "use strict";
  var thread = document.querySelector("[data-live]");
  if (!thread || !window.EventSource) { return; }
  var parts = ["#history", "#verdict", "#reply-actions", "#card-consent", "#consent-history", "#drafts-waiting"];
  function refresh() {
    if (!window.htmx) { return; }
    var here = window.location.pathname;
    // one request per part, each from its own element (htmx lets one element have one
    // request in flight, and would drop the others)
    parts.forEach(function (sel) {
      var el = document.querySelector(sel);
      if (!el) { return; }
      window.htmx.ajax("GET", here, { source: el, target: el, select: sel, swap: "outerHTML" });
    });
  }
  var source = new EventSource(thread.getAttribute("data-live"));
  source.addEventListener("changed", refresh);
})();
