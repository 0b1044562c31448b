import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

// The admin page's chart.js, imported from a temporary "type": "module" package (see lib.mjs for why).
const source = fileURLToPath(new URL("../../main/resources/admin/chart.js", import.meta.url));
const copy = mkdtempSync(join(tmpdir(), "switchboard-admin-js-"));
process.on("exit", () => rmSync(copy, { recursive: true, force: true }));
copyFileSync(source, join(copy, "chart.js"));
writeFileSync(join(copy, "package.json"), '{ "type": "module" }\n');
const { drawChart, roundUp } = await import(pathToFileURL(join(copy, "chart.js")).href);

/** Just enough of an SVG element for drawChart: attributes, children and a size. */
class Element {
  constructor(name, width = 0, height = 0) {
    Object.assign(this, { name, clientWidth: width, clientHeight: height, attributes: {}, children: [] });
    this.textContent = "";
  }
  setAttribute(key, value) { this.attributes[key] = String(value); }
  appendChild(child) { this.children.push(child); }
  replaceChildren() { this.children = []; }
}
globalThis.document = { createElementNS: (ns, name) => new Element(name) };

describe("roundUp", () => {
  it("takes 1, 2 or 5 times a power of ten at or above the value", () => {
    assert.deepEqual([0, 0.3, 1, 3, 12, 20, 21, 999, 1001].map(roundUp), [1, 0.5, 1, 5, 20, 20, 50, 1000, 2000]);
  });
});

describe("drawChart", () => {
  it("draws each series as a line across the time axis, from 0 to the round maximum", () => {
    const svg = new Element("svg", 436, 116);
    drawChart(svg, [{ values: [[1000, 0], [2000, 8], [3000, 10]], className: "in" }], { from: 1000, to: 3000 });

    const [line] = svg.children.filter((c) => c.name === "polyline");
    assert.equal(line.attributes.class, "line in");
    // x: 36 px of labels, then 400 px for 2 s; y: 0 at 100 px (116 less 16 for the time labels), 10 at 6 px
    assert.equal(line.attributes.points, "36.0,100.0 236.0,24.8 436.0,6.0");
    const labels = svg.children.filter((c) => c.name === "text").map((c) => c.textContent);
    assert.deepEqual(labels, ["0", "5", "10", "2 s ago", "now"]);
  });

  it("leaves out points before the axis and a series with fewer than two points", () => {
    const svg = new Element("svg", 436, 116);
    drawChart(svg, [{ values: [[0, 5], [2500, 5], [3000, 5]] }, { values: [[3000, 1]], className: "out" }], {
      from: 1000,
      to: 3000,
    });

    const lines = svg.children.filter((c) => c.name === "polyline");
    assert.equal(lines.length, 1);
    assert.equal(lines[0].attributes.points.split(" ").length, 2);
  });
});
