// journeymaps site: "Save as image" — the whole map canvas as a PNG for slides, made in the
// browser from the page itself (nothing is fetched, so it works from file:// and any host).
//
// How: the canvas is cloned with each element's computed style written into its style
// attribute (the stylesheet cannot be read from file://), put in an SVG <foreignObject>,
// drawn on a <canvas> at twice its CSS size and saved with toBlob. The SVG goes in as a
// data: URL: Chromium taints a canvas drawn from a blob: SVG with HTML in it, not from data:.
// The clone is laid out at the canvas's full scroll size, so what the scroll box hides
// (the right of a wide map, the bottom on the map's page) is in the picture, and nothing
// is sticky in it. Without JavaScript the button stays hidden (it is `hidden` in the HTML).
(function () {
  "use strict";
  var SCALE = 2;  // pixels per CSS pixel: sharp on a projector and on a high-density screen
  // Chromium's limits for one canvas (px): a larger map is saved at a lower density, said so.
  var MAX_SIDE = 32767, MAX_AREA = 268435456;
  var SVG_NS = "http://www.w3.org/2000/svg";
  // Around the canvas (CSS px): a margin, and above it a band with the map's title. A slide
  // of the canvas alone said nothing of which journey it was, its last column at the edge.
  var PAD = 16, BAND = 44, TITLE_PX = 22;
  var parts = document.querySelectorAll("[data-canvas-export]");
  if (!parts.length) return;

  // The browser's own style of each tag (no stylesheet), from a blank frame: only what
  // differs from it, or from the parent, needs writing down.
  function defaults() {
    var frame = document.createElement("iframe");
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.style.cssText = "position:absolute;width:0;height:0;border:0;visibility:hidden";
    document.body.appendChild(frame);
    var doc = frame.contentDocument;
    doc.open();
    doc.write("<!doctype html><html><head><title>-</title></head><body><svg xmlns='" + SVG_NS + "'></svg></body></html>");
    doc.close();
    var cache = {};
    return {
      of: function (el) {
        var svg = el.namespaceURI === SVG_NS;
        var key = (svg ? "svg:" : "") + el.localName;
        if (!cache[key]) {
          var probe = svg ? doc.createElementNS(SVG_NS, el.localName) : doc.createElement(el.localName);
          (svg ? doc.body.firstChild : doc.body).appendChild(probe);
          cache[key] = snapshot(frame.contentWindow.getComputedStyle(probe));
          probe.parentNode.removeChild(probe);
        }
        return cache[key];
      },
      done: function () { frame.parentNode.removeChild(frame); }
    };
  }
  // What a still picture does not show (motion, scrolling, interaction, paging), and custom
  // properties (every value that uses one is already resolved): not read, which also
  // saves time (a style has ~500 properties, read one by one).
  var UNSEEN = /^(--|animation|transition|interest|scroll|overscroll|view-|anchor|position-(anchor|area|try|visibility)|timeline|trigger|caret|cursor|pointer-events|user-select|touch-action|will-change|app-region|window-drag|interactivity|speak|-webkit-user|-webkit-tap|orphans|widows|break-|page|reading-|field-sizing|resize|overflow-anchor|print-color|forced-color|accent-color|color-scheme|dynamic-range)/;
  var INSETS = /^(top|left|right|bottom|inset-)/;
  var names = null;
  function snapshot(style) {
    if (!names) names = Array.prototype.filter.call(style, function (name) { return !UNSEEN.test(name); });
    var values = {};
    for (var i = 0; i < names.length; i++) values[names[i]] = style.getPropertyValue(names[i]);
    return values;
  }

  // A copy of `source` whose elements carry their computed style. A property is written
  // unless it has the browser's default value and the parent's (then the copy gets it too,
  // by default or by inheritance).
  function copy(source, base, parent) {
    if (source.nodeType === Node.TEXT_NODE) return document.createTextNode(source.nodeValue);
    if (source.nodeType !== Node.ELEMENT_NODE) return null;
    var clone = source.cloneNode(false);
    var own = snapshot(getComputedStyle(source));
    var plain = base.of(source);
    var decls = [];
    // Laid out in full, nothing scrolls: a sticky element stays where the flow puts it.
    var sticky = own.position === "sticky";
    Object.keys(own).forEach(function (name) {
      var value = own[name];
      if (sticky && name === "position") value = "relative";
      else if (sticky && INSETS.test(name)) value = "auto";
      if (value === plain[name] && (!parent || value === parent[name])) return;
      decls.push(name + ":" + value);
    });
    clone.removeAttribute("class");
    clone.removeAttribute("id");
    clone.setAttribute("style", decls.join(";"));
    if (own.display !== "none") {
      for (var child = source.firstChild; child; child = child.nextSibling) {
        var c = copy(child, base, own);
        if (c) clone.appendChild(c);
      }
    }
    return clone;
  }

  function picture(scroller) {
    var grid = scroller.firstElementChild;
    // The full extent: the grid's columns overflow the scroll box on a wide map.
    var width = Math.max(scroller.scrollWidth, grid.scrollWidth), height = Math.max(scroller.scrollHeight, grid.scrollHeight);
    var base = defaults();
    var clone;
    try { clone = copy(grid, base, null); } finally { base.done(); }
    clone.style.width = width + "px";
    clone.style.height = height + "px";
    clone.style.margin = "0";
    clone.style.backgroundColor = "#ffffff";
    var heading = document.querySelector("main h1");
    var title = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
    var band = title ? BAND : 0;
    var outerW = width + 2 * PAD, outerH = height + band + 2 * PAD;
    var scale = Math.min(SCALE, MAX_SIDE / outerW, MAX_SIDE / outerH, Math.sqrt(MAX_AREA / (outerW * outerH)));
    var w = Math.floor(width * scale), h = Math.floor(height * scale);
    var svg = "<svg xmlns='" + SVG_NS + "' width='" + w + "' height='" + h + "' viewBox='0 0 " + width + " " + height + "'>" +
      "<foreignObject x='0' y='0' width='" + width + "' height='" + height + "'>" +
      new XMLSerializer().serializeToString(clone) + "</foreignObject></svg>";
    var pad = Math.round(PAD * scale);
    return {url: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg), inner: [w, h], scale: scale,
            title: title, pad: pad, band: Math.round(band * scale),
            width: w + 2 * pad, height: h + Math.round(band * scale) + 2 * pad};
  }

  function draw(pic, done, fail) {
    var img = new Image();
    var late = setTimeout(function () { fail("the browser took too long to draw it"); }, 60000);
    img.onerror = function () { clearTimeout(late); fail("the browser could not draw the canvas as an image"); };
    img.onload = function () {
      clearTimeout(late);
      var canvas = document.createElement("canvas");
      canvas.width = pic.width;
      canvas.height = pic.height;
      var ctx = canvas.getContext("2d");
      if (!ctx) { fail("this browser cannot draw images"); return; }
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, pic.width, pic.height);
      if (pic.title) {
        ctx.fillStyle = "#1a1a1a";
        ctx.font = "bold " + Math.round(TITLE_PX * pic.scale) + "px " + getComputedStyle(document.body).fontFamily;
        ctx.textBaseline = "middle";
        ctx.fillText(pic.title, pic.pad, pic.pad + pic.band / 2, pic.width - 2 * pic.pad);
      }
      ctx.drawImage(img, pic.pad, pic.pad + pic.band, pic.inner[0], pic.inner[1]);
      try {
        canvas.toBlob(function (blob) {
          if (blob) done(blob); else fail("the image is too large for this browser");
        }, "image/png");
      } catch (e) {
        fail("this browser does not allow saving the drawing (" + e.name + ")");
      }
    };
    img.src = pic.url;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.parentNode.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  var supported = !!(window.XMLSerializer && window.HTMLCanvasElement && HTMLCanvasElement.prototype.toBlob &&
    window.URL && URL.createObjectURL && window.getComputedStyle && window.encodeURIComponent);
  Array.prototype.forEach.call(parts, function (part) {
    var button = part.querySelector("button");
    var status = part.querySelector("[role=status]");
    var scroller = document.querySelector(".canvas-scroll");
    if (!button || !status || !scroller) return;
    var busy = false;
    function say(text, bad) {
      status.textContent = text;
      status.classList.toggle("error", !!bad);
    }
    function fail(why) {
      busy = false;
      button.removeAttribute("aria-disabled");
      say("Could not save the image: " + why + ". Print the page and choose \u201cSave as PDF\u201d, or take a screenshot, instead.", true);
    }
    button.addEventListener("click", function () {
      if (busy) return;
      if (!supported) { fail("this browser cannot make images from a page"); return; }
      busy = true;
      button.setAttribute("aria-disabled", "true");
      say("Making the image\u2026");
      var name = button.getAttribute("data-file") || "canvas.png";
      // Let the status show before the work (a large map takes a moment).
      setTimeout(function () {
        var pic;
        try { pic = picture(scroller); } catch (e) { fail("the canvas could not be copied (" + (e && e.name) + ")"); return; }
        draw(pic, function (blob) {
          save(blob, name);
          busy = false;
          button.removeAttribute("aria-disabled");
          var density = pic.scale >= SCALE ? "" : ", at " + pic.scale.toFixed(2) + "\u00d7 because the canvas is too large for " + SCALE + "\u00d7";
          say("Saved " + name + " (" + pic.width + " \u00d7 " + pic.height + " pixels" + density + ").");
        }, fail);
      }, 30);
    });
    part.hidden = false;
  });
})();
