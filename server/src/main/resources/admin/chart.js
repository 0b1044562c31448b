// chart.js - the admin page's line charts, drawn as SVG from points; no dependencies.
//
//   drawChart(svg, [{ values: [[time, value], ...], className: "in" }], { from, to });
//
// Each call redraws the chart at the SVG element's current size: a time axis from `from` to `to`
// (milliseconds), labelled with how long ago its start is, a value axis from 0 to a round number above
// the largest value, one line per series.

const NS = "http://www.w3.org/2000/svg";
const LABEL_WIDTH = 36;

function element(name, attributes, parent) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  parent.appendChild(node);
  return node;
}

/** The smallest of 1, 2 or 5 times a power of ten that is at least `value` (1 for nothing). */
export function roundUp(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function label(value) {
  if (value >= 1e6) return `${value / 1e6}M`;
  if (value >= 1e3) return `${value / 1e3}k`;
  return String(value);
}

export function drawChart(svg, series, { from, to }) {
  const width = Math.max(svg.clientWidth, 60);
  const height = Math.max(svg.clientHeight, 40);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const top = Math.max(...series.flatMap((s) => s.values.map(([, v]) => v)), 0);
  const max = roundUp(top);
  const plot = width - LABEL_WIDTH;
  const x = (t) => LABEL_WIDTH + ((t - from) / (to - from)) * plot;
  const bottom = height - 16; // room for the time labels below
  const y = (v) => bottom - (v / max) * (bottom - 6);
  for (const value of [0, max / 2, max]) {
    element("line", { class: "grid", x1: LABEL_WIDTH, x2: width, y1: y(value), y2: y(value) }, svg);
    element("text", { class: "axis", x: 0, y: y(value) + 4 }, svg).textContent = label(value);
  }
  const span = Math.round((to - from) / 1000);
  element("text", { class: "axis", x: LABEL_WIDTH, y: height - 2 }, svg).textContent =
    span >= 120 ? `${Math.round(span / 60)} min ago` : `${span} s ago`;
  element("text", { class: "axis", x: width, y: height - 2, "text-anchor": "end" }, svg).textContent = "now";
  for (const { values, className } of series) {
    const shown = values.filter(([t]) => t >= from);
    if (shown.length < 2) continue;
    const coordinates = shown.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    element("polyline", { class: `line ${className ?? ""}`, points: coordinates }, svg);
  }
}
