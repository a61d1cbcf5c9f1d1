// The inbox keyboard: j/k move, Enter opens, e closes, s snoozes, x selects, / searches,
// ? shows the list of keys. Everything it does is a link or a button that works without it.
(function () {
  "use strict";
  var list = document.getElementById("threads");
  var rows = list ? Array.prototype.slice.call(list.querySelectorAll("li.thread")) : [];
  var current = -1;

  function link(i) {
    return rows[i].querySelector("a.open");
  }

  function select(i) {
    if (!rows.length) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0) rows[current].classList.remove("current");
    current = i;
    rows[i].classList.add("current");
    link(i).focus();
  }

  // a row takes the keyboard's place when a rep clicks or tabs into it
  rows.forEach(function (row, i) {
    row.addEventListener("focusin", function () {
      if (current >= 0 && current !== i) rows[current].classList.remove("current");
      current = i;
      row.classList.add("current");
    });
  });

  function press(selector) {
    if (current < 0) return;
    var b = rows[current].querySelector(selector);
    if (b) b.click();
  }

  function typing(el) {
    if (!el) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !/^(checkbox|radio|submit|button)$/.test(el.type);
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var keys = document.getElementById("keys");
    if (typing(e.target)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    switch (e.key) {
      case "j":
        select(current + 1);
        break;
      case "k":
        select(current < 0 ? 0 : current - 1);
        break;
      case "Enter":
        // on the row's link the browser follows it; anywhere else, open the current row
        if (current < 0 || document.activeElement === link(current)) return;
        if (e.target.tagName === "BUTTON" || e.target.tagName === "A") return;
        window.location.href = link(current).href;
        break;
      case "e":
        press(".row-close");
        break;
      case "s":
        press(".row-snooze");
        break;
      case "x":
        if (current >= 0) {
          var box = rows[current].querySelector("input.pick");
          box.checked = !box.checked;
        }
        break;
      case "/":
        var q = document.getElementById("inbox-q");
        if (q) q.focus();
        break;
      case "?":
        if (keys) {
          keys.open = !keys.open;
          if (keys.open) keys.scrollIntoView({ block: "nearest" });
        }
        break;
      case "Escape":
        if (keys) keys.open = false;
        break;
      default:
        return;
    }
    e.preventDefault();
  });
})();

// Live: when a text comes in or goes out, the list reloads itself, unless the rep is in the
// middle of something (rows ticked, a field in use, the keys list open, a key pressed in the
// last few seconds); then a notice offers the reload. (/threads/events, Server-Sent Events.)
(function () {
  "use strict";
  var form = document.getElementById("inbox-form");
  if (!form || !window.EventSource) { return; }
  var lastKey = 0;
  document.addEventListener("keydown", function () { lastKey = Date.now(); });
  function busy() {
    var a = document.activeElement;
    var typing = a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT");
    var keys = document.querySelector("details.keys");
    return typing || (keys && keys.open) || form.querySelector("input.pick:checked") !== null ||
      Date.now() - lastKey < 5000;
  }
  function notice() {
    if (document.getElementById("inbox-news")) { return; }
    var p = document.createElement("p");
    p.className = "notice ok";
    p.id = "inbox-news";
    var link = document.createElement("a");
    link.href = window.location.href;
    link.textContent = "New activity: show it";
    p.appendChild(link);
    form.parentNode.insertBefore(p, form);
  }
  var source = new EventSource("/threads/events");
  source.addEventListener("changed", function () {
    if (busy()) { notice(); } else { window.location.reload(); }
  });
})();
