/* ism_health interactive ISM diagram: plain SVG and this script, no library, no network.
 * Reads the model from <script type="application/json" id="ism-data"> (written by
 * ism_health.interactive) and writes every name with textContent, never as markup.
 * An arrow u -> v means u influences v; level 1 is drawn at the top. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif';
  var SIZE = 13, LINE = 17, PAD_X = 10, PAD_Y = 7, GAP_X = 34, GAP_Y = 62, MARGIN = 20, LEVEL_W = 66;
  var MEMBER_GAP = 26, HEAD = 18, CHARS = 24, SLOT_W = 14;
  var CLUSTER = {
    independent: { fill: "#dbe7f5", stroke: "#2a5d9f", name: "independent (drivers)" },
    linkage: { fill: "#fde2cf", stroke: "#c0622b", name: "linkage" },
    dependent: { fill: "#e2f0d9", stroke: "#4f7f3a", name: "dependent" },
    autonomous: { fill: "#eeeeee", stroke: "#6b6b6b", name: "autonomous" }
  };
  var INK = "#34495e", GREY = "#9aa7b4";

  var data = JSON.parse(document.getElementById("ism-data").textContent);
  var svg = document.getElementById("ism-svg");
  var tip = document.getElementById("ism-tip");
  var nodes = [], slots = [], levelLabels = [], edgeLines = [], reachLines = [], legend = null;
  var gEdges, gReach, gNodes, gLevels;
  var showReach = false, drag = null;

  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function style(cluster) { return CLUSTER[cluster] || CLUSTER.autonomous; }
  function shorten(text) { return text.length > CHARS ? text.slice(0, CHARS - 1) + "\u2026" : text; }

  /* A block of centred lines; returns its measured width and height. */
  function textBlock(parent, lines, cls, weight) {
    var t = el("text", { "class": cls, "text-anchor": "middle", "font-size": SIZE, "fill": "#1d2733" }, parent);
    if (weight) { t.setAttribute("font-weight", weight); }
    lines.forEach(function (line, k) {
      var s = el("tspan", { x: 0, dy: k === 0 ? 0 : LINE }, t);
      s.textContent = line;
    });
    var w = 0;
    Array.prototype.forEach.call(t.childNodes, function (s) {
      var m = 0;
      try { m = s.getComputedTextLength(); } catch (err) { m = 0; }
      w = Math.max(w, m > 0 ? m : s.textContent.length * 7.2);
    });
    return { el: t, w: w, h: lines.length * LINE };
  }
  function placeText(block, topY) { block.el.setAttribute("y", topY + SIZE); }

  function factorTip(f) {
    return f.label + "\nLevel " + f.level + "\nDriving power " + f.driving + "\nDependence power " + f.dependence +
      "\nMICMAC cluster: " + f.cluster;
  }

  function buildDefs() {
    var defs = el("defs", {}, svg);
    [["ism-arrow", INK], ["ism-arrow-reach", GREY]].forEach(function (m) {
      var mk = el("marker", { id: m[0], viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 8, markerHeight: 8,
        orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", fill: m[1] }, mk);
    });
  }

  function buildNode(k) {
    var spec = data.nodes[k];
    var first = data.factors[spec.factors[0]];
    var st = style(first.cluster);
    var g = el("g", { "class": "ism-node" + (spec.cycle ? " ism-cycle" : ""), "data-node": k, tabindex: 0,
      role: spec.cycle ? "button" : "img" }, gNodes);
    g.setAttribute("aria-label", spec.cycle ? "cycle of " + spec.factors.length + " factors: " +
      spec.factors.map(function (i) { return data.factors[i].label; }).join(", ") : first.label);
    var node = { k: k, spec: spec, g: g, x: 0, y: 0, dx: 0, dy: 0, expanded: false, members: [] };
    if (spec.cycle) { node.halo = el("rect", { "class": "ism-halo", fill: "none", stroke: st.stroke, rx: 9 }, g); }
    node.box = el("rect", { "class": "ism-box", fill: st.fill, stroke: st.stroke, "stroke-width": 1.4, rx: 6 }, g);
    if (!spec.cycle) {
      g.setAttribute("data-factor", spec.factors[0]);
      node.text = textBlock(g, first.lines, "ism-label");
      node.cw = node.text.w + 2 * PAD_X;
      node.ch = node.text.h + 2 * PAD_Y;
      placeText(node.text, -node.ch / 2 + PAD_Y);
    } else {
      var shown = spec.factors.length > 5 ? spec.factors.slice(0, 4) : spec.factors;
      var lines = ["cycle of " + spec.factors.length].concat(shown.map(function (i) {
        return shorten(data.factors[i].label);
      }));
      if (shown.length < spec.factors.length) { lines.push("\u2026 and " + (spec.factors.length - shown.length) + " more"); }
      node.folded = el("g", { "class": "ism-folded" }, g);
      node.text = textBlock(node.folded, lines, "ism-label");
      node.text.el.firstChild.setAttribute("font-style", "italic");
      node.text.el.firstChild.setAttribute("fill", "#5b6775");
      node.cw = node.text.w + 2 * PAD_X;
      node.ch = node.text.h + 2 * PAD_Y;
      placeText(node.text, -node.ch / 2 + PAD_Y);
      node.open = el("g", { "class": "ism-open", display: "none" }, g);
      var head = textBlock(node.open, ["cycle: all reach one another"], "ism-head");
      head.el.setAttribute("font-style", "italic");
      head.el.setAttribute("fill", "#5b6775");
      spec.factors.forEach(function (i) {
        var f = data.factors[i];
        var mg = el("g", { "class": "ism-member", "data-factor": i }, node.open);
        var mbox = el("rect", { "class": "ism-box", fill: "#ffffff", stroke: st.stroke, "stroke-width": 1.2, rx: 5 }, mg);
        var mt = textBlock(mg, f.lines, "ism-label");
        node.members.push({ g: mg, box: mbox, text: mt, w: mt.w + 2 * PAD_X, h: mt.h + 2 * PAD_Y });
      });
      /* Members in rows (a grid for a large cycle), neighbours in a row linked by a double arrow. */
      var count = node.members.length;
      var cols = count <= 4 ? count : Math.ceil(Math.sqrt(count));
      var grid = [];
      for (var s = 0; s < count; s += cols) { grid.push(node.members.slice(s, s + cols)); }
      var gw = 0, gh = 0;
      grid.forEach(function (row) {
        row.w = row.reduce(function (a, m) { return a + m.w; }, 0) + MEMBER_GAP * (row.length - 1);
        row.h = Math.max.apply(null, row.map(function (m) { return m.h; }));
        gw = Math.max(gw, row.w);
        gh += row.h;
      });
      gh += 10 * (grid.length - 1);
      node.ew = Math.max(gw, head.w) + 2 * PAD_X;
      node.eh = HEAD + gh + 2 * PAD_Y + 4;
      placeText(head, -node.eh / 2 + PAD_Y - 2);
      var top = -node.eh / 2 + PAD_Y + HEAD;
      grid.forEach(function (row) {
        var x = -row.w / 2, cy = top + row.h / 2;
        row.forEach(function (m, j) {
          m.g.setAttribute("transform", "translate(" + (x + m.w / 2) + "," + cy + ")");
          m.box.setAttribute("x", -m.w / 2);
          m.box.setAttribute("y", -m.h / 2);
          m.box.setAttribute("width", m.w);
          m.box.setAttribute("height", m.h);
          placeText(m.text, -m.h / 2 + PAD_Y);
          if (j > 0) {
            el("line", { "class": "ism-mutual", x1: x - MEMBER_GAP + 3, x2: x - 3, y1: cy, y2: cy, stroke: INK,
              "stroke-width": 1.3, "marker-start": "url(#ism-arrow)", "marker-end": "url(#ism-arrow)" }, node.open);
          }
          x += m.w + MEMBER_GAP;
        });
        top += row.h + 10;
      });
    }
    node.w = node.cw;
    node.h = node.ch;
    sizeBox(node);
    return node;
  }

  function sizeBox(node) {
    node.box.setAttribute("x", -node.w / 2);
    node.box.setAttribute("y", -node.h / 2);
    node.box.setAttribute("width", node.w);
    node.box.setAttribute("height", node.h);
    if (node.halo) {
      node.halo.setAttribute("x", -node.w / 2 - 3.5);
      node.halo.setAttribute("y", -node.h / 2 - 3.5);
      node.halo.setAttribute("width", node.w + 7);
      node.halo.setAttribute("height", node.h + 7);
    }
  }

  function setExpanded(node, open) {
    if (!node.spec.cycle || node.expanded === open) { return; }
    node.expanded = open;
    node.folded.setAttribute("display", open ? "none" : "inline");
    node.open.setAttribute("display", open ? "inline" : "none");
    node.w = open ? node.ew : node.cw;
    node.h = open ? node.eh : node.ch;
    node.g.setAttribute("aria-expanded", open ? "true" : "false");
    sizeBox(node);
  }

  function place(node) {
    node.g.setAttribute("transform", "translate(" + (node.x + node.dx).toFixed(1) + "," + (node.y + node.dy).toFixed(1) + ")");
  }

  /* A row entry: a node, or a slot (a bend of an arrow that skips levels). */
  function item(k) {
    if (k < nodes.length) { return nodes[k]; }
    if (!slots[k - nodes.length]) { slots[k - nodes.length] = { x: 0, y: 0, w: SLOT_W, h: 0, slot: true }; }
    return slots[k - nodes.length];
  }

  /* Neighbours of each row entry along the arrows (through their bends): above and below. */
  var ups = {}, downs = {};
  function link(lower, upper) {
    (ups[lower] = ups[lower] || []).push(upper);
    (downs[upper] = downs[upper] || []).push(lower);
  }

  /* Place one row left to right: each entry as near its wish as the gaps allow, then the row shifted
   * so that, on average, entries sit where they wish. */
  function placeRow(row, wish) {
    var xs = [], prev = -Infinity;
    row.forEach(function (k, i) {
      var n = item(k);
      var x = Math.max(wish[i], prev + GAP_X + n.w / 2);
      xs.push(x);
      prev = x + n.w / 2;
    });
    var shift = 0;
    row.forEach(function (k, i) { shift += wish[i] - xs[i]; });
    shift /= row.length;
    row.forEach(function (k, i) { item(k).x = xs[i] + shift; });
  }

  /* Rows top (level 1) to bottom; x by a few sweeps that pull each entry over its neighbours
   * (so an arrow that skips levels runs straight down its bends); dragged offsets are kept. */
  function layout() {
    var widths = data.rows.map(function (row) {
      return row.reduce(function (s, k) { return s + item(k).w; }, 0) + GAP_X * Math.max(0, row.length - 1);
    });
    var full = Math.max.apply(null, widths);
    data.rows.forEach(function (row, r) {
      var x = (full - widths[r]) / 2;
      row.forEach(function (k) {
        var n = item(k);
        n.x = x + n.w / 2;
        x += n.w + GAP_X;
      });
    });
    function mean(ks, k) {
      if (!ks || !ks.length) { return item(k).x; }
      return ks.reduce(function (s, m) { return s + item(m).x; }, 0) / ks.length;
    }
    for (var sweep = 0; sweep < 6; sweep++) {
      var down = sweep % 2 === 0;
      for (var step = 1; step < data.rows.length; step++) {
        var row = data.rows[down ? step : data.rows.length - 1 - step];
        placeRow(row, row.map(function (k) { return mean(down ? ups[k] : downs[k], k); }));
      }
    }
    var left = Infinity;
    data.rows.forEach(function (row) {
      row.forEach(function (k) { left = Math.min(left, item(k).x - item(k).w / 2); });
    });
    var y = MARGIN + 6;
    data.rows.forEach(function (row, r) {
      var h = Math.max.apply(null, row.map(function (k) { return item(k).h; }));
      row.forEach(function (k) {
        var n = item(k);
        n.x += MARGIN + LEVEL_W - left;
        n.y = y + h / 2;
        if (!n.slot) { place(n); }
      });
      levelLabels[r].setAttribute("y", y + h / 2 + 4);
      y += h + GAP_Y;
    });
    legend.setAttribute("transform", "translate(" + MARGIN + "," + (y - GAP_Y + 34) + ")");
    drawEdges();
    fit();
  }

  /* Where the segment from node a's centre towards (tx, ty) leaves a's box (a 4px gap for the arrow head). */
  function border(a, tx, ty) {
    var cx = a.x + a.dx, cy = a.y + a.dy, sx = tx - cx, sy = ty - cy;
    var fx = sx === 0 ? Infinity : (a.w / 2 + 4) / Math.abs(sx);
    var fy = sy === 0 ? Infinity : (a.h / 2 + 4) / Math.abs(sy);
    var t = Math.min(fx, fy, 0.5);
    return [cx + sx * t, cy + sy * t];
  }

  /* An arrow from node a to node b through the given bend points. */
  function route(a, b, bends) {
    var pts = bends.map(function (k) { var s = item(k); return [s.x, s.y]; });
    var first = pts.length ? pts[0] : [b.x + b.dx, b.y + b.dy];
    var last = pts.length ? pts[pts.length - 1] : [a.x + a.dx, a.y + a.dy];
    var all = [border(a, first[0], first[1])].concat(pts, [border(b, last[0], last[1])]);
    return all.map(function (p, j) { return (j ? "L" : "M") + p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ");
  }

  function drawEdges() {
    data.edges.forEach(function (e, j) { edgeLines[j].setAttribute("d", route(nodes[e[0]], nodes[e[1]], data.routes[j])); });
    data.reach.forEach(function (e, j) { reachLines[j].setAttribute("d", route(nodes[e[0]], nodes[e[1]], [])); });
  }

  /* Size the drawing to its content (after a drag it may have grown in any direction). */
  function fit() {
    var x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    nodes.forEach(function (n) {
      x1 = Math.max(x1, n.x + n.dx + n.w / 2 + 6);
      y1 = Math.max(y1, n.y + n.dy + n.h / 2 + 6);
      x0 = Math.min(x0, n.x + n.dx - n.w / 2 - 6);
      y0 = Math.min(y0, n.y + n.dy - n.h / 2 - 6);
    });
    var lb = legend.getBBox ? legend.getBBox() : { width: 500, height: 20 };
    var lt = legend.transform.baseVal.consolidate();
    var ly = lt ? lt.matrix.f : 0;
    x1 = Math.max(x1, MARGIN + lb.width) + MARGIN;
    y1 = Math.max(y1, ly + lb.y + lb.height) + MARGIN;
    x0 -= x0 < 0 ? MARGIN : 0;
    y0 -= y0 < 0 ? MARGIN : 0;
    svg.setAttribute("viewBox", [x0, y0, x1 - x0, y1 - y0].map(function (v) { return v.toFixed(1); }).join(" "));
    svg.setAttribute("width", (x1 - x0).toFixed(0));
    svg.setAttribute("height", (y1 - y0).toFixed(0));
  }

  function buildLegend() {
    legend = el("g", { "class": "ism-legend", "font-size": 12, fill: "#1d2733" }, svg);
    var x = 0;
    function swatch(fill, stroke, label) {
      el("rect", { x: x, y: -10, width: 14, height: 12, rx: 3, fill: fill, stroke: stroke }, legend);
      var t = el("text", { x: x + 19, y: 0 }, legend);
      t.textContent = label;
      x += 19 + (t.getComputedTextLength() || label.length * 7) + 18;
    }
    Object.keys(CLUSTER).forEach(function (key) { swatch(CLUSTER[key].fill, CLUSTER[key].stroke, CLUSTER[key].name); });
    el("line", { x1: x, y1: -4, x2: x + 30, y2: -4, stroke: INK, "stroke-width": 1.4, "marker-end": "url(#ism-arrow)" },
      legend);
    var t = el("text", { x: x + 36, y: 0 }, legend);
    t.textContent = "influences (level 1 = top)";
    x += 36 + (t.getComputedTextLength() || 170) + 18;
    var reachKey = el("g", { "class": "ism-legend-reach", display: "none" }, legend);
    el("line", { x1: x, y1: -4, x2: x + 30, y2: -4, stroke: GREY, "stroke-width": 1.2, "stroke-dasharray": "5 4",
      "marker-end": "url(#ism-arrow-reach)" }, reachKey);
    el("text", { x: x + 36, y: 0 }, reachKey).textContent = "reaches by transitivity";
  }

  function build() {
    svg.setAttribute("font-family", FONT);
    svg.setAttribute("font-size", SIZE);
    buildDefs();
    el("rect", { "class": "ism-background", x: -5000, y: -5000, width: 10000, height: 10000, fill: "#ffffff" }, svg);
    gLevels = el("g", { "class": "ism-levels", fill: "#5b6775", "font-size": 12 }, svg);
    gReach = el("g", { "class": "ism-reach", display: "none" }, svg);
    gEdges = el("g", { "class": "ism-edges" }, svg);
    gNodes = el("g", { "class": "ism-nodes" }, svg);
    data.rows.forEach(function (row, r) {
      var t = el("text", { x: MARGIN, "class": "ism-level" }, gLevels);
      t.textContent = "Level " + (r + 1);
      levelLabels.push(t);
    });
    data.edges.forEach(function (e) {
      edgeLines.push(el("path", { "class": "ism-edge", "data-from": e[0], "data-to": e[1], stroke: INK, fill: "none", "stroke-linejoin": "round",
        "stroke-width": 1.4, "marker-end": "url(#ism-arrow)" }, gEdges));
    });
    data.reach.forEach(function (e) {
      reachLines.push(el("path", { "class": "ism-reach-edge", "data-from": e[0], "data-to": e[1], stroke: GREY, fill: "none",
        "stroke-width": 1.1, "stroke-dasharray": "5 4", "marker-end": "url(#ism-arrow-reach)" }, gReach));
    });
    data.nodes.forEach(function (spec, k) { nodes.push(buildNode(k)); });
    data.edges.forEach(function (e, j) {
      var seq = [e[0]].concat(data.routes[j], [e[1]]);
      for (var i = 1; i < seq.length; i++) { link(seq[i - 1], seq[i]); }
    });
    buildLegend();
    layout();
  }

  /* ---------------------------------------------------------------- interaction */
  function nodeOf(target) {
    var g = target && target.closest ? target.closest(".ism-node") : null;
    return g ? nodes[Number(g.getAttribute("data-node"))] : null;
  }

  svg.addEventListener("pointerdown", function (e) {
    var n = nodeOf(e.target);
    if (!n || e.button !== 0) { return; }
    var scale = svg.getScreenCTM() ? svg.getScreenCTM().a : 1;
    drag = { node: n, sx: e.clientX, sy: e.clientY, dx: n.dx, dy: n.dy, scale: scale || 1, moved: false, id: e.pointerId };
    try { svg.setPointerCapture(e.pointerId); } catch (err) { /* synthetic events have no capture */ }
    n.g.classList.add("ism-dragging");
    e.preventDefault();
  });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) { showTip(e); return; }
    var mx = (e.clientX - drag.sx) / drag.scale, my = (e.clientY - drag.sy) / drag.scale;
    if (Math.abs(mx) + Math.abs(my) > 3) { drag.moved = true; }
    if (!drag.moved) { return; }
    tip.hidden = true;
    drag.node.dx = drag.dx + mx;
    drag.node.dy = drag.dy + my;
    place(drag.node);
    drawEdges();
  });
  function endDrag(e) {
    if (!drag) { return; }
    var d = drag;
    drag = null;
    d.node.g.classList.remove("ism-dragging");
    try { svg.releasePointerCapture(d.id); } catch (err) { /* already released */ }
    if (e.type === "pointerup" && !d.moved && d.node.spec.cycle) {
      setExpanded(d.node, !d.node.expanded);
      layout();
    } else {
      fit();
    }
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("keydown", function (e) {
    var n = nodeOf(e.target);
    if (n && n.spec.cycle && (e.key === "Enter" || e.key === " ")) {
      setExpanded(n, !n.expanded);
      layout();
      e.preventDefault();
    }
  });

  function showTip(e) {
    var t = e.target && e.target.closest ? e.target : null;
    var member = t ? t.closest("[data-factor]") : null;
    var n = nodeOf(t);
    if (!n) { tip.hidden = true; return; }
    if (member && (!n.spec.cycle || n.expanded)) {
      tip.textContent = factorTip(data.factors[Number(member.getAttribute("data-factor"))]);
    } else {
      var f = data.factors[n.spec.factors[0]];
      tip.textContent = "Cycle: " + n.spec.factors.map(function (i) { return data.factors[i].label; }).join(", ") +
        "\n(they all reach one another; click to show them)\nLevel " + f.level + "\nDriving power " + f.driving +
        "\nDependence power " + f.dependence + "\nMICMAC cluster: " + f.cluster;
    }
    tip.style.left = (e.clientX + 14) + "px";
    tip.style.top = (e.clientY + 14) + "px";
    tip.hidden = false;
  }
  svg.addEventListener("pointerleave", function () { tip.hidden = true; });

  document.getElementById("ism-reach").addEventListener("change", function (e) {
    showReach = e.target.checked;
    gReach.setAttribute("display", showReach ? "inline" : "none");
    legend.querySelector(".ism-legend-reach").setAttribute("display", showReach ? "inline" : "none");
    fit();
  });
  var expandAll = document.getElementById("ism-expand-all");
  if (!data.nodes.some(function (s) { return s.cycle; })) { expandAll.disabled = true; }
  expandAll.addEventListener("click", function () {
    var open = nodes.some(function (n) { return n.spec.cycle && !n.expanded; });
    nodes.forEach(function (n) { setExpanded(n, open); });
    expandAll.textContent = open ? "Fold cycles" : "Expand cycles";
    layout();
  });
  document.getElementById("ism-reset").addEventListener("click", function () {
    nodes.forEach(function (n) { n.dx = 0; n.dy = 0; setExpanded(n, false); });
    expandAll.textContent = "Expand cycles";
    layout();
  });

  /* ---------------------------------------------------------------- saving */
  function svgText() {
    fit();
    var copy = svg.cloneNode(true);
    copy.removeAttribute("role");
    copy.removeAttribute("aria-labelledby");
    copy.removeAttribute("id");
    copy.setAttribute("xmlns", NS);
    copy.querySelectorAll('[display="none"]').forEach(function (e) { e.parentNode.removeChild(e); });
    copy.querySelectorAll("[tabindex]").forEach(function (e) { e.removeAttribute("tabindex"); });
    var bg = copy.querySelector(".ism-background");
    var vb = svg.getAttribute("viewBox").split(" ");
    ["x", "y", "width", "height"].forEach(function (k, j) { bg.setAttribute(k, vb[j]); });
    var title = document.createElementNS(NS, "title");
    title.textContent = data.title;
    copy.insertBefore(title, copy.firstChild);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy) + "\n";
  }
  function save(name, blob) {
    var a = document.createElement("a");
    a.download = name;
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    a.parentNode.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }
  document.getElementById("ism-save-svg").addEventListener("click", function () {
    save("ism_hierarchy.svg", new Blob([svgText()], { type: "image/svg+xml" }));
  });
  document.getElementById("ism-save-png").addEventListener("click", function () {
    var text = svgText();
    var w = Number(svg.getAttribute("width")), h = Number(svg.getAttribute("height"));
    var img = new Image();
    img.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = w * 2;
      canvas.height = h * 2;
      var ctx = canvas.getContext("2d");
      ctx.scale(2, 2);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, w, h);
      ctx.drawImage(img, 0, 0, w, h);
      canvas.toBlob(function (blob) { save("ism_hierarchy.png", blob); }, "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  });

  window.ismDiagram = { svgText: svgText, layout: layout };
  build();
})();
