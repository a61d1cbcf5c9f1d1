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
  // a draft that arrived while the page was open goes into the box if the box is empty
  document.body.addEventListener("htmx:afterSwap", function () {
    var box = document.getElementById("reply-body"), draft = document.getElementById("draft-text");
    if (box && draft && draft.value && !box.value.trim()) {
      box.value = draft.value;
      box.dispatchEvent(new Event("input"));
    }
  });
  var source = new EventSource(thread.getAttribute("data-live"));
  source.addEventListener("changed", refresh);
})();

// Canned replies with "/": typing "/" and a shortcut's first letters (at the start of the box or
// after a space) lists the matching canned replies under the box; Up/Down choose, Enter or Tab
// (or a tap) puts the text in place of "/shortcut", Escape closes the list. The texts come from
// the page's own list (the <select> under the box, filled in for this customer by the server),
// which is what a rep without JavaScript uses.
(function () {
  "use strict";
  var box = document.getElementById("reply-body");
  var list = document.getElementById("canned-suggest");
  var select = document.getElementById("canned");
  if (!box || !list || !select) { return; }
  var options = Array.from(select.options).filter(function (o) { return o.value; }).map(function (o) {
    return { shortcut: o.getAttribute("data-shortcut"), text: o.getAttribute("data-text") };
  });
  var shown = [], chosen = 0;

  function token() {
    var before = box.value.slice(0, box.selectionStart);
    var m = /(^|\s)\/([a-z0-9-]*)$/i.exec(before);
    return m ? { start: before.length - m[2].length - 1, typed: m[2].toLowerCase() } : null;
  }
  function close() { list.hidden = true; shown = []; box.removeAttribute("aria-activedescendant"); }
  function render() {
    list.textContent = "";
    shown.forEach(function (o, i) {
      var li = document.createElement("li");
      li.id = "canned-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === chosen ? "true" : "false");
      var name = document.createElement("strong");
      name.textContent = "/" + o.shortcut;
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = o.text;
      li.appendChild(name);
      li.appendChild(text);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = shown.length === 0;
    if (shown.length) { box.setAttribute("aria-activedescendant", "canned-option-" + chosen); }
  }
  function update() {
    var t = token();
    if (!t) { close(); return; }
    shown = options.filter(function (o) { return o.shortcut.indexOf(t.typed) === 0; });
    chosen = 0;
    render();
  }
  function choose(i) {
    var t = token(), o = shown[i];
    if (!t || !o) { close(); return; }
    var end = box.selectionStart;
    box.value = box.value.slice(0, t.start) + o.text + box.value.slice(end);
    var caret = t.start + o.text.length;
    box.setSelectionRange(caret, caret);
    close();
    box.dispatchEvent(new Event("input"));
    box.focus();
  }
  box.addEventListener("input", update);
  box.addEventListener("keydown", function (e) {
    if (list.hidden) { return; }
    if (e.key === "ArrowDown") { chosen = (chosen + 1) % shown.length; render(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { chosen = (chosen + shown.length - 1) % shown.length; render(); e.preventDefault(); }
    else if (e.key === "Enter" || e.key === "Tab") { choose(chosen); e.preventDefault(); }
    else if (e.key === "Escape") { close(); e.preventDefault(); }
  });
  // leaving the box closes the list (after a moment, so a tap on it still counts), unless the
  // box has the focus again by then
  box.addEventListener("blur", function () {
    setTimeout(function () { if (document.activeElement !== box) { close(); } }, 150);
  });
})();

// The latest text in view: the history box (on wide screens it scrolls by itself) starts at its
// end, on load and after a live refresh brings a new text.
(function () {
  "use strict";
  function toLatest() {
    var h = document.getElementById("history");
    if (h && h.scrollHeight > h.clientHeight) { h.scrollTop = h.scrollHeight; }
  }
  toLatest();
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target && e.target.id === "history") { toLatest(); }
  });
})();

// Keys on the conversation (not while typing in a field): r puts the cursor in the reply box,
// / opens the canned replies there.
(function () {
  "use strict";
  var box = document.getElementById("reply-body");
  if (!box) { return; }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (typing || e.ctrlKey || e.metaKey || e.altKey || box.disabled) { return; }
    if (e.key === "r") {
      box.focus();
      e.preventDefault();
    } else if (e.key === "/") {
      box.focus();
      if (box.value === "") {
        box.value = "/";
        box.dispatchEvent(new Event("input"));
      }
      e.preventDefault();
    }
  });
})();
