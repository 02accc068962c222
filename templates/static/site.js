// journeymaps site: filters and search. Text from maps only ever goes through textContent.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";

  // Filters: every select[data-filter] keeps the .card elements whose data-* matches.
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  function applyFilters() {
    var cards = document.querySelectorAll(".card[data-team]");
    var shown = 0;
    Array.prototype.forEach.call(cards, function (card) {
      var visible = selects.every(function (select) {
        var wanted = select.value;
        if (!wanted) return true;
        var have = card.getAttribute("data-" + select.getAttribute("data-filter")) || "";
        return select.getAttribute("data-filter") === "team" ? have.split(" ").indexOf(wanted) >= 0 : have === wanted;
      });
      card.hidden = !visible;
      if (visible) shown++;
    });
    var count = document.querySelector("[data-count]");
    if (count) count.textContent = String(shown);
    var empty = document.querySelector("[data-empty]");
    if (empty) empty.hidden = shown !== 0;
  }
  selects.forEach(function (select) { select.addEventListener("change", applyFilters); });
  if (selects.length) applyFilters();

  // Search over the prebuilt index (static/search-index.js).
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var index = window.JOURNEYMAPS_SEARCH || [];
  if (!input || !list) return;
  function fold(text) { return (text || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
  var folded = index.map(function (e) { return {e: e, t: fold(e.t), x: fold(e.x)}; });
  function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
  function search() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!words.length) { close(); return; }
    var hits = folded.filter(function (f) {
      return words.every(function (w) { return f.t.indexOf(w) >= 0 || f.x.indexOf(w) >= 0; });
    }).sort(function (a, b) {
      var at = words.every(function (w) { return a.t.indexOf(w) >= 0; }) ? 0 : 1;
      var bt = words.every(function (w) { return b.t.indexOf(w) >= 0; }) ? 0 : 1;
      return at - bt;
    }).slice(0, 20);
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "Nothing found";
      list.appendChild(none);
    }
    hits.forEach(function (f) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + f.e.u;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = f.e.k;
      a.appendChild(kind);
      a.appendChild(document.createTextNode(f.e.t));
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; close(); }
    if (event.key === "ArrowDown") { var first = list.querySelector("a"); if (first) { event.preventDefault(); first.focus(); } }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < links.length - 1) { event.preventDefault(); links[i + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    if (event.key === "Escape") { close(); input.focus(); }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) close();
  });
})();
