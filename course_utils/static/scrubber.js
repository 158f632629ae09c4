// Unrolled's client-side scrubber: one <canvas> per panel drawn from a JSON spec, a range slider, a play
// button and hover read-outs. The all-steps view is drawn once; a move redraws only the highlight and the
// current step's bars, so it costs about a millisecond. Runs in JupyterLab (a trusted output), in a static
// HTML export and with no kernel. Python side: course_utils/scrubbers.py. Tests: tests/browser.
// Keyboard: the play button and the range take Tab; on the range ←/→ (↓/↑) move a step, PageUp/PageDown a
// tenth, Home/End go to the first/last step, Space plays/pauses. The controls carry data-lm-suppress-shortcuts
// (Lumino then ignores keys aimed at them: JupyterLab's command mode, jupyterlab-deck's arrows), and the
// root stops the keys it handles from propagating. Screen reader: the step label is a polite live region;
// each canvas is an image labelled with its title and the step, described by a visually hidden text of the
// values at that step.
(function () {
  "use strict";
  var KEY = "__KEY__";
  if (window[KEY]) return;
  var W = 840, LEFT = 84, HEAT_W = 430, BAR_X = 624, BAR_W = 200, TOP = 22, FONT = "11px sans-serif";

  function rgb(c) { return c.charAt(0) === "#" ? [1, 3, 5].map(function (i) { return parseInt(c.slice(i, i + 2), 16); })
                                            : c.match(/[\d.]+/g).slice(0, 3).map(Number); }
  function colorAt(scale, v) {  // scale: [[position, "colour"], ...]; v in [0, 1]
    v = Math.min(1, Math.max(0, v));
    for (var k = 1; k < scale.length; k++) {
      if (v <= scale[k][0] || k === scale.length - 1) {
        var p0 = scale[k - 1][0], p1 = scale[k][0], a = p1 > p0 ? Math.min(1, (v - p0) / (p1 - p0)) : 0;
        var c0 = rgb(scale[k - 1][1]), c1 = rgb(scale[k][1]);
        return "rgb(" + c0.map(function (x, j) { return Math.round(x + a * (c1[j] - x)); }).join(",") + ")";
      }
    }
  }
  function fmt(v) {
    var a = Math.abs(v);
    return a !== 0 && (a < 1e-2 || a >= 1e4) ? v.toExponential(1) : String(+v.toFixed(3));
  }
  function short(v) { return fmt(+v.toPrecision(2)); }  // for the spoken values: two significant digits
  var HIDDEN = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;" +
               "clip:rect(0 0 0 0);white-space:nowrap";  // visually hidden, still read by screen readers
  var serial = 0;  // ids unique in the page (two notebooks' kernels may both number their scrubbers from 0)
  var FOCUS_CSS = ".unrolled-scrubber .us-play:focus-visible,.unrolled-scrubber .us-slider:focus-visible" +
                  "{outline:3px solid #1a56db;outline-offset:2px}";
  function every(n, room) { return Math.max(1, Math.ceil(n / Math.max(1, room))); }  // label every k-th

  function geometry(ctx, spec, panel) {
    if (panel.kind === "curves") return {curves: true, plotH: 300, height: TOP + 300 + 44, T: spec.steps.length};
    var T = spec.steps.length, U = panel.units.length, line = panel.kind === "line";
    var plotH = line ? 110 : Math.max(40, Math.min(200, U * 16));
    ctx.font = FONT;
    var stepW = Math.max.apply(null, spec.steps.map(function (s) { return ctx.measureText(s).width; }));
    var unitW = Math.max.apply(null, panel.units.map(function (s) { return ctx.measureText(s).width; }));
    var cellW = HEAT_W / T, barW = BAR_W / U;
    var rotSteps = stepW > cellW * every(T, HEAT_W / 28) - 4, rotUnits = panel.named && unitW > barW - 4;
    var foot = Math.max(rotSteps ? 12 + 0.72 * Math.min(stepW, 80) : 20, rotUnits ? 12 + 0.72 * Math.min(unitW, 80) : 20);
    return {T: T, U: U, line: line, plotH: plotH, cellW: cellW, cellH: plotH / (line ? 1 : U), barW: barW,
            rotSteps: rotSteps, rotUnits: rotUnits, height: Math.ceil(TOP + plotH + foot + 6)};
  }

  function label(ctx, text, x, y, rotate) {
    if (!rotate) { ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.fillText(text, x, y); return; }
    ctx.save(); ctx.translate(x, y); ctx.rotate(-Math.PI / 4);
    ctx.textAlign = "right"; ctx.textBaseline = "middle"; ctx.fillText(text, 0, 0); ctx.restore();
  }
  // y of value v in a panel's bars (a line panel draws its line on the same range)
  function barY(panel, g, v) { return TOP + g.plotH * (panel.bars[1] - v) / (panel.bars[1] - panel.bars[0]); }

  function drawCells(ctx, spec, panel, g) {
    var lo = panel.range[0], hi = panel.range[1];
    for (var t = 0; t < g.T; t++) for (var u = 0; u < g.U; u++) {
      ctx.fillStyle = colorAt(panel.scale, (panel.values[t][u] - lo) / (hi - lo));
      ctx.fillRect(LEFT + t * g.cellW, TOP + (g.U - 1 - u) * g.cellH, Math.ceil(g.cellW), Math.ceil(g.cellH));
    }
    ctx.fillStyle = "#333"; ctx.textAlign = "right"; ctx.textBaseline = "middle";
    var k = every(g.U, g.plotH / 12);
    for (u = 0; u < g.U; u += k) ctx.fillText(panel.units[u], LEFT - 4, TOP + (g.U - 0.5 - u) * g.cellH);
    var x = LEFT + HEAT_W + 8;                                  // the colour bar, lo at the bottom
    for (var y = 0; y < g.plotH; y++) {
      ctx.fillStyle = colorAt(panel.scale, 1 - y / (g.plotH - 1)); ctx.fillRect(x, TOP + y, 10, 1);
    }
    ctx.fillStyle = "#333"; ctx.textAlign = "left";
    [[hi, TOP + 5], [(lo + hi) / 2, TOP + g.plotH / 2], [lo, TOP + g.plotH - 5]].forEach(function (tick) {
      ctx.fillText(fmt(tick[0]), x + 13, tick[1]);
    });
    if (panel.highlight !== null) {
      ctx.setLineDash([3, 3]); ctx.strokeStyle = "#000"; ctx.lineWidth = 1.5;
      ctx.strokeRect(LEFT, TOP + (g.U - 1 - panel.highlight) * g.cellH, HEAT_W, g.cellH); ctx.setLineDash([]);
    }
  }

  function drawLine(ctx, spec, panel, g) {
    ctx.strokeStyle = panel.color; ctx.fillStyle = panel.color; ctx.lineWidth = 2; ctx.beginPath();
    for (var t = 0; t < g.T; t++) {
      var x = LEFT + (t + 0.5) * g.cellW, y = barY(panel, g, panel.values[t][0]);
      if (t) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    }
    ctx.stroke();
    for (t = 0; t < g.T; t++) {
      ctx.beginPath(); ctx.arc(LEFT + (t + 0.5) * g.cellW, barY(panel, g, panel.values[t][0]), 3, 0, 7); ctx.fill();
    }
    axisTicks(ctx, panel, g, LEFT);
  }

  function axisTicks(ctx, panel, g, x) {  // the value range, left of a line or bar plot, and its zero line
    ctx.fillStyle = "#333"; ctx.textAlign = "right"; ctx.textBaseline = "middle";
    ctx.fillText(fmt(panel.bars[1]), x - 4, TOP + 5); ctx.fillText(fmt(panel.bars[0]), x - 4, TOP + g.plotH - 5);
    ctx.strokeStyle = "#bbb"; ctx.lineWidth = 1; ctx.strokeRect(x, TOP, x === LEFT ? HEAT_W : BAR_W, g.plotH);
    if (panel.bars[0] < 0 && panel.bars[1] > 0) {
      ctx.strokeStyle = "#888"; ctx.beginPath(); ctx.moveTo(x, barY(panel, g, 0));
      ctx.lineTo(x + (x === LEFT ? HEAT_W : BAR_W), barY(panel, g, 0)); ctx.stroke();
    }
  }

  // A "curves" panel: a few named lines over x, one set per step (e.g. per ρ), on a fixed (log) y axis.
  var CURVE_W = 600, LEGEND_X = LEFT + CURVE_W + 16;
  function curveY(panel, g, v) {
    var lo = panel.yrange[0], hi = panel.yrange[1], y = panel.log ? Math.log10(v) : v;
    return TOP + g.plotH * (hi - y) / (hi - lo);
  }
  function curveX(panel, k) { var x = panel.x, lo = x[0], hi = x[x.length - 1];
    return LEFT + CURVE_W * (x[k] - lo) / ((hi - lo) || 1); }
  function niceTicks(lo, hi) {  // about five round values in [lo, hi]
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / 5 || 1))), out = [];
    [1, 2, 5, 10].some(function (m) { if ((hi - lo) / (m * step) <= 6) { step *= m; return true; } return false; });
    for (var v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(+v.toPrecision(12));
    return out;
  }
  function power(e) {  // 10 to a whole power, with superscript digits: 10⁻³
    var sup = {"-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"};
    return e === 0 ? "1" : e === 1 ? "10" : "10" + String(e).split("").map(function (c) { return sup[c]; }).join("");
  }
  function drawCurvesBase(ctx, panel, g) {
    var lo = panel.yrange[0], hi = panel.yrange[1];
    ctx.strokeStyle = "#bbb"; ctx.lineWidth = 1; ctx.strokeRect(LEFT, TOP, CURVE_W, g.plotH);
    ctx.fillStyle = "#333"; ctx.textAlign = "right"; ctx.textBaseline = "middle";
    var ticks = panel.log ? niceTicks(Math.ceil(lo), Math.floor(hi)).filter(function (e) { return e === Math.round(e); }) : niceTicks(lo, hi);
    ticks.forEach(function (t) {
      var y = TOP + g.plotH * (hi - t) / (hi - lo);
      ctx.fillText(panel.log ? power(t) : fmt(t), LEFT - 4, y);
      ctx.strokeStyle = "#eee"; ctx.beginPath(); ctx.moveTo(LEFT + 1, y); ctx.lineTo(LEFT + CURVE_W - 1, y); ctx.stroke();
    });
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    niceTicks(panel.x[0], panel.x[panel.x.length - 1]).forEach(function (v) {
      var x = LEFT + CURVE_W * (v - panel.x[0]) / ((panel.x[panel.x.length - 1] - panel.x[0]) || 1);
      ctx.fillText(fmt(v), x, TOP + g.plotH + 4);
    });
    ctx.fillText(panel.x_title, LEFT + CURVE_W / 2, TOP + g.plotH + 22);
    ctx.save(); ctx.translate(12, TOP + g.plotH / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(panel.y_title, 0, -6); ctx.restore();
    ctx.textAlign = "left"; ctx.textBaseline = "middle";
    panel.lines.forEach(function (line, k) {
      ctx.fillStyle = line.color; ctx.fillRect(LEGEND_X, TOP + 10 + 18 * k - 2, 16, 4);
      ctx.fillStyle = "#333"; ctx.fillText(line.name, LEGEND_X + 22, TOP + 10 + 18 * k);
    });
  }
  function drawCurves(ctx, panel, g, t) {
    ctx.save(); ctx.beginPath(); ctx.rect(LEFT, TOP, CURVE_W, g.plotH); ctx.clip(); ctx.lineWidth = 2;
    panel.lines.forEach(function (line) {
      var ys = line.frames[t], started = false;
      ctx.strokeStyle = line.color; ctx.fillStyle = line.color; ctx.beginPath();
      for (var k = 0; k < ys.length; k++) {
        if (ys[k] === null || (panel.log && ys[k] <= 0)) { started = false; continue; }   // NaN: a gap
        var x = curveX(panel, k), y = curveY(panel, g, ys[k]);
        if (started) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        started = true;
      }
      ctx.stroke();
      for (k = 0; k < ys.length; k++) if (ys[k] !== null && !(panel.log && ys[k] <= 0)) ctx.fillRect(curveX(panel, k) - 2, curveY(panel, g, ys[k]) - 2, 4, 4);
    });
    ctx.restore();
  }
  function curvesHover(view, panel, x) {
    if (x < LEFT || x > LEFT + CURVE_W) return null;
    var xs = panel.x, k = 0, t = view.step;
    for (var j = 1; j < xs.length; j++) if (Math.abs(curveX(panel, j) - x) < Math.abs(curveX(panel, k) - x)) k = j;
    return {step: null, text: view.spec.prefix + view.spec.steps[t] + ", " + panel.x_title.split(" ")[0] + " = " + fmt(xs[k]) + ": " +
      panel.lines.map(function (line) { var v = line.frames[t][k]; return line.name + " " + (v === null ? "–" : fmt(v)); }).join(" · ")};
  }

  function drawBase(ctx, spec, panel, g) {
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, g.height);
    if (g.curves) {
      ctx.fillStyle = "#111"; ctx.font = "bold 12px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
      ctx.fillText(panel.title, LEFT, 10); ctx.font = FONT; drawCurvesBase(ctx, panel, g); return;
    }
    ctx.fillStyle = "#111"; ctx.font = "bold 12px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
    ctx.fillText(panel.title + " over time", LEFT, 10); ctx.fillText("at the current step", BAR_X, 10);
    ctx.font = FONT;
    if (g.line) drawLine(ctx, spec, panel, g); else drawCells(ctx, spec, panel, g);
    ctx.fillStyle = "#333";
    var k = every(g.T, HEAT_W / 28);
    for (var t = 0; t < g.T; t += k) label(ctx, spec.steps[t], LEFT + (t + 0.5) * g.cellW, TOP + g.plotH + 4 + (g.rotSteps ? 4 : 0), g.rotSteps);
    axisTicks(ctx, panel, g, BAR_X);
    k = every(g.U, BAR_W / (panel.named ? 14 : 22));
    for (var u = 0; u < g.U; u += k) label(ctx, panel.named ? panel.units[u] : String(u), BAR_X + (u + 0.5) * g.barW, TOP + g.plotH + 4 + (g.rotUnits ? 4 : 0), g.rotUnits);
  }

  function drawStep(view, p, t) {  // the all-steps image, then the highlight and this step's bars
    var ctx = p.ctx, g = p.g, panel = p.panel;
    ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.drawImage(p.base, 0, 0); ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
    if (g.curves) return drawCurves(ctx, panel, g, t);
    ctx.strokeStyle = "#000"; ctx.lineWidth = 3;
    if (g.line) {
      ctx.beginPath(); ctx.arc(LEFT + (t + 0.5) * g.cellW, barY(panel, g, panel.values[t][0]), 7, 0, 7); ctx.stroke();
    } else ctx.strokeRect(LEFT + t * g.cellW + 1.5, TOP + 1.5, g.cellW - 3, g.plotH - 3);
    ctx.fillStyle = panel.color;
    var zero = barY(panel, g, Math.min(Math.max(0, panel.bars[0]), panel.bars[1]));
    for (var u = 0; u < g.U; u++) {
      var y = barY(panel, g, panel.values[t][u]);
      ctx.fillRect(BAR_X + (u + 0.1) * g.barW, Math.min(y, zero), 0.8 * g.barW, Math.max(1, Math.abs(zero - y)));
    }
  }

  function spoken(view, p, t) {  // [canvas label, the values at step t as text] for a screen reader
    var panel = p.panel, at = view.spec.prefix + view.spec.steps[t];
    if (p.g.curves) return [panel.title + ", " + at, at + ": " + panel.lines.map(function (line) {
      return line.name + ": " + panel.x.map(function (x, k) {
        return fmt(x) + " " + (line.frames[t][k] === null ? "none" : short(line.frames[t][k]));
      }).join(", ");
    }).join("; ")];
    return [panel.title + " over time, and its values at the current step as bars; " + at,
            panel.title + " at " + at + ": " + panel.units.map(function (u, k) {
              return u + " " + short(panel.values[t][k]);
            }).join(", ")];
  }

  function hoverText(view, p, x, y) {  // "step, unit: value" under the pointer, or null
    var g = p.g, panel = p.panel, t;
    if (y < TOP || y > TOP + g.plotH) return null;
    if (g.curves) return curvesHover(view, panel, x);
    if (x >= LEFT && x < LEFT + HEAT_W) {
      t = Math.floor((x - LEFT) / g.cellW);
      var u = g.line ? 0 : g.U - 1 - Math.floor((y - TOP) / g.cellH);
      return {step: t, text: view.spec.steps[t] + (g.line ? "" : " · " + panel.units[u]) + ": " + fmt(panel.values[t][u])};
    }
    if (x >= BAR_X && x < BAR_X + BAR_W) {
      u = Math.floor((x - BAR_X) / g.barW); t = view.step;
      return {step: null, text: view.spec.steps[t] + " · " + panel.units[u] + ": " + fmt(panel.values[t][u])};
    }
    return null;
  }

  function makePanel(view, panel) {
    var canvas = document.createElement("canvas"), base = document.createElement("canvas");
    var ctx = canvas.getContext("2d"), g = geometry(ctx, view.spec, panel), dpr = view.dpr;
    [canvas, base].forEach(function (c) { c.width = Math.round(W * dpr); c.height = Math.round(g.height * dpr); });
    canvas.style.cssText = "width:" + W + "px;height:" + g.height + "px;max-width:100%;display:block;cursor:crosshair";
    var bctx = base.getContext("2d"); bctx.scale(dpr, dpr); drawBase(bctx, view.spec, panel, g);
    var text = document.createElement("div");
    text.className = "us-values"; text.id = KEY + "-values-" + (serial++); text.style.cssText = HIDDEN;
    canvas.setAttribute("role", "img"); canvas.setAttribute("aria-describedby", text.id);
    var p = {canvas: canvas, base: base, ctx: ctx, g: g, panel: panel, text: text};
    function at(e) { var r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * W / r.width, (e.clientY - r.top) * g.height / r.height]; }
    canvas.addEventListener("mousemove", function (e) {
      var xy = at(e), hit = hoverText(view, p, xy[0], xy[1]), tip = view.tip;
      if (!hit) { tip.style.display = "none"; return; }
      tip.textContent = hit.text; tip.style.display = "block";
      var host = view.root.getBoundingClientRect();
      tip.style.left = (e.clientX - host.left + 12) + "px"; tip.style.top = (e.clientY - host.top + 12) + "px";
    });
    canvas.addEventListener("mouseleave", function () { view.tip.style.display = "none"; });
    canvas.addEventListener("click", function (e) {
      var xy = at(e), hit = hoverText(view, p, xy[0], xy[1]);
      if (hit && hit.step !== null) view.show(view.spec.order.indexOf(hit.step));
    });
    return p;
  }

  function mount(root) {
    var spec = JSON.parse(root.querySelector("script.us-spec").textContent);
    var slider = root.querySelector(".us-slider"), play = root.querySelector(".us-play");
    var view = {root: root, spec: spec, dpr: window.devicePixelRatio || 1, step: spec.order[0], timer: null,
                tip: root.querySelector(".us-tip")};
    view.panels = spec.panels.map(function (panel) { return makePanel(view, panel); });
    var holder = root.querySelector(".us-panels");
    view.panels.forEach(function (p) { holder.appendChild(p.canvas); holder.appendChild(p.text); });
    view.show = function (k) {
      k = Math.max(0, Math.min(spec.order.length - 1, k | 0));
      var t = spec.order[k];
      view.step = t; slider.value = k;
      view.panels.forEach(function (p) {
        drawStep(view, p, t);
        var words = spoken(view, p, t);
        p.canvas.setAttribute("aria-label", words[0]); p.text.textContent = words[1];
      });
      root.querySelector(".us-label").textContent = spec.prefix + spec.steps[t];
      slider.setAttribute("aria-valuetext", spec.prefix + spec.steps[t]);
      root.setAttribute("data-step", String(t));
    };
    function stop() { clearInterval(view.timer); view.timer = null; play.textContent = "▶ play"; play.setAttribute("aria-label", "play"); }
    function toggle() {
      if (view.timer) return stop();
      if (+slider.value >= spec.order.length - 1) view.show(0);
      play.textContent = "❚❚ pause"; play.setAttribute("aria-label", "pause");
      view.timer = setInterval(function () {
        if (+slider.value >= spec.order.length - 1) return stop();
        view.show(+slider.value + 1);
      }, 400);
    }
    play.addEventListener("click", toggle);
    slider.addEventListener("input", function () { view.show(+slider.value); });
    root.addEventListener("keydown", function (e) {  // the slider's keys, kept from the notebook and the deck
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.target === play && (e.key === " " || e.key === "Enter")) return e.stopPropagation();  // the button clicks
      if (e.target !== slider) return;
      var k = +slider.value, last = spec.order.length - 1, page = Math.max(1, Math.round(spec.order.length / 10));
      var to = {ArrowRight: k + 1, ArrowUp: k + 1, ArrowLeft: k - 1, ArrowDown: k - 1, PageUp: k + page,
                PageDown: k - page, Home: 0, End: last}[e.key];
      if (to === undefined && e.key !== " ") return;
      e.preventDefault(); e.stopPropagation();
      if (e.key === " ") return toggle();
      stop(); view.show(to);
    });
    if (!document.getElementById(KEY + "-css")) {
      var style = document.createElement("style");
      style.id = KEY + "-css"; style.textContent = FOCUS_CSS; document.head.appendChild(style);
    }
    root.querySelector(".us-fallback").remove();
    root.unrolledScrubber = view;
    view.show(0);
  }
  window[KEY] = mount;
})();
