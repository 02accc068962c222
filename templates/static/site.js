// journeymaps site: filters and search. Text from maps only ever goes through textContent.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";

  // Filters: every select[data-filter] keeps the [data-team]-style items whose data-* matches
  // (cards, and the rows of ranked tables). The choice lives in the URL's hash, so a link or
  // the back button shows the same selection, and the page is filtered as it is shown.
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  // get(name): what an item says for a filter (null: it does not say, so it is not about it).
  function matches(get) {
    return selects.every(function (select) {
      var wanted = select.value;
      if (!wanted) return true;
      var name = select.getAttribute("data-filter");
      var have = get(name);
      if (have === null) return true;  // the item does not say: this filter is not about it
      return name === "team" ? have.split(" ").indexOf(wanted) >= 0 : have === wanted;
    });
  }
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }
  // A count with data-nouns="opportunity|opportunities" is written with its noun: "1 opportunity", not "1 opportunities".
  function counted(count, n) {
    var nouns = count.getAttribute("data-nouns");
    if (!nouns) return String(n);
    var pair = nouns.split("|");
    return n + " " + (n === 1 ? pair[0] : pair[1]);
  }
  function countTo(shown) {
    each("[data-count]", function (count) { count.textContent = counted(count, shown); });
    each("[data-count-rows]", function (count) {
      var rows = document.querySelectorAll(count.getAttribute("data-count-rows"));
      count.textContent = counted(count, Array.prototype.filter.call(rows, function (r) {
        var list = r.closest("[data-filtered], [data-paged]");  // a paged table's rows show in one of two
        return !r.hidden && !(list && list.hidden);
      }).length);
    });
    var empty = document.querySelector("[data-empty]");
    if (empty) empty.hidden = shown !== 0;
  }
  function filterInPlace() {
    var shown = 0;
    each(".card[data-team], .filterable", function (item) {
      if (item.closest("[data-filtered]")) return;
      var visible = matches(function (name) { return item.getAttribute("data-" + name); });
      item.hidden = !visible;
      if (visible && item.classList.contains("card")) shown++;
    });
    // A summarised matrix: each cell's count, for the team chosen, and its link filtered too.
    var team = selects.filter(function (s) { return s.getAttribute("data-filter") === "team"; })[0];
    each("[data-cell-count]", function (count) {
      var n = Number(count.getAttribute("data-all"));
      if (team && team.value) {
        n = 0;
        count.getAttribute("data-cell-count").split(" ").forEach(function (pair) {
          var kv = pair.split("=");
          if (kv[0] === team.value) n = Number(kv[1]);
        });
      }
      count.textContent = String(n);
      var link = count.closest("a");
      link.href = link.getAttribute("href").replace(/#.*$/, "") + (team && team.value ? "#team=" + encodeURIComponent(team.value) : "");
      shown += n;
    });
    return shown;
  }

  // A list in numbered pages (the home page's cards, the portfolio's pain points): a filter
  // searches every item, from the script the list names (static/cards.js, static/pains.js;
  // loaded when a filter is first used), and shows the matches in a list of their own, a
  // page at a time; with no filter, the page's own items and the page numbers show again.
  var paged = document.querySelector("[data-paged]");
  var filtered = document.querySelector("[data-filtered]");
  var rowsMode = !!(filtered && filtered.hasAttribute("data-rows-script"));
  var more = document.querySelector("[data-more]");
  var everyCard = null, cardsRequested = false, limit = 0;
  var pageSize = filtered ? Number(filtered.getAttribute("data-page-size")) || 48 : 0;
  window.JOURNEYMAPS_CARDS = function (cards) { everyCard = cards; applyFilters(); };
  // The rows come in one script per team (static/pains/<team>.js): only the chosen team's loads.
  var rowsOf = {}, rowsRequested = {};
  window.JOURNEYMAPS_ROWS = function (team, rows) { rowsOf[team] = rows; applyFilters(); };
  function chosenTeam() {
    var team = selects.filter(function (s) { return s.getAttribute("data-filter") === "team"; })[0];
    return team ? team.value : "";
  }
  function loadCards() {
    var script = document.createElement("script");
    if (rowsMode) {
      var team = chosenTeam();
      if (rowsRequested[team]) return;
      rowsRequested[team] = true;
      script.src = filtered.getAttribute("data-rows-script") + encodeURIComponent(team) + ".js";
    } else {
      if (cardsRequested) return;
      cardsRequested = true;
      script.src = filtered.getAttribute("data-cards-script");
    }
    document.body.appendChild(script);
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // A badge from the data: [classes, words, title if any], its words written by the compiler.
  function badge(b) {
    var span = el("span", b[0], b[1]);
    if (b[2]) span.title = b[2];
    return span;
  }
  function fact(dl, term, name) {
    var div = el("div", name || ""), dd = el("dd");
    div.appendChild(el("dt", "", term));
    div.appendChild(dd);
    dl.appendChild(div);
    return dd;
  }
  // The same card the page's template writes (templates/index.html), from its data.
  function renderCard(c) {
    var li = el("li", "card");
    li.setAttribute("data-team", c.m);
    li.setAttribute("data-persona", c.p);
    li.setAttribute("data-state", c.s);
    var h2 = el("h2"), a = el("a", "", c.t);
    a.href = root + c.u;
    h2.appendChild(a);
    li.appendChild(h2);
    var meta = el("p", "meta");
    meta.appendChild(el("span", "state " + c.s, c.s + " state"));
    if (c.w) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(badge(c.w)); }
    if (c.p) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(el("span", "", "Persona: " + c.p)); }
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("span", "", "Owner: " + c.o));
    li.appendChild(meta);
    if (c.d) li.appendChild(el("p", "", c.d));
    var dl = el("dl", "facts");
    fact(dl, "Stages").textContent = String(c.n[0]);
    fact(dl, "Open pain points").textContent = String(c.n[1]);
    fact(dl, "Open opportunities").textContent = String(c.n[2]);
    if (c.c) fact(dl, "Cost of inaction", "cost").textContent = c.c;
    var reviewed = fact(dl, "Reviewed");
    if (typeof c.r === "string") reviewed.textContent = c.r;
    else { var time = el("time", "date", c.r[1]); time.setAttribute("datetime", c.r[0]); reviewed.appendChild(time); }
    if (c.z) { reviewed.appendChild(document.createTextNode(" ")); reviewed.appendChild(el("span", "badge " + c.z, "stale")); }
    fact(dl, "Checks").appendChild(el("span", "badge " + c.h[0], c.h[1]));
    li.appendChild(dl);
    return li;
  }
  // The same row the page's template writes (templates/portfolio.html), from its data
  // (paging.rows_script): the second cell is the row's header. Each cell's column name as
  // the page's own rows have it, which a phone shows beside its value (a row as a card):
  // the rows found across pages were cards of values without their names.
  function renderRow(r) {
    var tr = el("tr", "filterable");
    var own = paged && paged.querySelector("tr");
    var labels = own ? Array.prototype.map.call(own.children, function (c) { return c.getAttribute("data-label"); }) : [];
    Object.keys(r.f).forEach(function (name) { tr.setAttribute("data-" + name, r.f[name]); });
    r.c.forEach(function (cell, i) {
      var td = el(i === 1 ? "th" : "td");
      if (i === 1) td.setAttribute("scope", "row");
      if (labels[i]) td.setAttribute("data-label", labels[i]);
      if (typeof cell === "string") { td.textContent = cell; tr.appendChild(td); return; }
      if (cell.u) { var a = el("a", "", cell.t); a.href = root + cell.u; td.appendChild(a); } else td.textContent = cell.t;
      if (cell.s) { td.appendChild(document.createTextNode(" ")); td.appendChild(el("span", "as-of", cell.s)); }
      if (cell.b) { td.appendChild(document.createTextNode(" ")); td.appendChild(badge(cell.b)); }
      tr.appendChild(td);
    });
    return tr;
  }
  function filterEveryMap() {
    var found = everyCard.filter(function (c) {
      if (rowsMode) return matches(function (name) { return name in c.f ? c.f[name] : null; });
      return matches(function (name) { return name === "team" ? c.m : name === "persona" ? c.p : name === "state" ? c.s : null; });
    });
    while (filtered.firstChild) filtered.removeChild(filtered.firstChild);
    found.slice(0, limit).forEach(function (c) { filtered.appendChild(rowsMode ? renderRow(c) : renderCard(c)); });
    if (more) {
      more.hidden = found.length <= limit;
      var left = found.length - Math.min(limit, found.length);
      var button = more.querySelector("button");
      button.textContent = "Show more " + (button.getAttribute("data-noun") || "maps") + " (" + left + " not shown yet)";
    }
    return found.length;
  }
  function showPaged(on) {
    paged.hidden = !on;
    filtered.hidden = on;
    each("[data-pager], [data-page-range]", function (node) { node.hidden = !on; });
    if (on && more) more.hidden = true;
  }
  function applyFilters() {
    var active = selects.some(function (s) { return s.value; });
    if (!paged || !filtered || !active) {
      if (paged && filtered) showPaged(true);
      countTo(filterInPlace());
      return;
    }
    if (rowsMode) everyCard = rowsOf[chosenTeam()] || null;
    if (everyCard === null) {  // until every card has arrived, this page's cards, filtered
      loadCards();
      countTo(filterInPlace());
      return;
    }
    showPaged(false);
    if (!rowsMode) { countTo(filterEveryMap()); return; }
    var found = filterEveryMap();  // rows: the count of rows is of every page's
    countTo(filterInPlace());
    each("[data-count-rows]", function (count) { count.textContent = counted(count, found); });
  }
  if (more) {
    more.querySelector("button").addEventListener("click", function () {
      var before = filtered.children.length;
      limit += pageSize;
      applyFilters();
      var next = filtered.children[before];
      var link = next && next.querySelector("a");
      if (link) link.focus();  // on to the first of the new cards or rows
    });
  }
  function fromHash() {
    var wanted = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv.length === 2) wanted[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1]);
    });
    selects.forEach(function (select) {
      var value = wanted[select.getAttribute("data-filter")];
      if (value !== undefined && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.value = value;
      }
    });
  }
  function toHash() {
    var parts = selects.filter(function (s) { return s.value; }).map(function (s) {
      return encodeURIComponent(s.getAttribute("data-filter")) + "=" + encodeURIComponent(s.value);
    });
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
  }
  limit = pageSize;
  if (selects.length) {
    selects.forEach(function (select) {
      select.addEventListener("change", function () { limit = pageSize; toHash(); applyFilters(); });
    });
    if (/=/.test(location.hash)) fromHash();
    applyFilters();
    // Back to this page: the browser may restore the selects (or the whole page) after the
    // script ran; filter again by what the selects now say, and keep the URL in step.
    window.addEventListener("pageshow", function () { applyFilters(); });
    window.addEventListener("load", function () { applyFilters(); });
    window.addEventListener("hashchange", function () { if (/=/.test(location.hash)) { fromHash(); applyFilters(); } });
  }

  // A table's "Scroll sideways for more columns" (style.css, narrow screens) only when it is
  // wider than its frame (.scrolls): under a table that fits, it asked for a scroll that did
  // nothing (and does, without the script, on none).
  // Its name for a screen reader likewise: "(scrolls sideways)" was announced on a phone's
  // KPI cards and on every table at desktop width, none of which scrolled. The page names
  // the table alone (so it claims no scroll with the script off); this adds the words.
  // The format page's example map (a <pre>) the same: its name claimed a scroll at 1280 px,
  // where it fits; and the teams page's handoff diagram on a phone, whose hint a small
  // diagram that fits the screen would not need.
  var SCROLLS = " (scrolls sideways)";
  function markFits() {
    each(".table-wrap, pre[aria-label], .diagram-scroll", function (wrap) {
      if (!wrap.clientWidth) return;  // not while hidden
      var fits = wrap.scrollWidth <= wrap.clientWidth + 1;
      wrap.classList.toggle("scrolls", !fits);
      var name = wrap.getAttribute("aria-label");
      if (!name) return;
      if (name.slice(-SCROLLS.length) === SCROLLS) name = name.slice(0, -SCROLLS.length);
      wrap.setAttribute("aria-label", fits ? name : name + SCROLLS);
    });
  }
  markFits();
  window.addEventListener("load", markFits);
  window.addEventListener("resize", markFits);

  // A diagram full size: zoom (buttons, + - 0 1 keys, Ctrl + wheel) and pan (drag, arrow keys:
  // the view is a focusable scrolling region, so arrows scroll it natively).
  (function () {
    var view = document.getElementById("diagram-view");
    var svg = view && view.querySelector("svg");
    if (!svg) return;
    var box = svg.viewBox && svg.viewBox.baseVal;
    var natural = {w: box && box.width ? box.width : svg.getBBox().width, h: box && box.height ? box.height : svg.getBBox().height};
    // Graphviz sizes in points: at 100 % a point is 4/3 of a CSS pixel, as when the SVG opens alone.
    var scale = 1;
    var level = document.querySelector("[data-zoom-level]");
    function apply(next, cx, cy) {
      var before = scale;
      scale = Math.min(8, Math.max(0.1, next));
      var fx = cx === undefined ? view.clientWidth / 2 : cx, fy = cy === undefined ? view.clientHeight / 2 : cy;
      var x = (view.scrollLeft + fx) / before, y = (view.scrollTop + fy) / before;
      svg.setAttribute("width", String(Math.round(natural.w * 4 / 3 * scale)));
      svg.setAttribute("height", String(Math.round(natural.h * 4 / 3 * scale)));
      view.scrollLeft = x * scale - fx;
      view.scrollTop = y * scale - fy;
      if (level) level.textContent = Math.round(scale * 100) + "\u2009%";
    }
    function fit() {
      return Math.min(view.clientWidth / (natural.w * 4 / 3), view.clientHeight / (natural.h * 4 / 3));
    }
    var actions = {"in": function () { apply(scale * 1.25); }, "out": function () { apply(scale / 1.25); },
      "fit": function () { apply(fit()); }, "actual": function () { apply(1); }};
    Array.prototype.forEach.call(document.querySelectorAll("[data-zoom]"), function (button) {
      button.addEventListener("click", function () { actions[button.getAttribute("data-zoom")](); });
    });
    document.addEventListener("keydown", function (event) {
      if (event.target && /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) return;
      var key = {"+": "in", "=": "in", "-": "out", "_": "out", "0": "fit", "1": "actual"}[event.key];
      if (key && !event.ctrlKey && !event.metaKey && !event.altKey) { event.preventDefault(); actions[key](); }
    });
    view.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      var r = view.getBoundingClientRect();
      apply(scale * (event.deltaY < 0 ? 1.15 : 1 / 1.15), event.clientX - r.left, event.clientY - r.top);
    }, {passive: false});
    // Drag to pan, from anywhere (a link included: a drag that moved is not a click).
    var drag = null, dragged = false;
    view.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      drag = {x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop};
      dragged = false;
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!dragged) { dragged = true; view.classList.add("dragging"); }
      view.scrollLeft = drag.left - dx;
      view.scrollTop = drag.top - dy;
      event.preventDefault();
    });
    window.addEventListener("pointerup", function () { drag = null; view.classList.remove("dragging"); });
    view.addEventListener("click", function (event) {
      if (dragged) { event.preventDefault(); event.stopPropagation(); dragged = false; }
    }, true);
    view.addEventListener("dragstart", function (event) { event.preventDefault(); });
    // It opens filling the view's width, at most at 100 %, the rest a scroll down: fitted
    // whole it opened smaller than on the map page (billing's journey at 50 % against 61 %).
    // A wide diagram on a narrow screen so fitted is too small to read (a blueprint at 16 % on
    // a phone, its text 3 px tall): it opens filling the view's height instead, and scrolls
    // sideways.
    function fitWidth() { return view.clientWidth / (natural.w * 4 / 3); }
    // The drawing's usual text size at 100 %, in CSS px: the middle of its texts' sizes
    // (Graphviz writes them in points, 4/3 of a pixel), 14 points if it has none.
    function textPx() {
      var sizes = Array.prototype.map.call(svg.querySelectorAll("text[font-size]"), function (t) {
        return parseFloat(t.getAttribute("font-size"));
      }).filter(function (n) { return n > 0; }).sort(function (a, b) { return a - b; });
      return (sizes.length ? sizes[Math.floor(sizes.length / 2)] : 14) * 4 / 3;
    }
    var widthFitted = fitWidth() < 1 && fitWidth() >= 0.5;
    var start = Math.min(1, fitWidth());
    if (start < 0.5) start = Math.max(start, Math.min(1, view.clientHeight / (natural.h * 4 / 3)));
    // On a phone that still left a journey at 46 %, its words 8 px tall: a narrow view opens
    // the diagram at a readable scale (its words about 14 px) and pans both ways from its
    // first shape (Graphviz may leave a margin before it: the first stage was off-screen).
    var READABLE = 0.75, narrow = view.clientWidth < 600 && start < READABLE;
    if (narrow) start = READABLE;
    // On a desktop, fitted to the width a wide blueprint opened at 50 % (1280 px), its words
    // 9 px tall: where fitting makes them smaller than 11 px it opens with them at the site's
    // 12 px floor (the canvas's) and scrolls sideways to the rest (a blueprint's legend, on
    // the right); Fit still shows it whole. (Down to 11 px, fitted: near the floor a pixel
    // less reads better than a sideways scroll of a few pixels.)
    var legible = Math.min(1, 12 / textPx());
    var small = !narrow && start < legible * 11 / 12;
    if (small) start = legible;
    apply(start, 0, 0);
    // A scroll bar the height brought in narrows the view: fit its width again, no sideways scroll.
    if (widthFitted && !narrow && !small && view.scrollWidth > view.clientWidth + 1) apply(Math.max(legible, fitWidth()), 0, 0);
    if (narrow) {
      var frame = view.getBoundingClientRect(), left = Infinity;
      Array.prototype.forEach.call(svg.querySelectorAll("g.node, g.cluster"), function (shape) {
        left = Math.min(left, shape.getBoundingClientRect().left);
      });
      if (left < Infinity) view.scrollLeft += Math.max(0, left - frame.left - 8);
      // The drawing's own title (Graphviz's graph label) ran off the frame's right at this
      // scale, and off its left where this screen's font is wider than the one Graphviz
      // measured (it is centred on its middle, and the view starts past the margin): it is
      // said above the view instead, where it wraps, and hidden in the drawing (not on paper);
      // not when the page's heading already says every word of it ("Service blueprint: X"
      // under "Service blueprint of X" read as the heading twice).
      var label = document.querySelector("[data-diagram-label]");
      var lines = Array.prototype.map.call(svg.querySelectorAll("g.graph > text"), function (t) { return t.textContent; });
      if (label && lines.length) {
        var words = function (text) { return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []; };
        var heading = document.querySelector("h1"), said = words(heading ? heading.textContent : "");
        var caption = lines.join(" ");
        label.textContent = caption;
        label.hidden = words(caption).every(function (word) { return said.indexOf(word) >= 0; });
        view.classList.add("label-above");
        // ...and the band it leaves blank is scrolled past, to the first shape or line.
        var top = Infinity;
        frame = view.getBoundingClientRect();  // moved down by the title
        Array.prototype.forEach.call(svg.querySelectorAll("g.node, g.cluster, g.edge"), function (drawn) {
          top = Math.min(top, drawn.getBoundingClientRect().top);
        });
        if (top < Infinity) view.scrollTop += Math.max(0, top - frame.top - 8);
      }
    }
  })();

  // Search over the prebuilt index (compiler/journeymaps/site/search.py): a query word finds
  // the entries one of whose words it begins. Each query word of two characters or more
  // loads the shard of the words beginning with its first two (static/search/w/<their code
  // points>.js), then the entries of the results shown load (static/search/m/<map>.js): a
  // query loads a few small scripts (file:// allows no fetch), never the whole index.
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list) return;
  // The same folding and words as the index's (search.py fold and words).
  var wordPattern = /[\p{L}\p{N}\p{M}]+/gu;
  function fold(text) { return (text || "").toLowerCase().replace(/\p{Cf}/gu, "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/\u03c2/g, "\u03c3").replace(/\u00df/g, "ss"); }
  function wordsOf(text) { return fold(text).match(wordPattern) || []; }
  window.JOURNEYMAPS_SEARCH_WORDS_OF = wordsOf;  // what tests compare with the index's words
  function shardOf(word) {
    return Array.from(word).slice(0, 2).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }
  var ENTRY = 2097152;  // an entry's key: its map's number * ENTRY + its number in the map
  var known = null;  // the shards there are (static/search/shards.js), once it has arrived
  var listed = false;
  function requestList() {
    if (listed) return;
    listed = true;
    var script = document.createElement("script");
    script.src = root + "static/search/shards.js";
    script.onerror = function () { known = {}; if (input.value) search(); };
    document.body.appendChild(script);
  }
  var teamsPart = -1;  // the part of the index holding the teams (after the last map's)
  window.JOURNEYMAPS_SEARCH_SHARDS = function (names, teams) {
    if (typeof teams === "number") teamsPart = teams;
    known = {};
    names.split(" ").forEach(function (name) { if (name) known[name] = true; });
    if (input.value) search();
  };
  var shards = {};  // shard -> [map number, {word: [entry * 2 + in title]}, ...]; null while loading
  var entries = {};  // map number -> its entries; null while loading
  function request(table, key, src) {
    if (Object.prototype.hasOwnProperty.call(table, key)) return;
    table[key] = null;
    var script = document.createElement("script");
    script.src = root + src;
    script.onerror = function () { table[key] = []; if (input.value) search(); };  // none: no words
    document.body.appendChild(script);
  }
  window.JOURNEYMAPS_SEARCH_WORDS = function (shard, postings) { shards[shard] = postings; if (input.value) search(); };
  window.JOURNEYMAPS_SEARCH_ENTRIES = function (number, items) { entries[number] = items; if (input.value) search(); };
  // The entries a word begins a word of: entry key -> 1 if in the entry's title, else 0.
  function matching(word) {
    var found = new Map();
    var shard = shards[shardOf(word)] || [];  // none: no word begins so
    for (var i = 0; i + 1 < shard.length; i += 2) {
      var base = shard[i] * ENTRY;
      var byWord = shard[i + 1];
      Object.keys(byWord).forEach(function (w) {
        if (w.lastIndexOf(word, 0) !== 0) return;
        byWord[w].forEach(function (code) {
          var key = base + Math.floor(code / 2);
          found.set(key, (found.get(key) || 0) | (code % 2));
        });
      });
    }
    return found;
  }
  // The entries one of whose whole names (title, id, a map's file name) the query is, word
  // for word: the index holds them as their words joined by spaces, then "=" (search.py
  // whole_name), in the shard of their first word.
  function named(all) {
    var found = new Set();
    if (Array.from(all[0]).length < 2) return found;
    var whole = all.join(" ") + "=";
    var shard = shards[shardOf(all[0])] || [];
    for (var i = 0; i + 1 < shard.length; i += 2) {
      var codes = Object.prototype.hasOwnProperty.call(shard[i + 1], whole) ? shard[i + 1][whole] : [];
      for (var j = 0; j < codes.length; j++) found.add(shard[i] * ENTRY + Math.floor(codes[j] / 2));
    }
    return found;
  }
  var SHOWN = 20;  // results listed; past them the list says how many more there are
  var ranked = {query: null, hits: [], found: 0};  // the last query's ranking (scripts arriving ask again)
  function rank(words, all) {
    var query = all.join(" ");
    if (ranked.query === query) return ranked.hits;
    var exact = named(all);
    var sets = words.map(matching).sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    sets[0].forEach(function (flag, key) {
      var title = flag;
      for (var j = 1; j < sets.length; j++) {
        var also = sets[j].get(key);
        if (also === undefined) return;
        title &= also;
      }
      // Entries whose title holds every word first; of those, whole maps and teams (a map's
      // entry 0) before the stages and steps in them: on a large site twenty steps of the
      // first maps by path filled the list and the map named for the query was not in it.
      // Before them all, what the query names word for word: a pasted id or a whole title.
      var page = key % ENTRY === 0 || Math.floor(key / ENTRY) === teamsPart;
      hits.push([exact.has(key) ? 0 : 1 + (title ? 0 : 2) + (page ? 0 : 1), key]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    ranked = {query: query, hits: hits.slice(0, SHOWN).map(function (h) { return h[1]; }), found: hits.length};
    return ranked.hits;
  }
  var status = document.getElementById("search-status");
  function say(text) { if (status) status.textContent = text; }
  function close() { list.hidden = true; say(""); }
  function note(text, spoken) {
    var li = document.createElement("li");
    li.className = "none";
    li.textContent = text;
    list.appendChild(li);
    list.hidden = false;
    say(spoken);
  }
  // A result has every word of the query: "billing SLA" found nothing where "billing" alone
  // finds ten things, and "Nothing found" did not say which word, nor what to do.
  function nothingFound(all) {
    var missing = all.filter(function (w) {
      if (Array.from(w).length < 2) return false;
      var shard = shardOf(w);
      return !known[shard] || (shards[shard] && !matching(w).size);
    });
    var quoted = missing.map(function (w) { return "\u201c" + w + "\u201d"; }).join(", ");
    var hint = !missing.length ? "No single result has all these words: try fewer."
      : "Nothing searched has " + quoted + (missing.length < all.length
        ? ": search without " + (missing.length > 1 ? "them." : "it.") : ": try another word.");
    note("Nothing found", "Nothing found. " + hint);
    note(hint, "Nothing found. " + hint);
  }
  function search() {
    var all = wordsOf(input.value);
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!all.length) { close(); return; }
    // A one-character word begins too many words to load them: it waits for the next.
    var words = all.filter(function (w) { return Array.from(w).length > 1; });
    if (!words.length) { note("Type another letter…", "Type another letter to search"); return; }
    requestList();
    if (!known) { note("Searching…", "Searching"); return; }
    words = words.filter(function (w) { return known[shardOf(w)]; }).length === words.length ? words : [];
    words.forEach(function (w) { var s = shardOf(w); request(shards, s, "static/search/w/" + s + ".js"); });
    if (words.some(function (w) { return !shards[shardOf(w)]; })) { note("Searching…", "Searching"); return; }
    var keys = words.length ? rank(words, all) : [];  // a word no shard has: nothing found
    keys.forEach(function (key) { var n = Math.floor(key / ENTRY); request(entries, n, "static/search/m/" + n + ".js"); });
    if (keys.some(function (key) { return !entries[Math.floor(key / ENTRY)]; })) { note("Searching…", "Searching"); return; }
    var hits = keys.map(function (key) { return entries[Math.floor(key / ENTRY)][key % ENTRY]; }).filter(Boolean);
    if (!hits.length) { nothingFound(all); return; }
    hits.forEach(function (f) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + f.u;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = f.k + (f.m ? " in" : "");
      a.appendChild(kind);
      a.appendChild(document.createTextNode(f.t));
      var where = null;
      if (f.m || f.f) {  // the map a stage or step is in; a map's former title
        where = document.createElement("span");
        where.className = "where";
        where.textContent = f.m || "formerly \u201c" + f.f + "\u201d";
      }
      // A draft map, or what it holds, marked as its card is (search.py): beside the map's
      // title, as on the portfolio, not taken for a finished journey's.
      if (f.w) { var at = f.m ? where : a; at.appendChild(document.createTextNode(" ")); at.appendChild(badge(f.w)); }
      if (where) a.appendChild(where);
      li.appendChild(a);
      list.appendChild(li);
    });
    if (ranked.found > hits.length) {
      var more = document.createElement("li");
      more.className = "none";
      more.textContent = hits.length + " of " + ranked.found + " shown: add a word to narrow the search";
      list.appendChild(more);
    }
    list.hidden = false;
    var count = ranked.found > hits.length ? hits.length + " of " + ranked.found : String(hits.length);
    say(count + (ranked.found === 1 ? " result" : " results") + ": press the down arrow to reach them");
  }
  input.addEventListener("focus", requestList);
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
